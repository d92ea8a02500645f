using System.Globalization;
using Vedette.Detection.Rules;

namespace Vedette.Detection.Matching.Modifiers;

/// <summary>
/// Turns one value of a detection item into the matcher its modifiers call for, at load: the string rewrites in the
/// rule's order, then one matcher over the resulting alternatives.
/// </summary>
internal sealed class ValueCompiler(IReadOnlyDictionary<string, IReadOnlyList<string>> placeholders)
{
    private readonly TextTransforms _transforms = new(placeholders);

    public IReadOnlySet<string> EmptyPlaceholders => _transforms.EmptyPlaceholders;

    /// <summary>
    /// The matcher for <paramref name="value"/>. A keyword (a value with no field) is searched as a substring of the
    /// event's fields unless contains, startswith or endswith says where, or the value is no string pattern.
    /// </summary>
    public IValueMatcher Compile(string value, ModifierChain chain, bool keyword, int line) => chain.Kind switch
    {
        ValueKind.Text => Text(value, chain, keyword, line),
        ValueKind.Regex => Regex(value, chain, line),
        ValueKind.Cidr => Cidr(value, line),
        ValueKind.Number => Number(value, chain, line),
        ValueKind.TimePart => TimePart(value, chain, line),
        _ => throw new InvalidOperationException($"{chain.Kind} values are predicates on the event, not value matchers"),
    };

    private IValueMatcher Text(string value, ModifierChain chain, bool keyword, int line)
    {
        IReadOnlyList<TextValue> values = [new(SigmaString.Parse(value, chain.Expands), Bytes: false)];
        foreach (var (step, name) in chain.Steps)
        {
            values = [.. values.SelectMany(v => _transforms.Apply(step, name, v, line))];
            if (values.Count > TextTransforms.MaxExpansion)
            {
                throw new RuleFormatException(line, $"modifier '{name}' expands '{value}' into more than {TextTransforms.MaxExpansion} values");
            }
        }
        var patterns = values.Select(v => keyword && !chain.HasShape ? v.Value.WithLeadingStar().WithTrailingStar() : v.Value);
        return AnyOfMatcher.Of([.. patterns.Select(p => p.ToMatcher(chain.Cased))]);
    }

    private static RegexMatcher Regex(string pattern, ModifierChain chain, int line)
    {
        try
        {
            return new RegexMatcher(pattern, chain.RegexOptions);
        }
        catch (ArgumentException ex)
        {
            throw new RuleFormatException(line, $"modifier 're': invalid regular expression '{pattern}': {ex.Message}");
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
            throw new RuleFormatException(line, $"modifier 'cidr': {ex.Message}");
        }
    }

    private static NumericMatcher Number(string value, ModifierChain chain, int line) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var bound)
            ? new NumericMatcher(chain.Comparison, bound)
            : throw new RuleFormatException(line, $"modifier '{chain.Comparison.ToString().ToLowerInvariant()}' needs a number, not '{value}'");

    private static TimePartMatcher TimePart(string value, ModifierChain chain, int line)
    {
        var (min, max) = TimePartMatcher.RangeOf(chain.TimePart);
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var expected) && expected >= min && expected <= max
            ? new TimePartMatcher(chain.TimePart, expected)
            : throw new RuleFormatException(line, $"modifier '{chain.TimePart.ToString().ToLowerInvariant()}' needs a whole number from {min} to {max}, not '{value}'");
    }
}
