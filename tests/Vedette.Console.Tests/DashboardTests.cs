using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Vedette.Domain;
using Vedette.Storage;

namespace Vedette.Console.Tests;

/// <summary>The dashboard in Chromium: its server-drawn SVG charts render, with bars, and nothing on the page fails.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class DashboardTests(ConsoleHarness harness)
{
    [Fact]
    public async Task The_dashboard_shows_its_figures_and_draws_its_charts_without_errors()
    {
        await HandleSomeAlertsAsync();
        var page = await harness.Chromium.NewPageAsync(harness.Server.Address);
        var errors = PageErrors.Watch(page);
        try
        {
            await ConsoleHarness.SignInAsync(page);
            await page.Locator("header nav a[href='/console/dashboard']").ClickAsync();
            await page.WaitForURLAsync(new Regex("/console/dashboard$"));

            foreach (var id in new[] { "chart-volume", "chart-ages", "chart-top-volume", "chart-top-false-positives" })
            {
                var chart = page.Locator($"#{id} svg[role=img]");
                Assert.True(await chart.IsVisibleAsync(), $"{id} is not drawn");
                var box = await chart.BoundingBoxAsync();
                Assert.True(box is { Width: > 200, Height: > 100 }, $"{id} is {box?.Width}×{box?.Height}");
                Assert.True(await page.Locator($"#{id} rect.bar").CountAsync() > 0, $"{id} has no bars");
                // A bar's colour comes from the style sheet: unstyled, an SVG rect is black.
                var fill = await page.Locator($"#{id} rect.bar").First.EvaluateAsync<string>("bar => getComputedStyle(bar).fill");
                Assert.NotEqual("rgb(0, 0, 0)", fill);
            }
            foreach (var tile in new[] { "mttd", "mtta", "mttr" })
            {
                Assert.True(await page.Locator($"#kpi-{tile} data.p50").IsVisibleAsync(), $"the {tile} tile shows no median");
            }
            Assert.Matches(@"\d", await page.Locator("#kpi-fp .figure").InnerTextAsync());
            await Screenshots.TakeAsync(page, "dashboard.png");

            // At tablet width the charts stack and still fit the page.
            await page.SetViewportSizeAsync(768, 1024);
            var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            Assert.True(scrollWidth <= 768, $"the page is {scrollWidth} px wide at 768");
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Acknowledges and closes a few alerts in the store, as analysts would, so that MTTA, MTTR and the false-positive rate have data.</summary>
    private async Task HandleSomeAlertsAsync()
    {
        var store = harness.Server.Store;
        var alerts = (await store.ListAlertsAsync(new AlertQuery { Status = CaseStatus.New, Limit = 6 }, CancellationToken.None)).Items;
        Assert.True(alerts.Count >= 4, $"only {alerts.Count} new alerts in the seeded store");
        var analyst = Actor.Analyst(ConsoleServer.AnalystName);
        for (var i = 0; i < 4; i++)
        {
            var alert = alerts[i];
            var now = DateTimeOffset.UtcNow;
            alert.Acknowledge(analyst, now);
            alert.Close(i % 2 == 0 ? Verdict.FalsePositive : Verdict.TruePositive, analyst, now.AddMilliseconds(1));
            Assert.Equal(UpdateResult.Updated, await store.UpdateAlertAsync(alert, CancellationToken.None));
        }
    }
}
