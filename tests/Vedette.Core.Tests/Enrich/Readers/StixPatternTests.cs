using Vedette.Enrich.Intel.Readers;

namespace Vedette.Tests.Enrich.Readers;

public sealed class StixPatternTests
{
    private static string Describe(StixComparison c) =>
        $"{c.Path} {(c.Negated ? "NOT " : "")}{c.Operator} {string.Join("|", c.Values.Select(v => v.Text))}{(c.InConjunction ? " &" : "")}";

    [Fact]
    public void AND_binds_tighter_than_OR_inside_an_observation_and_only_its_operands_are_marked()
    {
        var parts = StixPattern.Parse("[ipv4-addr:value = '192.0.2.1' OR ipv4-addr:value = '192.0.2.2' AND network-traffic:dst_port = 443]");

        Assert.Equal(["ipv4-addr:value = 192.0.2.1", "ipv4-addr:value = 192.0.2.2 &", "network-traffic:dst_port = 443 &"], parts.Comparisons.Select(Describe));
        Assert.Empty(parts.Qualifiers);
    }

    [Fact]
    public void Parenthesised_groups_of_observations_and_comparisons_nest()
    {
        var parts = StixPattern.Parse("([domain-name:value = 'a.example'] OR ([url:value = 'http://b.example/'] AND [file:name = 'c.exe'])) AND [(email-addr:value = 'x@d.example' OR email-addr:value = 'y@d.example')]");

        Assert.All(parts.Comparisons, c => Assert.True(c.InConjunction));
        Assert.Equal(5, parts.Comparisons.Count);
    }

    [Fact]
    public void Quoted_path_steps_escaped_quotes_lists_and_qualifiers_are_taken_apart()
    {
        var parts = StixPattern.Parse("[file:hashes.'SHA-256' = 'ab' AND file:name IN ('plain', 'o\\'brien.exe', 'back\\\\slash')] REPEATS 5 TIMES WITHIN 10 SECONDS START t'2024-01-01T00:00:00Z' STOP t'2024-02-01T00:00:00Z'");

        Assert.Equal("file:hashes.SHA-256", parts.Comparisons[0].Path);
        Assert.Equal(["plain", "o'brien.exe", "back\\slash"], parts.Comparisons[1].Values.Select(v => v.Text));
        Assert.Equal(["REPEATS 5 TIMES", "WITHIN 10 SECONDS", "START t'2024-01-01T00:00:00Z' STOP t'2024-02-01T00:00:00Z'"], parts.Qualifiers);
    }

    [Fact]
    public void The_text_of_each_comparison_is_kept_as_written_for_error_messages()
    {
        var parts = StixPattern.Parse("[email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$' AND EXISTS x-custom:field]");

        Assert.Equal("email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$'", parts.Comparisons[0].Text);
        Assert.Equal("EXISTS x-custom:field", parts.Comparisons[1].Text);
    }

    [Theory]
    [InlineData("[ipv4-addr:value = '192.0.2.1'", 30)]
    [InlineData("ipv4-addr:value = '192.0.2.1'", 0)]
    [InlineData("[ipv4-addr:value '192.0.2.1']", 17)]
    [InlineData("[ipv4-addr:value = '192.0.2.1]", 19)]
    [InlineData("[ipv4-addr:value = '192.0.2.1'] WITHIN SECONDS", 39)]
    [InlineData("[ipv4-addr:value = '192.0.2.1'] [domain-name:value = 'a.example']", 32)]
    public void A_pattern_off_the_grammar_is_refused_at_the_character_where_it_goes_wrong(string pattern, int position)
    {
        var error = Assert.Throws<StixPatternException>(() => StixPattern.Parse(pattern));
        Assert.Equal(position, error.Position);
    }
}
