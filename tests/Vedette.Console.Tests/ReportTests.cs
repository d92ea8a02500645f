using Microsoft.Playwright;
using Vedette.Cli.Commands;
using Vedette.Domain;
using Vedette.Metrics;
using Vedette.Server.Reports;
using Vedette.Storage;

namespace Vedette.Console.Tests;

/// <summary>
/// The HTML report opened from disk in Chromium, as a SOC lead opens the file they were sent: it needs nothing beyond
/// itself, draws its charts and its ATT&amp;CK matrix, and nothing on the page fails, on screen or in print.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ReportTests(ConsoleHarness harness) : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "vedette-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_html_report_opens_from_a_file_with_its_charts_and_attack_matrix_and_no_errors()
    {
        await HandleSomeAlertsAsync();
        var now = DateTimeOffset.UtcNow;
        var report = await ReportCommand.BuildAsync(harness.Server.Store, ReportRange.Parse("1d", null, now), now, CancellationToken.None);
        Assert.True(report.Alerts.TimeToResolve.Count >= 2, $"{report.Alerts.TimeToResolve.Count} alerts closed");
        Assert.NotEmpty(report.Techniques);
        Directory.CreateDirectory(_folder);
        var file = Path.Combine(_folder, "report.html");
        await File.WriteAllTextAsync(file, ReportHtml.Render(report));

        var page = await harness.Chromium.NewPageAsync(harness.Server.Address);
        var errors = PageErrors.Watch(page);
        var requests = new List<string>();
        page.Request += (_, request) => requests.Add(request.Url);
        try
        {
            await page.GotoAsync(new Uri(file).AbsoluteUri);

            foreach (var id in new[] { "chart-volume", "chart-trend", "chart-top-volume", "chart-top-false-positives", "chart-by-source", "chart-by-tactic", "chart-ages" })
            {
                var chart = page.Locator($"#{id} svg[role=img]");
                Assert.True(await chart.IsVisibleAsync(), $"{id} is not drawn");
                var box = await chart.BoundingBoxAsync();
                Assert.True(box is { Width: > 200, Height: > 60 }, $"{id} is {box?.Width}×{box?.Height}");
                // Colours come from the inlined style sheet: unstyled, an SVG shape is black.
                var mark = page.Locator($"#{id} rect.bar, #{id} circle.marker").First;
                Assert.NotEqual("rgb(0, 0, 0)", await mark.EvaluateAsync<string>("mark => getComputedStyle(mark).fill"));
            }
            Assert.True(await page.Locator("#chart-trend polyline, #chart-trend circle.marker").CountAsync() > 0, "the trend has no line");
            Assert.Equal(14, await page.Locator("#attack-matrix table.attack thead th").CountAsync() - (await page.Locator("#attack-matrix th:text('no tactic')").CountAsync()));
            Assert.Equal(report.Techniques.Count, await page.Locator("#attack-matrix li.technique").Locator("strong").AllInnerTextsAsync().ContinueWith(t => t.Result.Distinct().Count(), TaskScheduler.Default));
            Assert.Equal(report.Alerts.Alerts.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.Locator("#kpi-mttd data.count").GetAttributeAsync("value"));
            await Screenshots.TakeAsync(page, "report.png");

            // Printed, the page keeps to the paper's width.
            await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
            await page.SetViewportSizeAsync(1123, 794);
            var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            Assert.True(scrollWidth <= 1123, $"the printed page is {scrollWidth} px wide");
            Assert.True(errors.Count == 0, string.Join("\n", errors));
            Assert.All(requests, url => Assert.StartsWith("file://", url, StringComparison.Ordinal));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Acknowledges four alerts of the seeded store and closes two, as analysts would, so that MTTA and MTTR have data.</summary>
    private async Task HandleSomeAlertsAsync()
    {
        var store = harness.Server.Store;
        var alerts = (await store.ListAlertsAsync(new AlertQuery { Status = CaseStatus.New, Limit = 4 }, CancellationToken.None)).Items;
        Assert.True(alerts.Count == 4, $"only {alerts.Count} new alerts in the seeded store");
        var analyst = Actor.Analyst(ConsoleServer.AnalystName);
        for (var i = 0; i < alerts.Count; i++)
        {
            var now = DateTimeOffset.UtcNow;
            alerts[i].Acknowledge(analyst, now);
            if (i < 2)
            {
                alerts[i].Close(i == 0 ? Verdict.FalsePositive : Verdict.TruePositive, analyst, now.AddSeconds(1));
            }
            Assert.Equal(UpdateResult.Updated, await store.UpdateAlertAsync(alerts[i], CancellationToken.None));
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
