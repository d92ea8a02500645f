using System.Text.Json;

namespace Vedette.Tests.Commands;

public sealed class BenchServeTests
{
    [Fact]
    public async Task Bench_serve_on_a_short_run_reports_both_phases_and_finds_every_acknowledged_request_after_the_kill()
    {
        var (exit, stdout, stderr) = await Cli.RunAsync(
            "bench", "serve", "--seconds", "2", "--warmup", "0", "--clients", "2", "--batch", "200", "--events", "5000",
            "--overload-seconds", "2", "--overload-clients", "12", "--overload-batch", "2000", "--format", "json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        var sustained = root.GetProperty("sustained");
        Assert.True(sustained.GetProperty("status202").GetInt64() > 0, sustained.ToString());
        Assert.True(sustained.GetProperty("eventsPerSecond").GetDouble() > 0);
        Assert.True(sustained.GetProperty("latencyMs").GetProperty("p99").GetDouble() > 0);
        Assert.True(root.GetProperty("peakRssBytes").GetProperty("atKill").GetInt64() > 0);
        var overload = root.GetProperty("beyondCapacity");
        Assert.Equal(0, overload.GetProperty("status429WithoutRetryAfter").GetInt64());
        var durability = root.GetProperty("durability");
        Assert.Equal(0, durability.GetProperty("acknowledgedMissing").GetInt64());
        Assert.Equal("ok", durability.GetProperty("integrityCheck").GetString());
        Assert.True(durability.GetProperty("markersStored").GetInt64() >= durability.GetProperty("requestsAcknowledged").GetInt64());
    }
}
