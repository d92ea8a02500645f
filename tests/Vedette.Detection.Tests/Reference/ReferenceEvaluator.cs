using System.Text.RegularExpressions;
using Vedette.Detection.Mappings;
using Vedette.Detection.Rules;
using Vedette.Domain;
using YamlDotNet.RepresentationModel;

namespace Vedette.Tests.Reference;

/// <summary>
/// A deliberately simple, independent Sigma interpreter to check the engine against: no compilation, no index. For
/// each event it walks the rule's YAML, applies the modifiers from their definitions (<see cref="ReferenceValues"/>)
/// and evaluates the condition with its own small parser. Events are flat: a field is found under its own name
/// only. The engine's own choices where the specification is silent are followed on purpose: keywords search the
/// event's string fields; null matches an absent, JSON-null or empty field; neq negates the whole item.
/// </summary>
internal sealed class ReferenceEvaluator(DetectionMappings mappings)
{
    /// <summary>Whether the rule (one YAML document) raises an alert for the event: its logsource selects it and its detection holds.</summary>
    public bool Matches(string ruleYaml, Event e)
    {
        var root = (YamlMappingNode)Yaml.Documents(new StringReader(ruleYaml)).Single().RootNode;
        var logsource = (YamlMappingNode)root[new YamlScalarNode("logsource")];
        var mapping = mappings.LogSources.Find(new LogSource(Scalar(logsource, "product"), Scalar(logsource, "category"), Scalar(logsource, "service")));
        if (mapping is null)
        {
            return false;
        }
        var detection = (YamlMappingNode)root[new YamlScalarNode("detection")];
        foreach (var alternative in mapping.Any)
        {
            if (alternative.Conditions.All(c => Condition(e, c.Key, c.Value)) && Detection(detection, e, alternative.FieldRenames))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Condition(Event e, string field, string value) => field == "$source"
        ? string.Equals(e.Source, value, StringComparison.OrdinalIgnoreCase)
        : e.TryGet(field, out var actual) && string.Equals(actual.Text, value, StringComparison.OrdinalIgnoreCase);

    private bool Detection(YamlMappingNode detection, Event e, IReadOnlyDictionary<string, string> renames)
    {
        var searches = detection.Children
            .Where(p => ((YamlScalarNode)p.Key).Value != "condition")
            .ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => p.Value, StringComparer.Ordinal);
        bool Search(string name) => SearchHolds(searches[name], e, renames);
        return detection[new YamlScalarNode("condition")] switch
        {
            YamlSequenceNode list => list.Children.Any(c => ReferenceCondition.Evaluate(((YamlScalarNode)c).Value!, searches.Keys, Search)),
            var single => ReferenceCondition.Evaluate(((YamlScalarNode)single).Value!, searches.Keys, Search),
        };
    }

    private bool SearchHolds(YamlNode search, Event e, IReadOnlyDictionary<string, string> renames) => search switch
    {
        YamlMappingNode map => map.Children.All(p => Item(((YamlScalarNode)p.Key).Value!, p.Value, e, renames)),
        YamlSequenceNode list when list.Children.All(c => c is YamlMappingNode) => list.Children.Any(c => SearchHolds(c, e, renames)),
        YamlSequenceNode list => Keywords(list.Children.Select(c => ((YamlScalarNode)c).Value!), [], all: false, e),
        var scalar => Keywords([((YamlScalarNode)scalar).Value!], [], all: false, e),
    };

    private bool Item(string key, YamlNode valueNode, Event e, IReadOnlyDictionary<string, string> renames)
    {
        var pieces = key.Split('|');
        var modifiers = pieces.Skip(1).Select(m => m.ToLowerInvariant()).ToList();
        var values = valueNode is YamlSequenceNode list ? list.Children.Cast<YamlScalarNode>().ToList() : [(YamlScalarNode)valueNode];
        var all = modifiers.Contains("all");
        var holds = pieces[0].Length == 0
            ? Keywords(values.Select(v => v.Value!), modifiers, all, e)
            : Field(renames.GetValueOrDefault(pieces[0], pieces[0]), values, modifiers, all, e, renames);
        return modifiers.Contains("neq") ? !holds : holds;
    }

    private bool Field(string name, List<YamlScalarNode> values, List<string> modifiers, bool all, Event e, IReadOnlyDictionary<string, string> renames)
    {
        var present = e.TryGet(name, out var field);
        if (modifiers.Contains("exists"))
        {
            return present == bool.Parse(values.Single().Value!);
        }
        bool One(YamlScalarNode node)
        {
            if (IsNull(node))
            {
                return !present || field.IsNull || field.Text == "";
            }
            if (!present || field.IsNull)
            {
                return false;
            }
            if (modifiers.Contains("fieldref"))
            {
                return e.TryGet(renames.GetValueOrDefault(node.Value!, node.Value!), out var other) && !other.IsNull
                    && field.Items.Any(item => other.Items.Any(wanted => Compare(item, wanted, modifiers)));
            }
            return field.Items.Any(item => ReferenceValues.Matches(item, node.Value!, modifiers, keyword: false, mappings.Placeholders));
        }
        return all ? values.All(One) : values.Any(One);
    }

    private static bool Compare(string text, string wanted, List<string> modifiers)
    {
        var comparison = modifiers.Contains("cased") ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var starts = modifiers.Contains("startswith") || modifiers.Contains("contains");
        var ends = modifiers.Contains("endswith") || modifiers.Contains("contains");
        return starts && ends ? text.Contains(wanted, comparison)
            : starts ? text.StartsWith(wanted, comparison)
            : ends ? text.EndsWith(wanted, comparison)
            : string.Equals(text, wanted, comparison);
    }

    private bool Keywords(IEnumerable<string> values, List<string> modifiers, bool all, Event e)
    {
        bool Found(string value) => e.Fields.Values.Any(f => f.Kind == FieldKind.String && ReferenceValues.Matches(f.Text!, value, modifiers, keyword: true, mappings.Placeholders));
        return all ? values.All(Found) : values.Any(Found);
    }

    private static bool IsNull(YamlScalarNode node) => node.Style == YamlDotNet.Core.ScalarStyle.Plain && node.Value is "null" or "~" or "";

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? ((YamlScalarNode)node).Value : null;
}

/// <summary>
/// The condition grammar of the rules specification, interpreted while parsing: or binds least, then and, then not,
/// then "1 of" / "all of", then parentheses.
/// </summary>
internal sealed class ReferenceCondition
{
    private readonly List<string> _tokens;
    private readonly ICollection<string> _names;
    private readonly Func<string, bool> _search;
    private int _at;

    private ReferenceCondition(string condition, ICollection<string> names, Func<string, bool> search)
    {
        _tokens = [.. Regex.Matches(condition, @"\(|\)|[^\s()]+").Select(m => m.Value)];
        _names = names;
        _search = search;
    }

    public static bool Evaluate(string condition, ICollection<string> names, Func<string, bool> search)
    {
        var parser = new ReferenceCondition(condition, names, search);
        var result = parser.Or();
        return parser._at == parser._tokens.Count ? result : throw new FormatException($"trailing tokens in '{condition}'");
    }

    private bool Or()
    {
        var result = And();
        while (Take("or"))
        {
            result |= And();
        }
        return result;
    }

    private bool And()
    {
        var result = Not();
        while (Take("and"))
        {
            result &= Not();
        }
        return result;
    }

    private bool Not() => Take("not") ? !Not() : Primary();

    private bool Primary()
    {
        var token = _tokens[_at++];
        if (token == "(")
        {
            var inner = Or();
            return Take(")") ? inner : throw new FormatException("missing )");
        }
        if (_at < _tokens.Count && _tokens[_at] == "of")
        {
            var pattern = _tokens[_at + 1];
            _at += 2;
            var matched = pattern == "them"
                ? _names.Where(n => !n.StartsWith('_')).ToList()
                : _names.Where(n => Regex.IsMatch(n, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$")).ToList();
            return token == "all" ? matched.All(_search) : matched.Any(_search);
        }
        return _search(token);
    }

    private bool Take(string token)
    {
        if (_at < _tokens.Count && _tokens[_at] == token)
        {
            _at++;
            return true;
        }
        return false;
    }
}
