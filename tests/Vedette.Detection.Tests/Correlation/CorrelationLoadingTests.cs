using System.Text;
using System.Text.RegularExpressions;
using Vedette.Detection;
using Vedette.Detection.Correlation;
using Vedette.Detection.Rules;

namespace Vedette.Tests.Correlation;

public sealed partial class CorrelationLoadingTests
{
    public static TheoryData<string> SpecExamples() =>
        [.. Directory.EnumerateFiles(SharedData.Path("sigma-spec", "tests", "schema", "correlation"), "*.yml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    private static string SpecExample(string file) => SharedData.Path("sigma-spec", "tests", "schema", "correlation", file);

    private static string Correlation(string body) => $$"""
        title: Under test
        id: 20000000-0000-4000-8000-000000000050
        correlation:
        {{body}}
        """;

    [Theory]
    [MemberData(nameof(SpecExamples))]
    public void Each_example_of_the_specification_alone_says_which_rules_it_misses(string file)
    {
        var rules = RuleSet.Load([SpecExample(file)], Repo.LoadMappings());

        var error = Assert.Single(rules.Errors);
        Assert.Equal(SpecExample(file), error.Source.File);
        Assert.Equal(1, error.Source.Line);
        Assert.StartsWith("the correlation refers to rules that are not loaded: ", error.Reason, StringComparison.Ordinal);
        Assert.Empty(rules.Rules);
    }

    [Theory]
    [MemberData(nameof(SpecExamples))]
    public void Each_example_of_the_specification_loads_once_the_rules_it_refers_to_are_there(string file)
    {
        var text = File.ReadAllText(SpecExample(file));
        var yaml = new StringBuilder(text);
        var references = ReferenceList().Matches(text[text.IndexOf("rules:", StringComparison.Ordinal)..].Split("group-by:")[0]);
        Assert.NotEmpty(references);
        foreach (var (reference, index) in references.Select((m, i) => (m.Groups[1].Value, i)))
        {
            // A reference is an id or a name; the stub answers to it either way.
            var byId = Guid.TryParse(reference, out _);
            var id = byId ? reference : $"30000000-0000-4000-8000-{index:D12}";
            var name = byId ? "" : $"name: {reference}\n";
            yaml.Append($"\n---\ntitle: Stub {index}\nid: {id}\n{name}logsource: {{product: windows, service: security}}\ndetection:\n  sel: {{EventID: 1}}\n  condition: sel\n");
        }

        var rules = RuleSet.FromYaml(yaml.ToString(), Repo.LoadMappings(), file);

        Assert.Empty(rules.Errors);
        Assert.Single(rules.Rules, r => r.IsCorrelation);
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86_400)]
    [InlineData("1w", 604_800)]
    [InlineData("1M", 2_629_746)]
    [InlineData("1y", 31_556_952)]
    public void Timespans_take_every_unit_of_the_specification_and_pysigma(string text, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), CorrelationParser.ParseTimespan(text, 1));
    }

    [Theory]
    [InlineData("  type: event_sum\n  rules: [failed]\n  timespan: 1m\n  condition: {gte: 1}", "unknown correlation type 'event_sum'")]
    [InlineData("  type: event_count\n  timespan: 1m\n  condition: {gte: 1}", "the correlation names no 'rules'")]
    [InlineData("  type: event_count\n  rules: [failed]\n  condition: {gte: 1}", "the correlation has no 'timespan'")]
    [InlineData("  type: event_count\n  rules: [failed]\n  timespan: 5x\n  condition: {gte: 1}", "timespan '5x' is not a positive number")]
    [InlineData("  type: event_count\n  rules: [failed]\n  timespan: 0s\n  condition: {gte: 1}", "timespan '0s' is not a positive number")]
    [InlineData("  type: event_count\n  rules: [failed]\n  timespan: 9999999y\n  condition: {gte: 1}", "is longer than the 3653 days")]
    [InlineData("  type: event_count\n  rules: [failed]\n  timespan: 1m", "the correlation has no 'condition'")]
    [InlineData("  type: event_count\n  rules: [failed]\n  timespan: 1m\n  condition: {gtee: 1}", "unknown condition key 'gtee'")]
    [InlineData("  type: event_count\n  rules: [failed]\n  timespan: 1m\n  condition: {gte: many}", "'gte' must be a number, not 'many'")]
    [InlineData("  type: value_count\n  rules: [failed]\n  timespan: 1m\n  condition: {field: User}", "the condition has no bound")]
    [InlineData("  type: value_count\n  rules: [failed]\n  timespan: 1m\n  condition: {gte: 1}", "a value_count condition needs 'field'")]
    [InlineData("  type: event_count\n  rules: [failed]\n  timespan: 1m\n  condition: {field: User, gte: 1}", "its condition takes no 'field'")]
    [InlineData("  type: value_sum\n  rules: [failed]\n  timespan: 1m\n  condition: {field: [a, b], gte: 1}", "a value_sum condition measures one 'field', not a list")]
    [InlineData("  type: value_percentile\n  rules: [failed]\n  timespan: 1m\n  condition: {field: a, percentile: 120, gte: 1}", "'percentile' must be between 0 and 100")]
    [InlineData("  type: value_avg\n  rules: [failed]\n  timespan: 1m\n  condition: {field: a, percentile: 90, gte: 1}", "'percentile' belongs to value_percentile conditions only")]
    [InlineData("  type: event_count\n  rules: [failed]\n  group-by: [a, a]\n  timespan: 1m\n  condition: {gte: 1}", "'group-by' lists 'a' twice")]
    [InlineData("  type: event_count\n  rules: [failed]\n  timespan: 1m\n  condition: {gte: 1}\n  generate: maybe", "'generate' must be true or false, not 'maybe'")]
    [InlineData("  type: event_count\n  rules: [nope, failed, also_nope]\n  timespan: 1m\n  condition: {gte: 1}", "the correlation refers to rules that are not loaded: nope, also_nope")]
    [InlineData("  type: event_count\n  rules: [failed, 10000000-0000-4000-8000-000000004625]\n  timespan: 1m\n  condition: {gte: 1}", "lists rule 10000000-0000-4000-8000-000000004625 more than once")]
    [InlineData("  type: event_count\n  rules: [failed, 20000000-0000-4000-8000-000000000050]\n  timespan: 1m\n  condition: {gte: 1}", "the correlation refers to itself")]
    [InlineData("  type: temporal\n  rules: [failed, connection]\n  group-by: [account]\n  timespan: 1m\n  aliases:\n    account: {failed: TargetUserName}", "alias 'account' does not say which field holds it in the events of rule 'connection'")]
    [InlineData("  type: temporal\n  rules: [failed]\n  timespan: 1m\n  aliases:\n    account: {success: TargetUserName}", "alias 'account' names rule 'success', which the correlation does not refer to")]
    public void A_correlation_that_cannot_work_is_refused_with_its_place_and_reason(string body, string reason)
    {
        var rules = CorrelationRun.Load(Correlation(body));

        var error = Assert.Single(rules.Errors);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.Equal("inline", error.Source.File);
        Assert.True(error.Source.Line > 1, $"line {error.Source.Line}");
        Assert.DoesNotContain(rules.Rules, r => r.IsCorrelation);
    }

    [Fact]
    public void Correlations_that_refer_to_each_other_in_a_cycle_are_refused_and_so_is_what_refers_to_them()
    {
        var rules = CorrelationRun.Load("""
            title: A
            id: 20000000-0000-4000-8000-00000000005a
            name: corr_a
            correlation: {type: event_count, rules: [corr_b], timespan: 1m, condition: {gte: 1}}
            ---
            title: B
            id: 20000000-0000-4000-8000-00000000005b
            name: corr_b
            correlation: {type: event_count, rules: [corr_a, failed], timespan: 1m, condition: {gte: 1}}
            ---
            title: C
            id: 20000000-0000-4000-8000-00000000005c
            correlation: {type: event_count, rules: [corr_a], timespan: 1m, condition: {gte: 1}}
            """);

        Assert.Equal(3, rules.Errors.Count);
        Assert.Contains(rules.Errors, e => e.RuleId == "20000000-0000-4000-8000-00000000005a" && e.Reason.Contains("part of a reference cycle: corr_a -> corr_b -> corr_a", StringComparison.Ordinal));
        Assert.Contains(rules.Errors, e => e.RuleId == "20000000-0000-4000-8000-00000000005b" && e.Reason.Contains("part of a reference cycle", StringComparison.Ordinal));
        Assert.Contains(rules.Errors, e => e.RuleId == "20000000-0000-4000-8000-00000000005c" && e.Reason == "the correlation refers to correlations that did not load: 20000000-0000-4000-8000-00000000005a");
        Assert.All(rules.Errors, e => Assert.Equal("inline", e.Source.File));
        Assert.DoesNotContain(rules.Rules, r => r.IsCorrelation);
        Assert.True(rules.Rules.Single(r => r.Meta.Name == "failed").GeneratesAlerts);
    }

    [Fact]
    public void A_correlation_may_not_reuse_the_id_of_another_rule()
    {
        var rules = CorrelationRun.Load(Correlation("  type: event_count\n  rules: [failed]\n  timespan: 1m\n  condition: {gte: 1}")
            .Replace("20000000-0000-4000-8000-000000000050", "10000000-0000-4000-8000-000000004624", StringComparison.Ordinal));

        Assert.Contains("another rule already has the id", Assert.Single(rules.Errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_correlation_without_an_id_gets_one_derived_from_its_name_the_same_on_every_load()
    {
        var body = "  type: event_count\n  rules: [failed]\n  timespan: 1m\n  condition: {gte: 1}";
        string IdOf(string yaml) => CorrelationRun.Load(yaml).Rules.Single(r => r.IsCorrelation).Meta.Id;
        var named = Correlation(body).Replace("id: 20000000-0000-4000-8000-000000000050", "name: bursts", StringComparison.Ordinal);

        Assert.Equal(IdOf(named), IdOf(named));
        Assert.True(Guid.TryParse(IdOf(named), out _));
        Assert.NotEqual(IdOf(named), IdOf(named.Replace("name: bursts", "name: other", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_temporal_correlation_without_a_condition_wants_every_rule()
    {
        var rules = CorrelationRun.Load(Correlation("  type: temporal_ordered\n  rules: [failed, success, privileged]\n  timespan: 1m"));

        Assert.Empty(rules.Errors);
        Assert.Equal<double?>(3, rules.Correlations.Rules.Single().Condition.Gte);
    }

    [Fact]
    public void Fractional_thresholds_are_kept_for_metrics()
    {
        var rules = CorrelationRun.Load(Correlation("  type: value_avg\n  rules: [connection]\n  timespan: 1m\n  condition: {field: BytesOut, gt: 0.5}"));

        Assert.Empty(rules.Errors);
        Assert.Equal("> 0.5", rules.Correlations.Rules.Single().Condition.ToString());
    }

    [GeneratedRegex(@"^\s+-\s+(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ReferenceList();
}
