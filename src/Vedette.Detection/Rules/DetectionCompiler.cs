using System.Globalization;
using System.Text.RegularExpressions;
using Vedette.Detection.Mappings;
using Vedette.Detection.Matching;
using YamlDotNet.RepresentationModel;

namespace Vedette.Detection.Rules;

/// <summary>
/// Compiles a rule's detection section once, at load: each search identifier becomes a predicate tree with
/// matchers chosen per value, and the condition joins them. Nothing is parsed or built per event.
/// </summary>
internal sealed class DetectionCompiler(FieldResolver fields, IReadOnlyDictionary<string, IReadOnlyList<string>> placeholders)
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

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
        YamlSequenceNode list when list.Children.All(c => c is YamlScalarNode) =>
            new KeywordPredicate([.. list.Children.Select(c => KeywordMatcher((YamlScalarNode)c))], all: false),
        YamlScalarNode scalar when !Yaml.IsNull(scalar) => new KeywordPredicate([KeywordMatcher(scalar)], all: false),
        _ => throw new RuleFormatException(Yaml.LineOf(node), "a search must be a map, a list of maps, or a list of keywords"),
    };

    private static IValueMatcher KeywordMatcher(YamlScalarNode scalar) =>
        SigmaString.Parse(scalar.Value ?? "").WithLeadingStar().WithTrailingStar().ToMatcher(cased: false);

    private IEventPredicate CompileMap(YamlMappingNode map)
    {
        var parts = new List<IEventPredicate>();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            parts.Add(CompileField(((YamlScalarNode)keyNode).Value ?? "", valueNode, Yaml.LineOf(keyNode)));
        }
        return parts.Count == 1 ? parts[0] : new AndPredicate([.. parts]);
    }

    private IEventPredicate CompileField(string key, YamlNode valueNode, int line)
    {
        var pieces = key.Split('|');
        var name = pieces[0];
        var modifiers = pieces.Skip(1).Select(m => m.ToLowerInvariant()).ToList();
        var values = valueNode switch
        {
            YamlScalarNode scalar => [Yaml.IsNull(scalar) ? null : scalar.Value],
            YamlSequenceNode list => list.Children.Select(c => c is YamlScalarNode s
                ? (Yaml.IsNull(s) ? null : s.Value)
                : throw new RuleFormatException(Yaml.LineOf(c), $"values of '{key}' must be plain values")).ToList(),
            _ => throw new RuleFormatException(line, $"the value of '{key}' must be a value or a list of values"),
        };

        if (name.Length == 0)
        {
            // "|contains: [...]" with no field name is a keyword search with modifiers.
            return new KeywordPredicate([.. values.Select(v => ValueMatcher(v ?? "", modifiers, line))], all: modifiers.Contains("all"));
        }
        var field = fields.Resolve(name);
        if (modifiers.Contains("exists"))
        {
            var expected = values.Count == 1 && bool.TryParse(values[0], out var flag) ? flag
                : throw new RuleFormatException(line, $"'{key}' needs true or false");
            return new ExistsPredicate(field, expected);
        }
        if (values.Count == 0)
        {
            throw new RuleFormatException(line, $"'{key}' has an empty list of values");
        }
        var all = modifiers.Contains("all");
        var matchers = values.Where(v => v is not null).Select(v => ValueMatcher(v!, modifiers, line)).ToArray();
        IEventPredicate? valuePredicate = matchers.Length > 0 ? new FieldPredicate(field, matchers, all) : null;
        if (!values.Contains(null))
        {
            return valuePredicate!;
        }
        var nullPredicate = new NullPredicate(field);
        return valuePredicate is null ? nullPredicate : all ? new AndPredicate([nullPredicate, valuePredicate]) : Any([nullPredicate, valuePredicate]);
    }

    private static IValueMatcher ValueMatcher(string value, List<string> modifiers, int line)
    {
        var cased = false;
        string? shape = null;
        foreach (var modifier in modifiers)
        {
            switch (modifier)
            {
                case "all":
                    break;
                case "cased":
                    cased = true;
                    break;
                case "contains" or "startswith" or "endswith" or "re" or "cidr" or "lt" or "lte" or "gt" or "gte":
                    if (shape is not null)
                    {
                        throw new RuleFormatException(line, $"modifiers '{shape}' and '{modifier}' cannot be combined");
                    }
                    shape = modifier;
                    break;
                case "i" or "m" or "s" when modifiers.Contains("re"):
                    break;
                default:
                    throw new RuleFormatException(line, $"modifier '{modifier}' is not supported by this engine yet");
            }
        }
        var sigma = SigmaString.Parse(value);
        return shape switch
        {
            null => sigma.ToMatcher(cased),
            "contains" => sigma.WithLeadingStar().WithTrailingStar().ToMatcher(cased),
            "startswith" => sigma.WithTrailingStar().ToMatcher(cased),
            "endswith" => sigma.WithLeadingStar().ToMatcher(cased),
            "re" => RegexFor(value, modifiers, line),
            "cidr" => Cidr(value, line),
            _ => Numeric(shape, value, line),
        };
    }

    private static RegexMatcher RegexFor(string pattern, List<string> modifiers, int line)
    {
        var options = RegexOptions.CultureInvariant
            | (modifiers.Contains("i") ? RegexOptions.IgnoreCase : RegexOptions.None)
            | (modifiers.Contains("m") ? RegexOptions.Multiline : RegexOptions.None)
            | (modifiers.Contains("s") ? RegexOptions.Singleline : RegexOptions.None);
        try
        {
            return new RegexMatcher(new Regex(pattern, options | RegexOptions.NonBacktracking), pattern);
        }
        catch (NotSupportedException)
        {
            // Backreferences and lookarounds need the backtracking engine; the timeout keeps a hostile pattern from hanging the pipeline.
            return new RegexMatcher(new Regex(pattern, options, RegexTimeout), pattern);
        }
        catch (ArgumentException ex)
        {
            throw new RuleFormatException(line, $"invalid regular expression '{pattern}': {ex.Message}");
        }
    }

    private static CidrMatcher Cidr(string value, int line)
    {
        try
        {
            return new CidrMatcher(value);
        }
        catch (FormatException ex)
        {
            throw new RuleFormatException(line, ex.Message);
        }
    }

    private static NumericMatcher Numeric(string shape, string value, int line) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var bound)
            ? new NumericMatcher(Enum.Parse<NumericComparison>(shape, ignoreCase: true), bound)
            : throw new RuleFormatException(line, $"'{shape}' needs a number, not '{value}'");

    private static IEventPredicate Any(IEventPredicate[] parts) => parts.Length == 1 ? parts[0] : new OrPredicate(parts);
}
