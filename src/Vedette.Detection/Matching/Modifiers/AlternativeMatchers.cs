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
    /// For ASCII text, when some values are not ASCII (windash's en and em dashes): the ASCII values alone. The BCL
    /// searches a set with any non-ASCII value by a Unicode automaton a character at a time, where an ASCII set
    /// gets its vectorised search, and most text searched is ASCII. Under ordinal comparison, case-insensitive or
    /// not, no non-ASCII character equals an ASCII one (.NET's ordinal casing leaves the dotless i, the long s and
    /// the Kelvin sign alone; the test checks them), so a non-ASCII value cannot occur in ASCII text. Null when all
    /// values are ASCII.
    /// </summary>
    private readonly SearchValues<string>? _forAscii = values.All(v => System.Text.Ascii.IsValid(v))
        ? null
        : SearchValues.Create([.. values.Where(v => System.Text.Ascii.IsValid(v))], comparison);

    public IReadOnlyList<string> Values => values;

    public StringComparison Comparison => comparison;

    public bool Matches(string text) =>
        _forAscii is not null && System.Text.Ascii.IsValid(text) ? text.AsSpan().ContainsAny(_forAscii) : text.AsSpan().ContainsAny(_values);

    public override string ToString() => "contains any of '" + string.Join("', '", values) + "'";
}
