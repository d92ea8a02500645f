using System.Text.Json;

namespace Vedette.Tests.Commands;

public sealed class BenchConsoleTests
{
    [Fact]
    public async Task Bench_console_on_a_small_store_reports_server_time_for_the_queue_the_top_incident_and_the_dashboard()
    {
        var (exit, stdout, stderr) = await Cli.RunAsync("bench", "console", "--alerts", "2000", "--runs", "3", "--format", "json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(2000, root.GetProperty("alerts").GetInt32());
        Assert.True(root.GetProperty("incidents").GetInt32() > 0);
        var pages = root.GetProperty("pages").EnumerateArray().ToList();
        Assert.Equal(["/console/queue", "/console/incidents/{top id}", "/console/dashboard?range=30d"], pages.Select(p => p.GetProperty("path").GetString()));
        // The server's clock follows the corpus, so the dashboard counts every alert of the store.
        Assert.Equal(2000, pages[2].GetProperty("rows").GetInt32());
        foreach (var page in pages)
        {
            Assert.True(page.GetProperty("rows").GetInt32() > 0, page.ToString());
            foreach (var figure in new[] { "serverMedianMs", "serverP95Ms", "serverMaxMs", "roundTripMedianMs" })
            {
                Assert.True(page.GetProperty(figure).GetDouble() > 0, $"{figure} is {page.GetProperty(figure)}");
            }
        }
    }
}
