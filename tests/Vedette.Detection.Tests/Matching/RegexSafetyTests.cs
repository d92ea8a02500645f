using System.Text.RegularExpressions;
using Vedette.Detection.Mappings;
using Vedette.Detection.Matching;
using Vedette.Detection.Rules;
using YamlDotNet.RepresentationModel;

namespace Vedette.Tests.Matching;

/// <summary>
/// The re modifier cannot hang the pipeline: patterns run on the linear-time engine, the few it cannot run get a
/// timeout that counts as no match, and loading a rule builds no engine it may never use.
/// </summary>
public sealed class RegexSafetyTests
{
    private static readonly string HundredKilobytes = new('a', 100_000);

    [Fact]
    public void A_catastrophic_pattern_over_a_hundred_kilobyte_value_completes_with_the_right_answer()
    {
        const string rule = "sel:\n  CommandLine|re: '(a+)+$'\ncondition: sel";
        Assert.True(Sigma.Matches(rule, $"\"CommandLine\":\"{HundredKilobytes}\""));
        Assert.False(Sigma.Matches("sel:\n  CommandLine|re: '^(a+)+$'\ncondition: sel", $"\"CommandLine\":\"{HundredKilobytes}!\""));
    }

    [Fact]
    public void A_pattern_only_the_backtracking_engine_can_run_counts_a_timeout_as_no_match()
    {
        // The backreference forces the backtracking engine; nested quantifiers make it exponential on this value.
        const string pattern = @"^(\w+\s?)*\1$";
        var hostile = HundredKilobytes[..5_000] + "!";
        Assert.Throws<RegexMatchTimeoutException>(() => new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100)).IsMatch(hostile));
        var matcher = new RegexMatcher(pattern, RegexOptions.None);
        Assert.False(matcher.Matches(hostile));
        Assert.False(matcher.IsLinear);
        Assert.True(matcher.Matches("ab ab "));
    }

    [Fact]
    public void Loading_a_rule_builds_no_linear_engine_until_a_value_reaches_the_pattern()
    {
        var detection = (YamlMappingNode)Yaml.Documents(new StringReader("sel:\n  CommandLine|re: 'who(am)?i'\ncondition: sel")).Single().RootNode;
        var predicate = new DetectionCompiler(FieldResolver.Flat, new Dictionary<string, IReadOnlyList<string>>()).Compile(detection);
        var matcher = Assert.IsType<RegexMatcher>(Assert.Single(Assert.IsType<FieldPredicate>(predicate).Values));
        Assert.False(matcher.IsLinear);
        Assert.True(matcher.Matches("cmd /c whoami"));
        Assert.True(matcher.IsLinear);
    }

    [Fact]
    public void Many_detector_threads_reaching_a_pattern_first_all_get_the_right_answer()
    {
        var matcher = new RegexMatcher("who(am)?i", RegexOptions.IgnoreCase);
        var answers = new bool[64];
        Parallel.For(0, answers.Length, i => answers[i] = matcher.Matches(i % 2 == 0 ? "cmd /c WHOAMI" : "cmd /c dir"));
        Assert.All(answers.Select((answer, i) => (answer, i)), a => Assert.Equal(a.i % 2 == 0, a.answer));
        Assert.True(matcher.IsLinear);
    }

    [Fact]
    public void Wildcard_values_need_no_regular_expression_at_all()
    {
        Assert.IsType<WildcardMatcher>(SigmaString.Parse(@"C:\Windows\*\sys?em32\*.exe").ToMatcher(cased: false));
        Assert.IsType<ContainsMatcher>(SigmaString.Parse("*whoami*").ToMatcher(cased: false));
    }

    [Fact]
    public void The_wildcard_matcher_agrees_with_a_regular_expression_on_random_patterns()
    {
        var random = new Random(20240802);
        const string alphabet = "ab*?\\A";
        for (var i = 0; i < 20_000; i++)
        {
            var pattern = new string([.. Enumerable.Range(0, random.Next(0, 8)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var text = new string([.. Enumerable.Range(0, random.Next(0, 9)).Select(_ => "abAB*?\\"[random.Next(7)])]);
            var cased = random.Next(2) == 0;
            var expected = Oracle(pattern, cased).IsMatch(text);
            Assert.True(expected == SigmaString.Parse(pattern).ToMatcher(cased).Matches(text), $"pattern '{pattern}' (cased: {cased}) on '{text}': expected {expected}");
        }
    }

    /// <summary>The specification's wildcards and escapes, translated character by character into an anchored regex.</summary>
    private static Regex Oracle(string pattern, bool cased)
    {
        var regex = new System.Text.StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\' && i + 1 < pattern.Length && pattern[i + 1] is '*' or '?' or '\\')
            {
                regex.Append(Regex.Escape(pattern[++i].ToString()));
            }
            else
            {
                regex.Append(pattern[i] switch { '*' => ".*", '?' => ".", var c => Regex.Escape(c.ToString()) });
            }
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant | (cased ? RegexOptions.None : RegexOptions.IgnoreCase));
    }
}
