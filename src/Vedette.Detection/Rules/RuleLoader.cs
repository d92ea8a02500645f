using Vedette.Detection.Correlation;
using Vedette.Domain;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vedette.Detection.Rules;

/// <summary>A detection rule as read: compiled later, once per logsource alternative it runs on.</summary>
internal sealed record ParsedRule(RuleMetadata Meta, LogSource LogSource, YamlMappingNode Detection);

/// <summary>A Sigma filter: a detection that, when it matches, silences the rules it names.</summary>
internal sealed record ParsedFilter(RuleMetadata Meta, LogSource LogSource, IReadOnlyList<string> Rules, YamlMappingNode Detection);

/// <summary>
/// Reads Sigma rule files (several YAML documents per file allowed). A rule that cannot load is reported with
/// file, line and reason, and loading goes on with the next.
/// </summary>
internal sealed class RuleLoader
{
    /// <summary>SigmaHQ's largest rule is a few tens of kilobytes; a rule file a hundred times that is not a rule.</summary>
    public const long MaxRuleFileBytes = 1 << 20;

    public List<ParsedRule> Rules { get; } = [];

    public List<ParsedFilter> Filters { get; } = [];

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
            var length = new FileInfo(file).Length;
            if (length > MaxRuleFileBytes)
            {
                Errors.Add(new RuleLoadError(new RuleSource(file, 0), null, $"the file is {length:N0} bytes; rule files are limited to {MaxRuleFileBytes:N0}"));
                return;
            }
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
            var text = reader.ReadToEnd();
            if (text.Length > MaxRuleFileBytes)
            {
                Errors.Add(new RuleLoadError(new RuleSource(file, 0), null, $"the rule text is {text.Length:N0} characters; rules are limited to {MaxRuleFileBytes:N0}"));
                return;
            }
            Yaml.RefuseAliases(text);
            documents = Yaml.Documents(new StringReader(text)).ToList();
        }
        catch (RuleFormatException ex)
        {
            Errors.Add(new RuleLoadError(new RuleSource(file, ex.Line), null, ex.Message));
            return;
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
            Correlations.Add(CorrelationParser.Parse(meta, root, correlation));
            return;
        }
        if (Yaml.Map(root, "filter") is { } filter)
        {
            var rules = Yaml.Strings(filter, "rules");
            if (rules.Count == 0)
            {
                throw new RuleFormatException(Yaml.LineOf(filter), "the filter names no 'rules' to apply to");
            }
            var selection = new YamlMappingNode();
            foreach (var (key, value) in filter.Children)
            {
                if (((YamlScalarNode)key).Value != "rules")
                {
                    selection.Add(key, value);
                }
            }
            Filters.Add(new ParsedFilter(meta, ReadLogSource(root), rules, selection));
            return;
        }
        var detection = Yaml.Map(root, "detection") ?? throw new RuleFormatException(Yaml.LineOf(root), "the rule has neither 'detection', 'correlation' nor 'filter'");
        Rules.Add(new ParsedRule(meta, ReadLogSource(root), detection));
    }

    private static LogSource ReadLogSource(YamlMappingNode root)
    {
        var logsource = Yaml.Map(root, "logsource") ?? throw new RuleFormatException(Yaml.LineOf(root), "the rule has no 'logsource'");
        return new LogSource(Yaml.Scalar(logsource, "product"), Yaml.Scalar(logsource, "category"), Yaml.Scalar(logsource, "service"));
    }

    private static RuleMetadata Metadata(YamlMappingNode root, string file)
    {
        var title = Yaml.Scalar(root, "title") ?? throw new RuleFormatException(Yaml.LineOf(root), "the rule has no 'title'");
        var id = Yaml.Scalar(root, "id") ?? CorrelationParser.DerivedId(root, title) ?? throw new RuleFormatException(Yaml.LineOf(root), "the rule has no 'id'");
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
            Related = Related(root),
            License = Yaml.Scalar(root, "license"),
            Date = Yaml.Scalar(root, "date"),
            Modified = Yaml.Scalar(root, "modified"),
            Source = new RuleSource(file, Yaml.LineOf(root)),
        };
    }

    private static IReadOnlyList<RelatedRule> Related(YamlMappingNode root)
    {
        if (Yaml.Child(root, "related") is not YamlSequenceNode list)
        {
            return [];
        }
        return [.. list.Children.OfType<YamlMappingNode>().Select(item => new RelatedRule(
            Yaml.Scalar(item, "id") ?? throw new RuleFormatException(Yaml.LineOf(item), "a related entry needs an 'id'"),
            Yaml.Scalar(item, "type") ?? throw new RuleFormatException(Yaml.LineOf(item), "a related entry needs a 'type'")))];
    }
}
