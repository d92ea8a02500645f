using Vedette.Domain;
using Vedette.Simulation;

namespace Vedette.Tests.Simulation;

/// <summary>Attack mixes with repeated kinds and subsets of kinds: every instance is a separate attack in its truth, its entities and its time.</summary>
public sealed class RepeatedAttackTests
{
    private static readonly Dictionary<string, SimulationOptions> Runs = new(StringComparer.Ordinal)
    {
        ["all:2"] = new SimulationOptions(40_000, 5) { Users = 300, Attacks = AttackMix.Every(2) },
        ["repeats"] = new SimulationOptions(30_000, 9) { Users = 80, Attacks = Mix("ssh-bruteforce:3,new-local-admin:3,phishing-execution-beaconing:2,windows-bruteforce:3") },
        ["subset"] = new SimulationOptions(20_000, 4) { Users = 1500, Attacks = Mix("windows-bruteforce:2,lateral-movement-service-install:1") },
    };

    public static TheoryData<string> Mixes => [.. Runs.Keys];

    private static AttackMix Mix(string spec) => AttackMix.TryParse(spec, out var mix, out var error) ? mix : throw new ArgumentException(error);

    private static SimulatedDay Day(string mix) => SimulatedDay.Of(Runs[mix]);

    [Theory]
    [MemberData(nameof(Mixes))]
    public void The_mix_yields_one_truth_scenario_per_instance_in_the_order_asked_numbered_from_s1(string mix)
    {
        var day = Day(mix);
        var scenarios = day.Result.Scenarios;

        var expected = Runs[mix].Attacks.Counts.SelectMany(c => Enumerable.Repeat(c.Kind, c.Count)).ToList();
        Assert.Equal(expected, scenarios.Select(s => s.Kind));
        Assert.Equal(Enumerable.Range(1, expected.Count).Select(i => $"S{i}"), scenarios.Select(s => s.Id));
        Assert.All(scenarios, s => Assert.Contains(s.Id, day.Labels));
        Assert.Equal(Runs[mix].Events, day.Labels.Count);
    }

    [Theory]
    [MemberData(nameof(Mixes))]
    public void Instances_of_one_kind_start_at_least_two_hours_after_the_previous_one_ended(string mix)
    {
        foreach (var kind in Day(mix).Result.Scenarios.GroupBy(s => s.Kind).Where(g => g.Count() > 1))
        {
            var instances = kind.ToList();
            for (var i = 1; i < instances.Count; i++)
            {
                var gap = instances[i].Start - instances[i - 1].End;
                Assert.True(gap >= TimeSpan.FromHours(2), $"{instances[i].Id} starts {gap} after {instances[i - 1].Id} ended");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Mixes))]
    public void No_two_instances_share_an_attacker_address_a_victim_or_attacker_infrastructure(string mix)
    {
        var owners = new Dictionary<Observable, string>();
        foreach (var scenario in Day(mix).Result.Scenarios)
        {
            // RDP brute-forcers all try the built-in administrator; that account is every such attack's target.
            foreach (var entity in scenario.Entities.Where(e => !(scenario.Kind == ScenarioKinds.WindowsBruteForce && e == Observable.Parse(ObservableType.User, "administrator"))))
            {
                Assert.True(owners.TryAdd(entity, scenario.Id), $"{entity} is in both {owners.GetValueOrDefault(entity)} and {scenario.Id}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Mixes))]
    public void Each_instances_events_span_its_truth_and_stay_within_the_bounds_of_its_kind(string mix)
    {
        var day = Day(mix);
        var lines = day.ReadRecords().Where(r => r.Scenario is not null).GroupBy(r => r.Scenario!).ToDictionary(g => g.Key, g => g.ToList());

        foreach (var scenario in day.Result.Scenarios)
        {
            var own = lines[scenario.Id];
            Assert.Equal(scenario.Start, own.Min(r => r.Time));
            Assert.Equal(scenario.End, own.Max(r => r.Time));
            AssertWithinBounds(scenario, own.Count);
        }
    }

    [Theory]
    [MemberData(nameof(Mixes))]
    public void Each_truth_entity_occurs_in_its_own_instances_events(string mix)
    {
        var day = Day(mix);
        var text = day.ReadRecords().Where(r => r.Scenario is not null).GroupBy(r => r.Scenario!)
            .ToDictionary(g => g.Key, g => string.Join('\n', g.Select(r => r.Text)).ToLowerInvariant());

        foreach (var scenario in day.Result.Scenarios)
        {
            Assert.NotEmpty(scenario.Entities);
            Assert.All(scenario.Entities, e => Assert.Contains(e.Value, text[scenario.Id], StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Mixes))]
    public void External_attacker_addresses_appear_only_inside_their_own_instance(string mix)
    {
        var day = Day(mix);
        var external = day.Result.Scenarios
            .SelectMany(s => s.Entities.Where(e => e.Type == ObservableType.Ipv4 && !e.Value.StartsWith("10.", StringComparison.Ordinal)).Select(e => (s.Id, e.Value)))
            .ToList();

        Assert.NotEmpty(external);
        foreach (var (id, address) in external)
        {
            var quoted = '"' + address + '"';
            var spaced = ' ' + address + ' ';
            Assert.All(
                day.Records.Where(r => r.Text.Contains(quoted, StringComparison.Ordinal) || r.Text.Contains(spaced, StringComparison.Ordinal)),
                r => Assert.Equal(id, r.Scenario));
        }
    }

    [Theory]
    [MemberData(nameof(Mixes))]
    public void The_feed_lists_every_campaign_and_ssh_attacker_of_the_mix_and_nothing_else_of_the_traffic(string mix)
    {
        var day = Day(mix);
        var feed = day.Result.KnownBadIndicators.ToHashSet();
        var listed = day.Result.Scenarios.SelectMany(s => s.Kind switch
        {
            ScenarioKinds.PhishingExecutionBeaconing => s.Entities.Where(e => e.Type is ObservableType.Domain or ObservableType.Ipv4 or ObservableType.Sha256),
            ScenarioKinds.SshBruteForce => s.Entities.Where(e => e.Type == ObservableType.Ipv4),
            _ => [],
        }).Select(e => e.Value).ToList();

        Assert.All(listed, value => Assert.Contains(value, feed));
        Assert.Equal(200 + listed.Count, feed.Count);
        var unlisted = day.Result.Scenarios.Where(s => s.Kind == ScenarioKinds.WindowsBruteForce).SelectMany(s => s.Entities).Where(e => e.Type == ObservableType.Ipv4);
        Assert.All(unlisted, e => Assert.DoesNotContain(e.Value, feed));
    }

    [Theory]
    [MemberData(nameof(Mixes))]
    public void The_same_options_write_the_same_bytes_and_truth_and_another_seed_does_not(string mix)
    {
        var day = Day(mix);
        using var again = new MemoryStream();
        var result = new AttackSimulator().Run(Runs[mix], again);
        using var other = new MemoryStream();
        new AttackSimulator().Run(Runs[mix] with { Seed = Runs[mix].Seed + 1 }, other);

        Assert.Equal(day.Bytes, again.ToArray());
        Assert.Equal(day.Result.Scenarios.Select(s => (s.Id, s.Kind, s.Start, s.End, string.Join(' ', s.Entities))), result.Scenarios.Select(s => (s.Id, s.Kind, s.Start, s.End, string.Join(' ', s.Entities))));
        Assert.Equal(day.Result.KnownBadIndicators, result.KnownBadIndicators);
        Assert.NotEqual(day.Bytes, other.ToArray());
    }

    [Fact]
    public void Across_seeds_and_sizes_every_instance_stays_within_the_duration_and_line_bounds_its_kind_is_planned_with()
    {
        foreach (var seed in Enumerable.Range(1, 10))
        {
            var options = new SimulationOptions(15_000, seed) { Users = seed % 2 == 0 ? 180 : 900, Attacks = AttackMix.Every(3) };
            var labels = new List<string?>(options.Events);
            var result = AttackSimulator.Simulate(options, Stream.Null, labels);
            var counts = labels.Where(l => l is not null).GroupBy(l => l!).ToDictionary(g => g.Key, g => g.Count());

            Assert.Equal(18, result.Scenarios.Count);
            Assert.All(result.Scenarios, s => AssertWithinBounds(s, counts[s.Id]));
        }
    }

    private static void AssertWithinBounds(ScenarioTruth scenario, int lines)
    {
        Assert.True(scenario.End - scenario.Start <= Scenarios.Longest(scenario.Kind), $"{scenario.Id} {scenario.Kind} lasts {scenario.End - scenario.Start}");
        var most = Scenarios.MostEvents(AttackMix.Of(new AttackCount(scenario.Kind, 1)));
        Assert.True(lines <= most, $"{scenario.Id} {scenario.Kind} writes {lines} lines, more than {most}");
    }
}
