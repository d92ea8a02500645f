using System.Buffers;

namespace Vedette.Detection.Matching.Modifiers;

/// <summary>The alternatives one rule value stands for (windash variants, base64 offsets, placeholder values): any may match.</summary>
internal sealed class AnyOfMatcher(IValueMatcher[] alternatives) : IValueMatcher
{
    public IValueMatcher[] Alternatives => alternatives;

    /// <summary>One matcher for the alternatives: the only one, a single multi-substring search when all are substrings, or a loop.</summary>
    public static IValueMatcher Of(IReadOnlyList<IValueMatcher> alternatives)
    {
        if (alternatives.Count == 1)
        {
            return alternatives[0];
        }
        if (alternatives.Count == 0)
        {
            // A placeholder configured with no values: the value stands for nothing and matches nothing.
            return new AnyOfMatcher([]);
        }
        if (alternatives.All(a => a is ContainsMatcher { Value.Length: > 0 }) && alternatives.Cast<ContainsMatcher>().Select(c => c.Comparison).Distinct().Count() == 1)
        {
            var substrings = alternatives.Cast<ContainsMatcher>().ToList();
            return new ContainsAnyMatcher([.. substrings.Select(c => c.Value).Distinct(StringComparer.Ordinal)], substrings[0].Comparison);
        }
        return new AnyOfMatcher([.. alternatives]);
    }

    public bool Matches(string text)
    {
        foreach (var alternative in alternatives)
        {
            if (alternative.Matches(text))
            {
                return true;
            }
        }
        return false;
    }

    public override string ToString() => "any of (" + string.Join(", ", alternatives.Select(a => a.ToString())) + ")";
}

/// <summary>Several substrings searched in one pass (windash and base64offset turn one value into 3 to 25 of them).</summary>
internal sealed class ContainsAnyMatcher(string[] values, StringComparison comparison) : IValueMatcher
{
    private readonly SearchValues<string> _values = SearchValues.Create(values, comparison);

    /// <summary>
    /// For ASCII text, when some values are not ASCII (windash's en and em dashes): the values that can match ASCII
    /// text, spelled in ASCII. The BCL searches a set with any non-ASCII value by a Unicode automaton a character at
    /// a time, where an ASCII set gets its vectorised search; most values searched are ASCII. Null when all values are ASCII.
    /// </summary>
    private readonly SearchValues<string>? _forAscii = values.All(v => System.Text.Ascii.IsValid(v)) ? null : ForAsciiText(values, comparison);

    public IReadOnlyList<string> Values => values;

    public StringComparison Comparison => comparison;

    public bool Matches(string text) =>
        _forAscii is not null && System.Text.Ascii.IsValid(text) ? text.AsSpan().ContainsAny(_forAscii) : text.AsSpan().ContainsAny(_values);

    /// <summary>
    /// Each value whose every character equals some ASCII character under the comparison, with each character
    /// replaced by such an ASCII character (the comparison is equality of a per-character mapping, so the
    /// replacement matches exactly the ASCII characters the original does); the others cannot occur in ASCII text.
    /// </summary>
    private static SearchValues<string> ForAsciiText(string[] values, StringComparison comparison)
    {
        var spelled = new List<string>();
        foreach (var value in values)
        {
            var ascii = new char[value.Length];
            var possible = true;
            for (var i = 0; i < value.Length && possible; i++)
            {
                var equal = Enumerable.Range(0, 128).Select(c => (char)c)
                    .Where(c => string.Equals(c.ToString(), value[i].ToString(), comparison)).Take(1).ToList();
                possible = equal.Count == 1;
                ascii[i] = possible ? equal[0] : '\0';
            }
            if (possible)
            {
                spelled.Add(new string(ascii));
            }
        }
        return SearchValues.Create([.. spelled.Distinct(StringComparer.Ordinal)], comparison);
    }

    public override string ToString() => "contains any of '" + string.Join("', '", values) + "'";
}
