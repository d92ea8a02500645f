using System.Text.Json;

namespace Vedette.Tests.Commands;

public sealed class BenchDetectTests
{
    [Fact]
    public async Task Bench_detect_on_a_small_input_reports_every_figure()
    {
        var (exit, stdout, stderr) = await Cli.RunAsync(
            "bench", "detect", "--events", SharedData.Path("linux-auth", "OpenSSH", "OpenSSH_2k.log"), "--bytes", "2m", "--format", "json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        foreach (var figure in new[] { "rules", "events", "eventsPerSecond", "scanEventsPerSecond", "normalizeEventsPerSecond", "ratio", "compiledRulesetBytes" })
        {
            Assert.True(root.GetProperty(figure).GetDouble() > 0, $"{figure} is {root.GetProperty(figure)}");
        }
        // The input is repeated up to the size asked for: 2 MiB of ~170-byte records.
        Assert.InRange(root.GetProperty("bytes").GetInt64(), (2 << 20) - 1024, 2 << 20);
        Assert.True(root.GetProperty("events").GetInt64() > 2000);
    }

    [Fact]
    public async Task Bench_detect_refuses_a_size_it_cannot_read()
    {
        var (exit, _, stderr) = await Cli.RunAsync("bench", "detect", "--events", SharedData.Path("linux-auth", "OpenSSH", "OpenSSH_2k.log"), "--bytes", "lots");
        Assert.NotEqual(0, exit);
        Assert.Contains("--bytes must be a size", stderr, StringComparison.Ordinal);
    }
}
