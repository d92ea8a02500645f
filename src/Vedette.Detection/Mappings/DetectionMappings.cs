using Vedette.Detect;
using Vedette.Detection.Rules;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vedette.Detection.Mappings;

/// <summary>The data that adapts rules to log shapes: field locations, logsource conditions, observable fields.</summary>
public sealed record DetectionMappings(FieldResolver Fields, LogSourceMap LogSources, ObservableMap Observables)
{
    public const string FieldsFile = "fields.yml";
    public const string LogSourcesFile = "logsources.yml";
    public const string ObservablesFile = "observables.yml";
    public const string PlaceholdersFile = "placeholders.yml";

    /// <summary>Values for the `expand` modifier's %placeholders% (name without percent signs → values).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Placeholders { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Reads the mapping files of a folder (the product ships them in mappings/); placeholders.yml is optional.</summary>
    public static DetectionMappings Load(string folder)
    {
        var placeholders = Path.Combine(folder, PlaceholdersFile);
        return new(
            ReadFile(Path.Combine(folder, FieldsFile), ParseFields),
            ReadFile(Path.Combine(folder, LogSourcesFile), ParseLogSources),
            ReadFile(Path.Combine(folder, ObservablesFile), ParseObservables))
        {
            Placeholders = File.Exists(placeholders) ? ReadFile(placeholders, ParsePlaceholders) : new Dictionary<string, IReadOnlyList<string>>(),
        };
    }

    /// <summary>placeholders.yml: `placeholders: {Admins_Workstations: [wks001, wks002], ...}`.</summary>
    internal static IReadOnlyDictionary<string, IReadOnlyList<string>> ParsePlaceholders(YamlMappingNode root)
    {
        var map = Yaml.Map(root, "placeholders") ?? throw new RuleFormatException(Yaml.LineOf(root), "'placeholders' must be a map of name to values");
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (key, _) in map.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            result[name.Trim('%')] = Yaml.Strings(map, name);
        }
        return result;
    }

    private static T ReadFile<T>(string path, Func<YamlMappingNode, T> parse)
    {
        try
        {
            using var reader = File.OpenText(path);
            var document = Yaml.Documents(reader).FirstOrDefault()
                ?? throw new RuleFormatException(1, "the file is empty");
            return parse(document.RootNode as YamlMappingNode ?? throw new RuleFormatException(Yaml.LineOf(document.RootNode), "expected a map at the top"));
        }
        catch (RuleFormatException ex)
        {
            throw new InvalidDataException($"{path}:{ex.Line}: {ex.Message}", ex);
        }
        catch (YamlException ex)
        {
            throw new InvalidDataException($"{path}:{ex.Start.Line}: {ex.Message}", ex);
        }
    }

    internal static FieldResolver ParseFields(YamlMappingNode root)
    {
        var prefixes = Yaml.Child(root, "prefixes") is YamlSequenceNode sequence
            ? sequence.Children.Select(n => ((YamlScalarNode)n).Value ?? "").ToList()
            : [""];
        var aliases = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (Yaml.Map(root, "aliases") is { } map)
        {
            foreach (var (key, _) in map.Children)
            {
                var name = ((YamlScalarNode)key).Value!;
                aliases[name] = Yaml.Strings(map, name);
            }
        }
        var costs = new Dictionary<string, int>(StringComparer.Ordinal);
        if (Yaml.Map(root, "search-cost") is { } costMap)
        {
            foreach (var (key, value) in costMap.Children)
            {
                var name = ((YamlScalarNode)key).Value!;
                costs[name] = int.TryParse(((YamlScalarNode)value).Value, out var cost) && cost >= 1
                    ? cost
                    : throw new RuleFormatException(Yaml.LineOf(value), $"search-cost of '{name}' must be a whole number of at least 1");
            }
        }
        return new FieldResolver(prefixes, aliases, costs);
    }

    internal static LogSourceMap ParseLogSources(YamlMappingNode root)
    {
        var list = Yaml.Child(root, "logsources") as YamlSequenceNode
            ?? throw new RuleFormatException(Yaml.LineOf(root), "'logsources' must be a list");
        var mappings = new List<LogSourceMapping>();
        foreach (var item in list.Children.Cast<YamlMappingNode>())
        {
            var logsource = Yaml.Map(item, "logsource") ?? throw new RuleFormatException(Yaml.LineOf(item), "an entry needs a 'logsource'");
            var any = Yaml.Child(item, "any") as YamlSequenceNode ?? throw new RuleFormatException(Yaml.LineOf(item), "an entry needs 'any': a list of alternatives");
            var alternatives = any.Children.Select(node => Alternative((YamlMappingNode)node)).ToList();
            mappings.Add(new LogSourceMapping(
                new LogSource(Yaml.Scalar(logsource, "product"), Yaml.Scalar(logsource, "category"), Yaml.Scalar(logsource, "service")),
                alternatives));
        }
        var fallback = Yaml.Scalar(root, "fallback") switch
        {
            null or "none" => false,
            "source-kind" => true,
            var other => throw new RuleFormatException(Yaml.LineOf(root), $"unknown fallback '{other}': expected none or source-kind"),
        };
        return new LogSourceMap(mappings, fallback);
    }

    /// <summary>An alternative is either a map of conditions, or {conditions: {...}, fields: {sigma name: event name}}.</summary>
    private static LogSourceAlternative Alternative(YamlMappingNode node)
    {
        var conditions = Yaml.Map(node, "conditions");
        var renames = Yaml.Map(node, "fields");
        return new LogSourceAlternative(ScalarMap(conditions ?? node), renames is null ? new Dictionary<string, string>() : ScalarMap(renames));
    }

    private static Dictionary<string, string> ScalarMap(YamlMappingNode map) =>
        map.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value ?? "", StringComparer.Ordinal);

    internal static ObservableMap ParseObservables(YamlMappingNode root)
    {
        var fields = new List<(string, FieldKindOfObservable)>();
        var fieldMap = Yaml.Map(root, "fields") ?? throw new RuleFormatException(Yaml.LineOf(root), "'fields' is missing");
        foreach (var (key, _) in fieldMap.Children)
        {
            var kindName = ((YamlScalarNode)key).Value!;
            var kind = ParseKind(kindName, Yaml.LineOf(key));
            fields.AddRange(Yaml.Strings(fieldMap, kindName).Select(field => (field, kind)));
        }
        var ignore = new Dictionary<FieldKindOfObservable, IReadOnlyCollection<string>>();
        if (Yaml.Map(root, "ignore") is { } ignoreMap)
        {
            foreach (var (key, _) in ignoreMap.Children)
            {
                var kindName = ((YamlScalarNode)key).Value!;
                ignore[ParseKind(kindName, Yaml.LineOf(key))] = Yaml.Strings(ignoreMap, kindName);
            }
        }
        return new ObservableMap(fields, Yaml.Strings(root, "event-host-sources"), ignore);
    }

    private static FieldKindOfObservable ParseKind(string name, int line) =>
        Enum.TryParse<FieldKindOfObservable>(name, ignoreCase: true, out var kind)
            ? kind
            : throw new RuleFormatException(line, $"unknown observable kind '{name}'");
}
