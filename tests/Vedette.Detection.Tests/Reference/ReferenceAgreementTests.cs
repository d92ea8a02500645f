using System.Text;
using Microsoft.Extensions.Time.Testing;
using Vedette.Detect;
using Vedette.Detection;
using Vedette.Detection.Mappings;
using Xunit.Abstractions;

namespace Vedette.Tests.Reference;

/// <summary>
/// Property tests: on thousands of random (rule, event) pairs, from fixed seeds, the compiled engine (loader,
/// evaluation plan, detector) raises an alert exactly where the independent reference interpreter says the rule
/// matches.
/// </summary>
public sealed class ReferenceAgreementTests(ITestOutputHelper output)
{
    private const int RulesPerBatch = 12;
    private const int EventsPerBatch = 25;

    private static readonly DetectionMappings Mappings = Repo.LoadMappings() with { Placeholders = RandomRules.Placeholders };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void The_engine_agrees_with_the_reference_on_random_rules_and_events(int seed) => Agree(seed, items: false);

    [Theory]
    [InlineData(101)]
    [InlineData(102)]
    [InlineData(103)]
    [InlineData(104)]
    [InlineData(105)]
    [InlineData(106)]
    public void The_engine_agrees_with_the_reference_on_random_single_items_and_events(int seed) => Agree(seed, items: true);

    private void Agree(int seed, bool items)
    {
        int pairs = 0, matches = 0;
        var disagreements = new List<string>();
        for (var batch = 0; batch < 4; batch++)
        {
            var random = new Random(seed * 1000 + batch);
            var rules = new RandomRules(random);
            var events = new RandomEvents(random);
            var yamls = Enumerable.Range(0, RulesPerBatch).Select(i => (items ? rules.NextItem : (Func<string, string>)rules.Next)($"00000000-0000-4000-8000-{seed:D4}{batch:D2}{i:D6}")).ToList();
            var (engine, reference) = Run(yamls, [.. Enumerable.Range(0, EventsPerBatch).Select(_ => events.Next(rules.Hints))]);
            foreach (var (rule, json, engineCount, referenceMatch) in engine.Zip(reference, (e, r) => (e.Rule, e.Json, e.Count, r)))
            {
                pairs++;
                matches += referenceMatch ? 1 : 0;
                if ((engineCount > 0) != referenceMatch || engineCount > 1)
                {
                    disagreements.Add($"engine raised {engineCount} alert(s), the reference says {(referenceMatch ? "match" : "no match")}\n--- rule\n{rule}--- event\n{json}\n");
                }
            }
        }
        output.WriteLine($"seed {seed}: {pairs} pairs, {matches} matches, {disagreements.Count} disagreements");
        Assert.True(disagreements.Count == 0, string.Join('\n', disagreements.Take(5)));
        // Not vacuous: a fair share of pairs match, and most do not.
        Assert.InRange(matches, pairs / 20, pairs - pairs / 5);
    }

    private static (List<(string Rule, string Json, int Count)> Engine, List<bool> Reference) Run(List<string> yamls, List<string> events)
    {
        var set = RuleSet.FromYaml(string.Join("---\n", yamls), Mappings, "random.yml");
        Assert.True(set.Errors.Count == 0, string.Join('\n', set.Errors.Select(e => $"{e}\n{yamls.FirstOrDefault(y => y.Contains(e.RuleId ?? "-", StringComparison.Ordinal))}")));
        var detector = new SigmaDetector(set, new FakeTimeProvider(Events.T0));
        var evaluator = new ReferenceEvaluator(Mappings);
        var engine = new List<(string, string, int)>();
        var reference = new List<bool>();
        foreach (var json in events)
        {
            var e = Events.Json(json);
            var found = new DetectionOutput();
            detector.Detect(e, found);
            foreach (var yaml in yamls)
            {
                var id = yaml.Split('\n')[1]["id: ".Length..];
                engine.Add((yaml, json, found.Alerts.Count(a => a.RuleId == id)));
                reference.Add(evaluator.Matches(yaml, e));
            }
        }
        return (engine, reference);
    }

    [Fact]
    public void The_reference_itself_reads_the_specifications_examples_right()
    {
        // A few of the rules specification's examples, so that agreement means agreement with Sigma, not a shared mistake.
        var evaluator = new ReferenceEvaluator(Mappings);
        static string Rule(string detection) => new StringBuilder("title: t\nid: x\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n")
            .Append(string.Concat(detection.Split('\n').Select(l => "  " + l + "\n"))).ToString();
        var e = Events.Json("""{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\x\\progA.exe","CommandLine":"tool /s","PasswordLastSet":null}""");
        Assert.True(evaluator.Matches(Rule("sel:\n  Image|endswith: 'prog?.exe'\ncondition: sel"), e));
        Assert.True(evaluator.Matches(Rule("sel:\n  CommandLine|contains|windash: ' -s'\ncondition: sel"), e));
        Assert.False(evaluator.Matches(Rule("sel:\n  EventID: 1\nfilter:\n  PasswordLastSet: null\ncondition: sel and not filter"), e));
        Assert.True(evaluator.Matches(Rule("a:\n  EventID: 2\nb:\n  EventID: 1\nc:\n  EventID: 3\ncondition: b or a and c"), e));
        Assert.False(evaluator.Matches(Rule("a:\n  EventID: 2\nb:\n  EventID: 1\nc:\n  EventID: 3\ncondition: (b or a) and c"), e));
        Assert.True(evaluator.Matches(Rule("sel_1:\n  EventID: 2\nsel_2:\n  EventID: 1\n_x:\n  EventID: 3\ncondition: 1 of sel_* and not all of them"), e));
    }
}
