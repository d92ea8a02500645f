using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Vedette.Detection.Rules;
using YamlDotNet.RepresentationModel;

namespace Vedette.Detection.Correlation;

/// <summary>Reads the `correlation:` section of a Sigma correlation rule (and its top-level `generate`).</summary>
internal static partial class CorrelationParser
{
    /// <summary>Longer windows would hold state for years; no detection needs that.</summary>
    private static readonly TimeSpan MaxTimespan = TimeSpan.FromDays(3653);

    private static readonly HashSet<string> ConditionKeys = new(StringComparer.Ordinal) { "gt", "gte", "lt", "lte", "eq", "neq", "field", "percentile" };

    public static CorrelationRule Parse(RuleMetadata meta, YamlMappingNode root, YamlMappingNode node)
    {
        var line = Yaml.LineOf(node);
        var typeName = Yaml.Scalar(node, "type") ?? throw new RuleFormatException(line, "the correlation has no 'type'");
        var type = typeName switch
        {
            "event_count" => CorrelationType.EventCount,
            "value_count" => CorrelationType.ValueCount,
            "temporal" => CorrelationType.Temporal,
            "temporal_ordered" => CorrelationType.TemporalOrdered,
            "value_sum" => CorrelationType.ValueSum,
            "value_avg" => CorrelationType.ValueAvg,
            "value_percentile" => CorrelationType.ValuePercentile,
            "value_median" => CorrelationType.ValueMedian,
            _ => throw new RuleFormatException(line, $"unknown correlation type '{typeName}': expected event_count, value_count, temporal, temporal_ordered, value_sum, value_avg, value_percentile or value_median"),
        };
        var rules = Yaml.Strings(node, "rules");
        if (rules.Count == 0)
        {
            throw new RuleFormatException(line, "the correlation names no 'rules'");
        }
        var groupBy = Yaml.Strings(node, "group-by");
        if (groupBy.GroupBy(g => g, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new RuleFormatException(Yaml.LineOf(Yaml.Child(node, "group-by")!), $"'group-by' lists '{twice.Key}' twice");
        }
        var timespanText = Yaml.Scalar(node, "timespan") ?? throw new RuleFormatException(line, "the correlation has no 'timespan'");
        var timespanLine = Yaml.LineOf(Yaml.Child(node, "timespan")!);
        return new CorrelationRule(meta, type, rules, groupBy, ParseTimespan(timespanText, timespanLine), ParseCondition(type, rules.Count, node), ParseGenerate(root, node))
        {
            Aliases = ParseAliases(node),
        };
    }

    /// <summary>
    /// Sigma makes `id` optional for correlations (they are often referred to by name). Alerts need a stable rule id,
    /// so one is derived from the name, else the title: the same rule gets the same id on every load. Null for a
    /// document that is not a correlation.
    /// </summary>
    public static string? DerivedId(YamlMappingNode root, string title)
    {
        if (Yaml.Child(root, "correlation") is null)
        {
            return null;
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("vedette/sigma-correlation/" + (Yaml.Scalar(root, "name") ?? title)));
        // A version-8 (custom) UUID: the bits say it was made, not registered.
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    internal static TimeSpan ParseTimespan(string text, int line)
    {
        var match = TimespanPattern().Match(text.Trim());
        if (!match.Success || !long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount == 0)
        {
            throw new RuleFormatException(line, $"timespan '{text}' is not a positive number followed by s, m, h, d, w, M or y");
        }
        // Months and years as pySigma counts them (the Gregorian averages), so that a rule means the same everywhere.
        var unitSeconds = match.Groups[2].Value switch
        {
            "s" => 1L,
            "m" => 60L,
            "h" => 3600L,
            "d" => 86_400L,
            "w" => 604_800L,
            "M" => 2_629_746L,
            _ => 31_556_952L,
        };
        if (amount > (long)MaxTimespan.TotalSeconds / unitSeconds)
        {
            throw new RuleFormatException(line, $"timespan '{text}' is longer than the {MaxTimespan.TotalDays:0} days a correlation may hold events");
        }
        return TimeSpan.FromSeconds(amount * unitSeconds);
    }

    private static CorrelationCondition ParseCondition(CorrelationType type, int ruleCount, YamlMappingNode node)
    {
        var temporal = type is CorrelationType.Temporal or CorrelationType.TemporalOrdered;
        var conditionNode = Yaml.Map(node, "condition");
        if (conditionNode is null)
        {
            // Sigma: a temporal correlation without a condition wants every rule it names.
            return temporal ? new CorrelationCondition { Gte = ruleCount } : throw new RuleFormatException(Yaml.LineOf(node), "the correlation has no 'condition'");
        }
        var line = Yaml.LineOf(conditionNode);
        foreach (var (key, _) in conditionNode.Children)
        {
            if (key is YamlScalarNode { Value: { } name } && !ConditionKeys.Contains(name))
            {
                throw new RuleFormatException(Yaml.LineOf(key), $"unknown condition key '{name}': expected gt, gte, lt, lte, eq, neq, field or percentile");
            }
        }
        var condition = new CorrelationCondition
        {
            Gt = Number(conditionNode, "gt"),
            Gte = Number(conditionNode, "gte"),
            Lt = Number(conditionNode, "lt"),
            Lte = Number(conditionNode, "lte"),
            Eq = Number(conditionNode, "eq"),
            Neq = Number(conditionNode, "neq"),
            Fields = Yaml.Strings(conditionNode, "field"),
            Percentile = Number(conditionNode, "percentile"),
        };
        if (condition is { Gt: null, Gte: null, Lt: null, Lte: null, Eq: null, Neq: null })
        {
            throw new RuleFormatException(line, "the condition has no bound: give gt, gte, lt, lte, eq or neq");
        }
        var measuresField = type is not (CorrelationType.EventCount or CorrelationType.Temporal or CorrelationType.TemporalOrdered);
        if (measuresField && condition.Fields.Count == 0)
        {
            throw new RuleFormatException(line, $"a {Name(type)} condition needs 'field': the field it measures");
        }
        if (!measuresField && condition.Fields.Count > 0)
        {
            throw new RuleFormatException(line, $"a {Name(type)} correlation counts {(temporal ? "rules" : "events")}; its condition takes no 'field'");
        }
        if (type is not CorrelationType.ValueCount && condition.Fields.Count > 1)
        {
            throw new RuleFormatException(line, $"a {Name(type)} condition measures one 'field', not a list");
        }
        if (condition.Percentile is { } percentile)
        {
            if (type != CorrelationType.ValuePercentile)
            {
                throw new RuleFormatException(line, "'percentile' belongs to value_percentile conditions only");
            }
            if (percentile is < 0 or > 100)
            {
                throw new RuleFormatException(line, $"'percentile' must be between 0 and 100, not {CorrelationCondition.Format(percentile)}");
            }
        }
        return condition;
    }

    private static bool ParseGenerate(YamlMappingNode root, YamlMappingNode node)
    {
        // The schema puts `generate` next to `level`; pySigma reads it inside `correlation`. Either place counts.
        var owner = Yaml.Child(node, "generate") is null ? root : node;
        if (Yaml.Child(owner, "generate") is not { } generateNode)
        {
            return false;
        }
        var text = Yaml.Scalar(owner, "generate");
        return bool.TryParse(text, out var generate) ? generate : throw new RuleFormatException(Yaml.LineOf(generateNode), $"'generate' must be true or false, not '{text}'");
    }

    private static Dictionary<string, IReadOnlyDictionary<string, string>> ParseAliases(YamlMappingNode node)
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        if (Yaml.Map(node, "aliases") is not { } aliases)
        {
            return result;
        }
        foreach (var (key, value) in aliases.Children)
        {
            var alias = ((YamlScalarNode)key).Value!;
            if (value is not YamlMappingNode perRule || perRule.Children.Count == 0)
            {
                throw new RuleFormatException(Yaml.LineOf(value), $"alias '{alias}' must map rule names to field names");
            }
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (rule, _) in perRule.Children)
            {
                var reference = ((YamlScalarNode)rule).Value!;
                fields[reference] = Yaml.Scalar(perRule, reference) ?? throw new RuleFormatException(Yaml.LineOf(rule), $"alias '{alias}' names no field for rule '{reference}'");
            }
            result[alias] = fields;
        }
        return result;
    }

    private static double? Number(YamlMappingNode node, string key) =>
        Yaml.Scalar(node, key) is { } text
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                ? number
                : throw new RuleFormatException(Yaml.LineOf(Yaml.Child(node, key)!), $"'{key}' must be a number, not '{text}'")
            : null;

    private static string Name(CorrelationType type) => type switch
    {
        CorrelationType.EventCount => "event_count",
        CorrelationType.ValueCount => "value_count",
        CorrelationType.Temporal => "temporal",
        CorrelationType.TemporalOrdered => "temporal_ordered",
        CorrelationType.ValueSum => "value_sum",
        CorrelationType.ValueAvg => "value_avg",
        CorrelationType.ValuePercentile => "value_percentile",
        _ => "value_median",
    };

    [GeneratedRegex("^([0-9]{1,18})([smhdwMy])$")]
    private static partial Regex TimespanPattern();
}
