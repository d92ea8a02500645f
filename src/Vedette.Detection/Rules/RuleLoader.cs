using System.Text.RegularExpressions;
using Vedette.Detection.Mappings;
using Vedette.Detection.Matching;
using Vedette.Domain;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vedette.Detection.Rules;

/// <summary>A detection rule with its detection compiled, not yet joined to a logsource.</summary>
internal sealed record ParsedRule(RuleMetadata Meta, LogSource LogSource, IEventPredicate Detection);

/// <summary>
/// Reads Sigma rule files (several YAML documents per file allowed). A rule that cannot load is reported with
/// file, line and reason, and loading goes on with the next.
/// </summary>
internal sealed partial class RuleLoader(FieldResolver fields)
{
    private readonly DetectionCompiler _compiler = new(fields);

    public List<ParsedRule> Rules { get; } = [];

    public List<CorrelationRule> Correlations { get; } = [];

    public List<RuleLoadError> Errors { get; } = [];

    public void LoadPath(string path)
    {
        if (Directory.Exists(path))
        {
            foreach (var file in Directory.EnumerateFiles(path, "*.*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal))
            {
                LoadFile(file);
            }
        }
        else if (File.Exists(path))
        {
            LoadFile(path);
        }
        else
        {
            Errors.Add(new RuleLoadError(new RuleSource(path, 0), null, "no such file or folder"));
        }
    }

    public void LoadFile(string file)
    {
        try
        {
            using var reader = File.OpenText(file);
            LoadText(reader, file);
        }
        catch (IOException ex)
        {
            Errors.Add(new RuleLoadError(new RuleSource(file, 0), null, ex.Message));
        }
    }

    public void LoadText(TextReader reader, string file)
    {
        IEnumerable<YamlDocument> documents;
        try
        {
            documents = Yaml.Documents(reader).ToList();
        }
        catch (YamlException ex)
        {
            Errors.Add(new RuleLoadError(new RuleSource(file, (int)ex.Start.Line), null, $"invalid YAML: {ex.Message}"));
            return;
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this, not a YamlException, on some malformed input (an unclosed flow sequence).
            Errors.Add(new RuleLoadError(new RuleSource(file, 0), null, $"invalid YAML: {ex.Message}"));
            return;
        }
        foreach (var document in documents)
        {
            string? id = null;
            try
            {
                if (document.RootNode is not YamlMappingNode root)
                {
                    throw new RuleFormatException(Yaml.LineOf(document.RootNode), "a rule must be a YAML map");
                }
                id = Yaml.Scalar(root, "id");
                LoadDocument(root, file);
            }
            catch (RuleFormatException ex)
            {
                Errors.Add(new RuleLoadError(new RuleSource(file, ex.Line), id, ex.Message));
            }
            catch (InvalidCastException)
            {
                Errors.Add(new RuleLoadError(new RuleSource(file, Yaml.LineOf(document.RootNode)), id, "unexpected YAML structure"));
            }
        }
    }

    private void LoadDocument(YamlMappingNode root, string file)
    {
        var meta = Metadata(root, file);
        if (Yaml.Map(root, "correlation") is { } correlation)
        {
            Correlations.Add(Correlation(meta, correlation));
            return;
        }
        var detection = Yaml.Map(root, "detection") ?? throw new RuleFormatException(Yaml.LineOf(root), "the rule has neither 'detection' nor 'correlation'");
        var logsource = Yaml.Map(root, "logsource") ?? throw new RuleFormatException(Yaml.LineOf(root), "the rule has no 'logsource'");
        var source = new LogSource(Yaml.Scalar(logsource, "product"), Yaml.Scalar(logsource, "category"), Yaml.Scalar(logsource, "service"));
        Rules.Add(new ParsedRule(meta, source, _compiler.Compile(detection)));
    }

    private static RuleMetadata Metadata(YamlMappingNode root, string file)
    {
        var title = Yaml.Scalar(root, "title") ?? throw new RuleFormatException(Yaml.LineOf(root), "the rule has no 'title'");
        var id = Yaml.Scalar(root, "id") ?? throw new RuleFormatException(Yaml.LineOf(root), "the rule has no 'id'");
        Severity? level = null;
        if (Yaml.Scalar(root, "level") is { } levelText)
        {
            level = SeverityNames.TryParse(levelText, out var parsed)
                ? parsed
                : throw new RuleFormatException(Yaml.LineOf(Yaml.Child(root, "level")!), $"unknown level '{levelText}': expected informational, low, medium, high or critical");
        }
        return new RuleMetadata
        {
            Id = id,
            Name = Yaml.Scalar(root, "name"),
            Title = title,
            Status = Yaml.Scalar(root, "status"),
            Description = Yaml.Scalar(root, "description"),
            Level = level,
            Tags = Yaml.Strings(root, "tags"),
            References = Yaml.Strings(root, "references"),
            FalsePositives = Yaml.Strings(root, "falsepositives"),
            Author = Yaml.Scalar(root, "author"),
            Date = Yaml.Scalar(root, "date"),
            Modified = Yaml.Scalar(root, "modified"),
            Source = new RuleSource(file, Yaml.LineOf(root)),
        };
    }

    private static CorrelationRule Correlation(RuleMetadata meta, YamlMappingNode node)
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
