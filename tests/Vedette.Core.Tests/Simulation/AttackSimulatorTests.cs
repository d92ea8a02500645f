using System.Security.Cryptography;
using Vedette.Ingest;
using Vedette.Simulation;

namespace Vedette.Tests.Simulation;

public sealed class AttackSimulatorTests
{
    private const string PinnedSmallRunSha256 = "413df7291b2dc31e91b10cc1bdd7d85c031838f8f41ee49edb05bdbb24334b54";

    [Fact]
    public void The_same_seed_writes_the_same_bytes_on_every_run()
    {
        using var again = new MemoryStream();
        new AttackSimulator().Run(new SimulationOptions(SimulatedDay.Small, SimulatedDay.Seed), again);

        Assert.Equal(SHA256.HashData(SimulatedDay.Of(SimulatedDay.Small).Bytes), SHA256.HashData(again.ToArray()));
    }

    [Fact]
    public void A_different_seed_writes_different_traffic()
    {
        using var other = new MemoryStream();
        new AttackSimulator().Run(new SimulationOptions(SimulatedDay.Small, SimulatedDay.Seed + 1), other);

        Assert.NotEqual(SHA256.HashData(SimulatedDay.Of(SimulatedDay.Small).Bytes), SHA256.HashData(other.ToArray()));
    }

    [Fact]
    public void The_bytes_of_a_seed_are_pinned_so_that_drift_between_machines_or_versions_shows()
    {
        // Demos and golden files rely on a seed meaning the same traffic everywhere. If you changed the simulator on
        // purpose, update the hash; if you did not, something became machine-, culture- or order-dependent.
        var hash = Convert.ToHexStringLower(SHA256.HashData(SimulatedDay.Of(SimulatedDay.Small).Bytes));

        Assert.Equal(PinnedSmallRunSha256, hash);
    }

    [Theory]
    [InlineData(SimulatedDay.Small)]
    [InlineData(SimulatedDay.Large)]
    public void Exactly_the_requested_number_of_lines_is_written_each_ending_in_a_newline(int events)
    {
        var day = SimulatedDay.Of(events);

        Assert.Equal(events, day.Bytes.Count(b => b == (byte)'\n'));
        Assert.Equal((byte)'\n', day.Bytes[^1]);
        Assert.Equal(events, day.Result.Events);
        Assert.Equal(events, day.Labels.Count);
    }

    [Theory]
    [InlineData(SimulatedDay.Small)]
    [InlineData(SimulatedDay.Large)]
    public void Every_line_is_one_json_object_whose_timestamps_never_go_backwards(int events)
    {
        var previous = DateTimeOffset.MinValue;
        var lines = 0;
        foreach (var record in SimulatedDay.Of(events).ReadRecords())
        {
            Assert.True(record.Time >= previous, $"line {record.Line} at {record.Time:O} is earlier than the line before it at {previous:O}");
            previous = record.Time;
            lines++;
        }
        Assert.Equal(events, lines);
    }

    [Fact]
    public void Every_event_of_the_shortest_allowed_day_falls_within_it_and_no_scenario_is_cut_short()
    {
        var options = new SimulationOptions(SimulatedDay.Small, 3) { Start = new DateTimeOffset(2027, 1, 4, 8, 0, 0, TimeSpan.Zero), Span = SimulationOptions.MinimumSpan };
        using var output = new MemoryStream();
        var labels = new List<string?>();
        var result = AttackSimulator.Simulate(options, output, labels);

        var flattener = new JsonFlattener();
        var lines = System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var records = lines.Select((line, i) => Record.Parse(flattener, System.Text.Encoding.UTF8.GetBytes(line), i + 1, labels[i])).ToList();
        Assert.All(records, r => Assert.InRange(r.Time, options.Start, options.Start + options.Span));
        // Events that would spill past the end are held at the end; a scenario ending there was cut short.
        Assert.All(result.Scenarios, s => Assert.True(s.End < options.Start + options.Span, $"{s.Id} {s.Kind} ends at the end of the day"));
        Assert.All(result.Scenarios, s => Assert.True(s.Start > options.Start, $"{s.Id} {s.Kind} starts at the start of the day"));
    }

    [Fact]
    public void Fewer_events_than_the_minimum_or_a_too_short_day_are_refused()
    {
        var simulator = new AttackSimulator();

        var tooFew = Assert.Throws<ArgumentOutOfRangeException>(() => simulator.Run(new SimulationOptions(SimulationOptions.MinimumEvents - 1, 1), Stream.Null));
        var tooShort = Assert.Throws<ArgumentOutOfRangeException>(() => simulator.Run(new SimulationOptions(SimulationOptions.MinimumEvents, 1) { Span = TimeSpan.FromMinutes(30) }, Stream.Null));

        Assert.Equal("Events", tooFew.ParamName);
        Assert.Equal("Span", tooShort.ParamName);
    }

    [Fact]
    public void The_smallest_allowed_run_still_holds_every_scenario()
    {
        using var output = new MemoryStream();
        var result = new AttackSimulator().Run(new SimulationOptions(SimulationOptions.MinimumEvents, 12345), output);

        Assert.Equal(ScenarioKinds.All, result.Scenarios.Select(s => s.Kind));
        Assert.Equal(SimulationOptions.MinimumEvents, output.ToArray().Count(b => b == (byte)'\n'));
    }
}
