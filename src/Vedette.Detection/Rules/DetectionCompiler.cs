using Vedette.Detection.Mappings;
using Vedette.Detection.Matching;
using Vedette.Detection.Matching.Modifiers;
using YamlDotNet.RepresentationModel;

namespace Vedette.Detection.Rules;

/// <summary>
/// Compiles a rule's detection section once, at load: each search identifier becomes a predicate tree with
/// matchers chosen per value, and the condition joins them. Nothing is parsed or built per event.
/// </summary>
internal sealed class DetectionCompiler(FieldResolver fields, IReadOnlyDictionary<string, IReadOnlyList<string>> placeholders)
{
    private readonly ValueCompiler _values = new(placeholders);

    /// <summary>Placeholders met while compiling that are defined with no values: the rule cannot match until they are set.</summary>
    public IReadOnlySet<string> EmptyPlaceholders => _values.EmptyPlaceholders;

    /// <summary>Values of the `expand` modifier's placeholders.</summary>
    internal IReadOnlyDictionary<string, IReadOnlyList<string>> Placeholders { get; } = placeholders;

    public IEventPredicate Compile(YamlMappingNode detection)
    {
        var searches = new Dictionary<string, IEventPredicate>(StringComparer.Ordinal);
        YamlNode? condition = null;
        foreach (var (keyNode, value) in detection.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value!;
            if (key == "condition")
            {
                condition = value;
                continue;
            }
            if (key == "timeframe")
            {
                throw new RuleFormatException(Yaml.LineOf(keyNode), "'timeframe' is Sigma 1.x aggregation: write a correlation rule instead");
            }
            searches[key] = CompileSearch(value);
        }
        return condition switch
        {
            null => throw new RuleFormatException(Yaml.LineOf(detection), "the detection has no condition"),
            YamlScalarNode scalar => ConditionParser.Parse(scalar.Value ?? "", searches, Yaml.LineOf(scalar)),
            // A list of conditions is the 1.x way of saying "any of these".
            YamlSequenceNode list => new OrPredicate([.. list.Children.Select(c => ConditionParser.Parse(((YamlScalarNode)c).Value ?? "", searches, Yaml.LineOf(c)))]),
            _ => throw new RuleFormatException(Yaml.LineOf(condition), "the condition must be a string"),
        };
    }

    private IEventPredicate CompileSearch(YamlNode node) => node switch
    {
        YamlMappingNode map => CompileMap(map),
        YamlSequenceNode list when list.Children.All(c => c is YamlMappingNode) =>
            Any([.. list.Children.Select(c => CompileMap((YamlMappingNode)c))]),
        YamlSequenceNode list when list.Children.All(c => c is YamlScalarNode) => CompileKeywords(list.Children, ModifierChain.None, Yaml.LineOf(list)),
        YamlScalarNode scalar when !Yaml.IsNull(scalar) => CompileKeywords([scalar], ModifierChain.None, Yaml.LineOf(scalar)),
        _ => throw new RuleFormatException(Yaml.LineOf(node), "a search must be a map, a list of maps, or a list of keywords"),
    };

    private IEventPredicate CompileMap(YamlMappingNode map)
    {
        var parts = new List<IEventPredicate>();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            parts.Add(CompileItem(((YamlScalarNode)keyNode).Value ?? "", valueNode, Yaml.LineOf(keyNode)));
        }
        return parts.Count == 1 ? parts[0] : new AndPredicate([.. parts]);
    }

    /// <summary>One `Field|modifiers: values` item; "|modifiers: values" with no field name is a keyword search.</summary>
    private IEventPredicate CompileItem(string key, YamlNode valueNode, int line)
    {
        var pieces = key.Split('|');
        var name = pieces[0];
        var chain = ModifierChain.Parse(pieces[1..], keyword: name.Length == 0, line);
        var values = valueNode switch
        {
            YamlScalarNode scalar => [scalar],
            YamlSequenceNode list => list.Children.Select(c => c as YamlScalarNode
                ?? throw new RuleFormatException(Yaml.LineOf(c), $"values of '{key}' must be plain values")).ToList(),
            _ => throw new RuleFormatException(line, $"the value of '{key}' must be a value or a list of values"),
        };
        var item = name.Length == 0 ? CompileKeywords(values, chain, line) : CompileField(fields.Resolve(name), key, values, chain, line);
        // neq: "the field is different from the values", pySigma's negation of the whole item.
        return chain.Negate ? new NotPredicate(item) : item;
    }

    private KeywordPredicate CompileKeywords(IEnumerable<YamlNode> values, ModifierChain chain, int line) =>
        new([.. values.Cast<YamlScalarNode>().Select(v => Yaml.IsNull(v)
            ? throw new RuleFormatException(Yaml.LineOf(v), "a keyword cannot be null")
            : _values.Compile(v.Value ?? "", chain, keyword: true, line))], chain.All);

    private IEventPredicate CompileField(FieldRef field, string key, IReadOnlyList<YamlScalarNode> nodes, ModifierChain chain, int line)
    {
        var values = nodes.Select(s => Yaml.IsNull(s) ? null : s.Value).ToList();
        if (values.Count == 0)
        {
            throw new RuleFormatException(line, $"'{key}' has an empty list of values");
        }
        switch (chain.Kind)
        {
            case ValueKind.Exists:
                return values is [{ } flag] && bool.TryParse(flag, out var expected)
                    ? new ExistsPredicate(field, expected)
                    : throw new RuleFormatException(line, $"modifier 'exists' of '{key}' needs true or false");
            case ValueKind.FieldReference:
                var comparison = chain.Cased ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
                IEventPredicate[] references = [.. values.Select(v => new FieldReferencePredicate(
                    field, fields.Resolve(ReferencedField(key, v, line)), chain.ReferenceStartsWith, chain.ReferenceEndsWith, comparison))];
                return chain.All ? All(references) : Any(references);
        }
        var matchers = MergeSubstrings(values.OfType<string>().Select(v => _values.Compile(v, chain, keyword: false, line)).ToArray(), chain.All);
        IEventPredicate? valuePredicate = matchers.Length > 0 ? new FieldPredicate(field, matchers, chain.All) : null;
        if (!values.Contains(null))
        {
            return valuePredicate!;
        }
        var nullPredicate = new NullPredicate(field);
        return valuePredicate is null ? nullPredicate : chain.All ? new AndPredicate([nullPredicate, valuePredicate]) : Any([nullPredicate, valuePredicate]);
    }

    private static string ReferencedField(string key, string? value, int line) =>
        value is null || value.AsSpan().ContainsAny('*', '?')
            ? throw new RuleFormatException(line, $"modifier 'fieldref' of '{key}' needs field names, not patterns or null")
            : value;

    private static IEventPredicate All(IEventPredicate[] parts) => parts.Length == 1 ? parts[0] : new AndPredicate(parts);

    private static IEventPredicate Any(IEventPredicate[] parts) => parts.Length == 1 ? parts[0] : new OrPredicate(parts);

    /// <summary>
    /// "Any of these substrings" written as a long list (SigmaHQ has rules with 200) becomes one multi-substring
    /// search over the value instead of one search per substring. Under |all every one must be found: left alone.
    /// </summary>
    private static IValueMatcher[] MergeSubstrings(IValueMatcher[] matchers, bool all)
    {
        const int worthMerging = 4;
        if (all || matchers.Length < worthMerging)
        {
            return matchers;
        }
        var merged = new List<IValueMatcher>();
        foreach (var group in matchers.OfType<ContainsMatcher>().Where(m => m.Value.Length > 0).GroupBy(m => m.Comparison))
        {
            var substrings = group.Select(m => m.Value).Distinct(StringComparer.Ordinal).ToArray();
            if (substrings.Length >= worthMerging)
            {
                merged.Add(new Matching.Modifiers.ContainsAnyMatcher(substrings, group.Key));
            }
            else
            {
                merged.AddRange(group);
            }
        }
        merged.AddRange(matchers.Where(m => m is not ContainsMatcher { Value.Length: > 0 }));
        return [.. merged];
    }
}
