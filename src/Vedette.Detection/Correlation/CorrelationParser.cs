using System.Text.RegularExpressions;
using Vedette.Detection.Rules;
using YamlDotNet.RepresentationModel;

namespace Vedette.Detection.Correlation;

/// <summary>Reads the `correlation:` section of a Sigma correlation rule.</summary>
internal static partial class CorrelationParser
{
    public static CorrelationRule Parse(RuleMetadata meta, YamlMappingNode node)
    {
        var line = Yaml.LineOf(node);
        var typeName = Yaml.Scalar(node, "type") ?? throw new RuleFormatException(line, "the correlation has no 'type'");
        var type = typeName switch
        {
            "event_count" => CorrelationType.EventCount,
            "value_count" => CorrelationType.ValueCount,
            "temporal" or "temporal_ordered" or "value_sum" or "value_avg" or "value_percentile" or "value_median" =>
                throw new RuleFormatException(line, $"correlation type '{typeName}' is not supported by this engine yet"),
            _ => throw new RuleFormatException(line, $"unknown correlation type '{typeName}'"),
        };
        var rules = Yaml.Strings(node, "rules");
        if (rules.Count == 0)
        {
            throw new RuleFormatException(line, "the correlation names no 'rules'");
        }
        if (Yaml.Map(node, "aliases") is not null)
        {
            throw new RuleFormatException(line, "correlation 'aliases' are not supported by this engine yet");
        }
        var timespanText = Yaml.Scalar(node, "timespan") ?? throw new RuleFormatException(line, "the correlation has no 'timespan'");
        var conditionNode = Yaml.Map(node, "condition") ?? throw new RuleFormatException(line, "the correlation has no 'condition'");
        var condition = new CorrelationCondition(
            Number(conditionNode, "gt"), Number(conditionNode, "gte"), Number(conditionNode, "lt"), Number(conditionNode, "lte"), Number(conditionNode, "eq"),
            Yaml.Scalar(conditionNode, "field"));
        if (condition.Gt is null && condition.Gte is null && condition.Eq is null)
        {
            // "fewer than N" can only be decided when a window closes; a streaming engine alerting on it would alert on every first event.
            throw new RuleFormatException(Yaml.LineOf(conditionNode), "a correlation condition needs gt, gte or eq (lt/lte alone are not supported yet)");
        }
        if (type == CorrelationType.ValueCount && condition.Field is null)
        {
            throw new RuleFormatException(Yaml.LineOf(conditionNode), "a value_count condition needs 'field'");
        }
        var generate = Yaml.Scalar(node, "generate") is { } generateText && bool.TryParse(generateText, out var flag) && flag;
        return new CorrelationRule(meta, type, rules, Yaml.Strings(node, "group-by"), ParseTimespan(timespanText, line), condition, generate);
    }

    private static long? Number(YamlMappingNode node, string key) =>
        Yaml.Scalar(node, key) is { } text
            ? long.TryParse(text, out var number) ? number : throw new RuleFormatException(Yaml.LineOf(node), $"'{key}' must be a whole number")
            : null;

    internal static TimeSpan ParseTimespan(string text, int line)
    {
        var match = TimespanPattern().Match(text.Trim());
        if (!match.Success)
        {
            throw new RuleFormatException(line, $"timespan '{text}' is not a number followed by s, m, h, d, w, M or y");
        }
        var amount = int.Parse(match.Groups[1].ValueSpan);
        return match.Groups[2].Value switch
        {
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            "d" => TimeSpan.FromDays(amount),
            "w" => TimeSpan.FromDays(7 * amount),
            "M" => TimeSpan.FromDays(30 * amount),
            _ => TimeSpan.FromDays(365 * amount),
        };
    }

    [GeneratedRegex("^([0-9]+)([smhdwMy])$")]
    private static partial Regex TimespanPattern();
}
