using Vedette.Detection.Matching.Modifiers;

namespace Vedette.Tests.Matching;

/// <summary>
/// The multi-substring matcher (windash, base64offset) searches ASCII text with the values that can occur in ASCII,
/// spelled in ASCII: it must agree with a plain Contains per value, for values with dashes, dotless i, long s, the
/// Kelvin sign, dotted capital I and accented letters, in ASCII text and in text beyond it, under both comparisons rules use.
/// </summary>
public sealed class ContainsAnyMatcherTests
{
    private const string ValueAlphabet = "aIiSsKk-/\u2013\u2014\u0131\u0130\u017F\u212A\u00E9\u00C9 ";
    private const string AsciiText = "aAiIsSkK-/ x";
    private const string WideText = AsciiText + "\u2013\u2014\u0131\u0130\u017F\u212A\u00E9\u00C9";

    [Theory]
    [InlineData(StringComparison.OrdinalIgnoreCase)]
    [InlineData(StringComparison.Ordinal)]
    public void Agrees_with_a_contains_per_value_in_ascii_text_and_beyond(StringComparison comparison)
    {
        var random = new Random((int)comparison + 5);
        string Text(int length, string alphabet) => new([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]);
        int matched = 0, unmatched = 0, asciiMatched = 0;
        for (var round = 0; round < 3000; round++)
        {
            var values = Enumerable.Range(0, random.Next(1, 6)).Select(_ => Text(random.Next(1, 4), ValueAlphabet)).Distinct(StringComparer.Ordinal).ToArray();
            var matcher = new ContainsAnyMatcher(values, comparison);
            var ascii = round % 4 != 0;
            var text = Text(random.Next(0, 40), ascii ? AsciiText : WideText);
            var expected = values.Any(v => text.Contains(v, comparison));
            Assert.True(expected == matcher.Matches(text), $"values [{string.Join(" | ", values)}] in '{text}': expected {expected}");
            matched += expected ? 1 : 0;
            unmatched += expected ? 0 : 1;
            asciiMatched += expected && ascii && values.Any(v => !System.Text.Ascii.IsValid(v)) ? 1 : 0;
        }
        Assert.True(matched >= 300 && unmatched >= 300 && asciiMatched >= 100, $"{matched} matched, {unmatched} not, {asciiMatched} by non-ASCII sets in ASCII text: the test exercises too little");
    }
}
