using System.Text.Json;

namespace Vedette.Tests.Commands;

public sealed class BenchReportTests
{
    [Fact]
    public async Task Bench_report_on_a_small_store_times_the_json_and_html_reports_over_every_alert()
    {
        using var folder = new TempFolder();
        var kept = folder.File("store");
        var (exit, stdout, stderr) = await Cli.RunAsync("bench", "report", "--alerts", "3000", "--runs", "2", "--format", "json", "--keep", kept);

        Assert.True(exit == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal((3000, 3000), (root.GetProperty("alerts").GetInt32(), root.GetProperty("reported").GetInt32()));
        Assert.True(root.GetProperty("incidents").GetInt32() > 0);
        var reports = root.GetProperty("reports").EnumerateArray().ToList();
        Assert.Equal(["json", "html"], reports.Select(r => r.GetProperty("format").GetString()));
        Assert.All(reports, r =>
        {
            Assert.Equal(2, r.GetProperty("runsSeconds").GetArrayLength());
            Assert.True(r.GetProperty("medianSeconds").GetDouble() > 0 && r.GetProperty("bytes").GetInt64() > 1000, r.ToString());
        });

        // The kept store answers `vedette report` with the same alerts, most of them handled by the simulated analysts.
        var (reportExit, report, reportErr) = await Cli.RunAsync("report", "--from", root.GetProperty("from").GetString()!, "--to", root.GetProperty("to").GetString()!, "--data", kept);
        Assert.True(reportExit == 0, reportErr);
        var figures = JsonDocument.Parse(report).RootElement;
        Assert.Equal(3000, figures.GetProperty("alerts").GetInt32());
        Assert.InRange(figures.GetProperty("mtta").GetProperty("count").GetInt32(), 2000, 3000);
        Assert.InRange(figures.GetProperty("mttr").GetProperty("count").GetInt32(), 1000, 2500);
        Assert.InRange(figures.GetProperty("mtta").GetProperty("p50").GetDecimal(), 60m, 6 * 3600m);
    }
}
