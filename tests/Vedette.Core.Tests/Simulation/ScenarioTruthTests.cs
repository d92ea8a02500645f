using System.Text;
using Vedette.Domain;
using Vedette.Simulation;

namespace Vedette.Tests.Simulation;

public sealed class ScenarioTruthTests
{
    public static TheoryData<int> Sizes => [SimulatedDay.Small, SimulatedDay.Large];

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Every_scenario_kind_is_embedded_once_with_its_own_events(int events)
    {
        var day = SimulatedDay.Of(events);

        Assert.Equal(ScenarioKinds.All, day.Result.Scenarios.Select(s => s.Kind));
        Assert.Equal(["S1", "S2", "S3", "S4", "S5", "S6"], day.Result.Scenarios.Select(s => s.Id));
        foreach (var scenario in day.Result.Scenarios)
        {
            Assert.Contains(scenario.Id, day.Labels);
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Each_scenarios_events_fall_between_its_start_and_end_which_they_reach(int events)
    {
        var day = SimulatedDay.Of(events);
        var first = new Dictionary<string, DateTimeOffset>();
        var last = new Dictionary<string, DateTimeOffset>();
        foreach (var record in day.ReadRecords().Where(r => r.Scenario is not null))
        {
            var id = record.Scenario!;
            first[id] = first.TryGetValue(id, out var f) && f < record.Time ? f : record.Time;
            last[id] = last.TryGetValue(id, out var l) && l > record.Time ? l : record.Time;
        }

        foreach (var scenario in day.Result.Scenarios)
        {
            Assert.Equal(scenario.Start, first[scenario.Id]);
            Assert.Equal(scenario.End, last[scenario.Id]);
            Assert.True(scenario.End - scenario.Start < TimeSpan.FromMinutes(45), $"{scenario.Id} {scenario.Kind} lasts {scenario.End - scenario.Start}");
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Each_truth_entity_occurs_in_its_scenarios_own_events(int events)
    {
        var day = SimulatedDay.Of(events);
        var text = day.ReadRecords().Where(r => r.Scenario is not null).GroupBy(r => r.Scenario!)
            .ToDictionary(g => g.Key, g => string.Join('\n', g.Select(r => r.Text)).ToLowerInvariant());

        foreach (var scenario in day.Result.Scenarios)
        {
            Assert.NotEmpty(scenario.Entities);
            foreach (var entity in scenario.Entities)
            {
                Assert.Equal(entity, Observable.Parse(entity.Type, entity.Value));
                Assert.Contains(entity.Value, text[scenario.Id], StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void A_seed_embeds_the_same_scenarios_at_every_size()
    {
        var small = SimulatedDay.Of(SimulatedDay.Small).Result.Scenarios;
        var large = SimulatedDay.Of(SimulatedDay.Large).Result.Scenarios;

        Assert.Equal(small.Select(s => (s.Id, s.Kind, s.Start, s.End)), large.Select(s => (s.Id, s.Kind, s.Start, s.End)));
        Assert.Equal(small.SelectMany(s => s.Entities), large.SelectMany(s => s.Entities));
    }

    [Fact]
    public void Scenarios_share_no_attacker_address_and_no_victim()
    {
        var scenarios = SimulatedDay.Of(SimulatedDay.Small).Result.Scenarios;

        var owners = new Dictionary<Observable, string>();
        foreach (var scenario in scenarios)
        {
            foreach (var entity in scenario.Entities.Where(e => e.Type is ObservableType.Ipv4 or ObservableType.Host or ObservableType.User))
            {
                Assert.True(owners.TryAdd(entity, scenario.Id), $"{entity} is in both {owners.GetValueOrDefault(entity)} and {scenario.Id}");
            }
        }
    }

    [Fact]
    public void External_attacker_addresses_appear_only_inside_their_scenario()
    {
        var day = SimulatedDay.Of(SimulatedDay.Small);
        var external = day.Result.Scenarios
            .SelectMany(s => s.Entities.Where(e => e.Type == ObservableType.Ipv4 && !e.Value.StartsWith("10.", StringComparison.Ordinal)).Select(e => (s.Id, e.Value)))
            .ToList();

        Assert.Equal(3, external.Count);
        foreach (var (id, address) in external)
        {
            var quoted = '"' + address + '"';
            var spaced = ' ' + address + ' ';
            Assert.All(
                day.Records.Where(r => r.Text.Contains(quoted, StringComparison.Ordinal) || r.Text.Contains(spaced, StringComparison.Ordinal)),
                r => Assert.Equal(id, r.Scenario));
        }
    }

    [Fact]
    public void Truth_survives_a_write_and_read_round_trip()
    {
        var scenarios = SimulatedDay.Of(SimulatedDay.Small).Result.Scenarios;
        using var file = new MemoryStream();

        Truth.WriteTruth(file, scenarios);
        file.Position = 0;
        var read = Truth.ReadTruth(file);

        Assert.Equal(scenarios.Count, read.Count);
        for (var i = 0; i < scenarios.Count; i++)
        {
            Assert.Equal(scenarios[i].Id, read[i].Id);
            Assert.Equal(scenarios[i].Kind, read[i].Kind);
            Assert.Equal(scenarios[i].Entities, read[i].Entities);
            Assert.Equal(scenarios[i].Start, read[i].Start);
            Assert.Equal(scenarios[i].End, read[i].End);
        }
    }

    [Fact]
    public void The_truth_file_names_entities_as_type_and_value_and_uses_newline_line_ends()
    {
        var scenarios = SimulatedDay.Of(SimulatedDay.Small).Result.Scenarios;
        using var file = new MemoryStream();

        Truth.WriteTruth(file, scenarios);
        var text = Encoding.UTF8.GetString(file.ToArray());

        Assert.DoesNotContain('\r', text);
        Assert.StartsWith("[\n", text, StringComparison.Ordinal);
        Assert.Contains($"\"{scenarios[0].Entities[0]}\"", text, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"ssh-bruteforce\"", text, StringComparison.Ordinal);
        Assert.Matches("\"start\": \"2026-11-02T\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z\"", text);
    }

    [Theory]
    [InlineData("{}", "JSON array")]
    [InlineData("[{\"id\":\"S1\",\"kind\":\"x\",\"entities\":[\"ipv4:999.1.1.1\"],\"start\":\"2026-11-02T07:00:00Z\",\"end\":\"2026-11-02T07:00:00Z\"}]", "entry 0: entity 'ipv4:999.1.1.1'")]
    [InlineData("[{\"id\":\"S1\",\"entities\":[],\"start\":\"2026-11-02T07:00:00Z\",\"end\":\"2026-11-02T07:00:00Z\"}]", "entry 0: 'kind'")]
    [InlineData("[{\"id\":\"S1\",\"kind\":\"x\",\"entities\":[],\"start\":\"yesterday\",\"end\":\"2026-11-02T07:00:00Z\"}]", "entry 0: 'start'")]
    [InlineData("[{", "not valid JSON")]
    public void A_malformed_truth_file_is_refused_naming_the_entry_and_field_at_fault(string json, string expected)
    {
        using var file = new MemoryStream(Encoding.UTF8.GetBytes(json));

        var error = Assert.Throws<FormatException>(() => Truth.ReadTruth(file));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
