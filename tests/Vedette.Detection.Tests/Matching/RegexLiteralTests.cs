using System.Text;
using System.Text.RegularExpressions;
using Vedette.Detection.Matching;

namespace Vedette.Tests.Matching;

/// <summary>
/// The literal read off a regular expression gates it: a value without the literal is never given to the
/// expression. A literal that some match lacks would hide detections, so random patterns are generated together
/// with a text each one matches, and the literal must be in that text.
/// </summary>
public sealed class RegexLiteralTests
{
    [Theory]
    [InlineData(@"(Copy-Item|cpi) .{2,128} -Destination .{1,32}\\Windows\\(System32|SysWOW64)", " -Destination ", false)]
    [InlineData(@"(?i)echo.*clip.*&&.*(Clipboard|i`?n`?v`?o`?k`?e`?)", "echo", true)]
    [InlineData(@"(?i)(?:set).*&&\s?set.*(?:environment|invoke|\$\{?input).*&&.*""", "set", true)]
    [InlineData(@"ipconfig\s+/all", "ipconfig", false)]
    [InlineData(@"\\AppData\\Local\\Temp\\[a-z0-9]+\.exe", @"\AppData\Local\Temp\", false)]
    [InlineData(@"abc?d", "ab", null)]
    [InlineData(@"\012abcd", "abcd", false)]
    [InlineData(@"x(?=lookahead)y{2,}", "x", false)]
    [InlineData(@"(abcd)?x", "x", false)]
    [InlineData(@"\w+`(?:\w+|-|.)`[\w+|\s]", "`", false)]
    [InlineData(@"(?<name>abcd)+zz", "abcd", false)]
    public void Reads_the_longest_literal_every_match_contains(string pattern, string? expected, bool? ignoreCase)
    {
        var literal = RegexLiteral.Required(pattern, RegexOptions.None, out var inlineIgnoreCase);
        Assert.Equal(expected, literal);
        if (ignoreCase is { } expectedCase)
        {
            Assert.Equal(expectedCase, inlineIgnoreCase);
        }
    }

    [Theory]
    [InlineData(@"abcd|efgh")]
    [InlineData(@"(?x) a b c d")]
    [InlineData(@"[a-z-[aeiou]]abcd")]
    [InlineData(@"(?#comment)abcd")]
    [InlineData(@"a{b}cde")]
    public void Patterns_it_cannot_read_safely_have_no_literal(string pattern) =>
        Assert.Null(RegexLiteral.Required(pattern, RegexOptions.None, out _));

    [Fact]
    public void Every_match_of_a_random_pattern_contains_its_literal()
    {
        var random = new Random(2026);
        var withLiteral = 0;
        var timedOut = 0;
        for (var round = 0; round < 20_000; round++)
        {
            var (pattern, sample) = Generator.Pattern(random);
            // Nested random quantifiers can make backtracking exponential; such a round proves nothing either way.
            bool matches;
            try
            {
                matches = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50)).IsMatch(sample);
            }
            catch (RegexMatchTimeoutException)
            {
                timedOut++;
                continue;
            }
            Assert.True(matches, $"generator bug: /{pattern}/ does not match '{sample}'");
            var literal = RegexLiteral.Required(pattern, RegexOptions.None, out var ignoreCase);
            if (literal is null)
            {
                continue;
            }
            withLiteral++;
            Assert.True(sample.Contains(literal, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal),
                $"/{pattern}/ matches '{sample}', which lacks the literal '{literal}'");
        }
        Assert.True(timedOut < 200, $"{timedOut} rounds timed out");
        Assert.True(withLiteral > 10_000, $"only {withLiteral} patterns had a literal: the generator exercises too little");
    }

    /// <summary>
    /// Ignoring case, .NET's regex engine takes the Kelvin sign (U+212A) for k, which an ordinal comparison does
    /// not: the required-literal shortcut must not turn such a match into a miss, in the matcher or in the plan's
    /// prefilter.
    /// </summary>
    [Theory]
    [InlineData("CommandLine|re: '(?i)kerberos::ptt'", "\u212Aerberos::ptt /ticket:x", true)]
    [InlineData("CommandLine|re|i: 'sekurlsa::'", "se\u212Aurlsa::logonpasswords", true)]
    [InlineData("CommandLine|re: '(?i)echo.*clip'", "ECHO x | CLIP", true)]
    [InlineData("CommandLine|re: 'kerberos::ptt'", "\u212Aerberos::ptt", false)]
    public void Case_insensitive_patterns_match_what_the_regex_engine_matches(string item, string commandLine, bool expected) =>
        Assert.Equal(expected, Sigma.Matches(Sigma.Item(item), $"\"CommandLine\":\"{commandLine}\""));

    /// <summary>Random patterns over the constructs the reader knows and some it refuses, each with a matching text.</summary>
    private static class Generator
    {
        private const string Plain = "abcXYZ019 -_,;:/'\"%=";
        private const string Special = @".\()[]{}|^$*+?#";

        public static (string Pattern, string Sample) Pattern(Random random)
        {
            var (pattern, sample) = Alternation(random, depth: 0);
            if (random.Next(5) == 0)
            {
                // Case-insensitive from the start: the text may then use any case.
                pattern = "(?i)" + pattern;
                sample = new string([.. sample.Select(c => random.Next(2) == 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c))]);
            }
            return (pattern, sample);
        }

        private static (string, string) Alternation(Random random, int depth)
        {
            var branches = random.Next(6) == 0 ? 2 : 1;
            var patterns = new List<string>();
            string? sample = null;
            var chosen = random.Next(branches);
            for (var i = 0; i < branches; i++)
            {
                var (pattern, text) = Sequence(random, depth);
                patterns.Add(pattern);
                if (i == chosen)
                {
                    sample = text;
                }
            }
            return (string.Join("|", patterns), sample!);
        }

        private static (string, string) Sequence(Random random, int depth)
        {
            var pattern = new StringBuilder();
            var sample = new StringBuilder();
            var atoms = random.Next(1, 7);
            for (var i = 0; i < atoms; i++)
            {
                var (atom, text) = Atom(random, depth);
                var (quantifier, times) = Quantifier(random);
                pattern.Append(atom).Append(quantifier);
                for (var k = 0; k < times; k++)
                {
                    sample.Append(text);
                }
            }
            return (pattern.ToString(), sample.ToString());
        }

        private static (string, int) Quantifier(Random random) => random.Next(10) switch
        {
            0 => ("?", random.Next(2)),
            1 => ("*", random.Next(3)),
            2 => ("+", random.Next(1, 3)),
            3 => ("{2}", 2),
            4 => ("{0,2}?", random.Next(3)),
            5 => ("{1,}", random.Next(1, 3)),
            _ => ("", 1),
        };

        private static (string, string) Atom(Random random, int depth)
        {
            switch (random.Next(depth < 3 ? 12 : 9))
            {
                case 0:
                    var special = Special[random.Next(Special.Length)];
                    return ("\\" + special, special.ToString());
                case 1:
                    return ("[a-c]", "b");
                case 2:
                    return ("[^x]", "y");
                case 3:
                    return (".", "q");
                case 4:
                    return random.Next(2) == 0 ? (@"\d", "7") : (@"\s", " ");
                case 5:
                    return (@"\x41", "A");
                case 9:
                    var (inner, text) = Alternation(random, depth + 1);
                    var open = random.Next(3) switch { 0 => "(?:", 1 => "(?<g>", _ => "(" };
                    return (open + inner + ")", text);
                case 10:
                    var (ahead, aheadText) = Sequence(random, depth + 1);
                    // A lookahead followed by the same text: the lookahead's characters are matched by what follows.
                    return ("(?:(?=" + Regex.Escape(aheadText) + ")" + Regex.Escape(aheadText) + ")", aheadText);
                case 11:
                    var (scoped, scopedText) = Sequence(random, depth + 1);
                    return ("(?i:" + scoped + ")", scopedText);
                default:
                    var c = Plain[random.Next(Plain.Length)];
                    return (c == ' ' || c == '#' ? "\\" + c : c.ToString(), c.ToString());
            }
        }
    }
}
