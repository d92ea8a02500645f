using Microsoft.Extensions.Time.Testing;
using Vedette.Domain;
using Vedette.Ingest;

namespace Vedette.Tests.Simulation;

/// <summary>Simulated traffic is only useful if Vedette's own ingest reads every line of it as the source it imitates.</summary>
public sealed class IngestCompatibilityTests
{
    [Fact]
    public void Every_line_normalizes_as_its_source_with_its_own_time_and_host()
    {
        var day = SimulatedDay.Of(SimulatedDay.Small);
        var normalizer = new RecordNormalizer(new FakeTimeProvider(DateTimeOffset.UnixEpoch));
        var sources = new Dictionary<string, int>(StringComparer.Ordinal);
        var externalAlerts = 0;

        foreach (var record in day.Records)
        {
            var normalized = normalizer.Normalize(System.Text.Encoding.UTF8.GetBytes(record.Text), new RecordRef("simulated", record.Line));

            Assert.Equal(record.Time, normalized.Event.Timestamp);
            Assert.Equal(record.Host, normalized.Event.Host?.ToLowerInvariant());
            sources[normalized.Event.Source] = sources.GetValueOrDefault(normalized.Event.Source) + 1;
            externalAlerts += normalized.ExternalAlert is null ? 0 : 1;
        }

        Assert.Equal(["dns", "linux", "proxy", "suricata", "windows"], sources.Keys.Order());
        Assert.Equal(sources["suricata"], externalAlerts);
    }

    [Fact]
    public void Sshd_lines_decode_into_user_address_and_outcome()
    {
        var day = SimulatedDay.Of(SimulatedDay.Small);
        var normalizer = new RecordNormalizer(new FakeTimeProvider(DateTimeOffset.UnixEpoch));
        var attacker = day.Scenario(Vedette.Simulation.ScenarioKinds.SshBruteForce).Entities.Single(e => e.Type == ObservableType.Ipv4).Value;

        var failures = day.Records
            .Where(r => r["program"] == "sshd" && r["message"]!.StartsWith("Failed password", StringComparison.Ordinal) && r["message"]!.Contains(attacker, StringComparison.Ordinal))
            .Select(r => normalizer.Normalize(System.Text.Encoding.UTF8.GetBytes(r.Text), new RecordRef("simulated", r.Line)).Event)
            .ToList();

        Assert.NotEmpty(failures);
        Assert.All(failures, e =>
        {
            Assert.Equal(attacker, e.GetText("src_ip"));
            Assert.Equal("failure", e.GetText("outcome"));
            Assert.False(string.IsNullOrEmpty(e.GetText("user")));
        });
    }
}
