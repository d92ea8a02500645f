using Vedette.Detection;

namespace Vedette.Tests.Rules;

public sealed class RuleLoadingTests
{
    private static readonly Detection.Mappings.DetectionMappings Mappings = Repo.LoadMappings();

    private const string Good = """
        title: Good
        id: 00000000-0000-4000-8000-00000000000a
        logsource:
          product: windows
          service: security
        detection:
          sel:
            EventID: 4624
          condition: sel
        level: low
        """;

    [Theory]
    [InlineData("detection:\n  sel:\n    EventID: 1\n  condition: sel\nlogsource:\n  product: windows\nid: x", "no 'title'")]
    [InlineData("title: t\nid: x\nlogsource:\n  product: windows\ndetection:\n  sel:\n    EventID: 1\n  condition: sel and other", "'other', which is not a search identifier")]
    [InlineData("title: t\nid: x\nlogsource:\n  product: windows\ndetection:\n  sel:\n    Image|base65: x\n  condition: sel", "modifier 'base65' is not supported")]
    [InlineData("title: t\nid: x\nlogsource:\n  product: windows\ndetection:\n  sel:\n    EventID: 1\n  condition: (sel", "missing ')'")]
    [InlineData("title: t\nid: x\nlogsource:\n  product: windows\ndetection:\n  sel:\n    EventID: 1\n  condition: sel\nlevel: severe", "unknown level 'severe'")]
    [InlineData("title: t\nid: x\nlogsource:\n  product: windows\ndetection:\n  sel:\n    SourceIp|cidr: 10.0.0.0/99\n  condition: sel", "not a network in CIDR notation")]
    [InlineData("title: t\nid: x\ncorrelation:\n  type: event_count\n  rules: [missing_rule]\n  group-by: [x]\n  timespan: 5m\n  condition:\n    gte: 3", "refers to rules that are not loaded: missing_rule")]
    [InlineData("title: t\nid: x\ncorrelation:\n  type: event_count\n  rules: [r]\n  timespan: 5 minutes\n  condition:\n    gte: 3", "timespan '5 minutes'")]
    [InlineData("title: [unclosed\nid: x", "invalid YAML")]
    public void A_broken_rule_is_reported_with_file_line_and_reason_and_the_others_still_load(string broken, string reason)
    {
        var rules = RuleSet.FromYaml(Good + "\n---\n" + broken, Mappings, "mixed.yml");
        var error = Assert.Single(rules.Errors);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.Equal("mixed.yml", error.Source.File);
        if (!reason.StartsWith("invalid YAML", StringComparison.Ordinal))
        {
            Assert.True(error.Source.Line > 10, $"line {error.Source.Line} does not point into the second document");
            Assert.Contains(rules.Rules, r => r.Meta.Title == "Good");
        }
    }

    [Fact]
    public void A_missing_rule_path_is_reported()
    {
        var rules = RuleSet.Load(["/nonexistent/rules"], Mappings);
        Assert.Contains("no such file or folder", Assert.Single(rules.Errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unmapped_logsource_selects_events_of_its_source_kind_or_is_refused_without_the_fallback()
    {
        const string rule = "title: t\nid: x\nlogsource:\n  product: okta\n  service: okta\ndetection:\n  sel:\n    eventType: user.session.start\n  condition: sel\nlevel: low";
        Assert.Empty(RuleSet.FromYaml(rule, Mappings).Errors);
        var strict = Mappings with { LogSources = new Detection.Mappings.LogSourceMap(Mappings.LogSources.Mappings, sourceKindFallback: false) };
        Assert.Contains("no mapping for logsource okta/okta", Assert.Single(RuleSet.FromYaml(rule, strict).Errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_YAML_alias_bomb_is_refused_before_its_tree_is_built()
    {
        var bomb = new System.Text.StringBuilder("title: bomb\nid: x\nlogsource:\n  product: windows\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i < 12; i++)
        {
            bomb.Append($"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        }
        bomb.Append("detection:\n  sel:\n    EventID: *a11\n  condition: sel\n");
        var rules = RuleSet.FromYaml(bomb.ToString(), Mappings, "bomb.yml");
        var error = Assert.Single(rules.Errors);
        Assert.Contains("YAML anchors are not allowed", error.Reason, StringComparison.Ordinal);
        Assert.Equal(5, error.Source.Line);
        Assert.Empty(rules.Rules);
    }

    [Fact]
    public void A_rule_file_of_ten_megabytes_is_refused_with_its_size_and_the_others_load()
    {
        var folder = Directory.CreateTempSubdirectory("vedette-rules-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "good.yml"), Good);
            using (var big = File.CreateText(Path.Combine(folder.FullName, "huge.yml")))
            {
                big.Write("title: huge\nid: y\ndescription: '");
                big.Write(new string('x', 10 * 1024 * 1024));
                big.Write("'\n");
            }
            var rules = RuleSet.Load([folder.FullName], Mappings);
            var error = Assert.Single(rules.Errors);
            Assert.EndsWith("huge.yml", error.Source.File, StringComparison.Ordinal);
            Assert.Contains("rule files are limited to 1,048,576", error.Reason, StringComparison.Ordinal);
            Assert.Single(rules.Rules);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
