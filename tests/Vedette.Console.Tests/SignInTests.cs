using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Vedette.Console.Tests;

/// <summary>An analyst signs in with a password, lands on the queue and works the top incident: each page photographed.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SignInTests(ConsoleHarness harness)
{
    [Fact]
    public async Task An_analyst_signs_in_lands_on_the_queue_opens_the_top_incident_acknowledges_and_closes_it_and_sees_the_audit_entries()
    {
        var page = await harness.Chromium.NewPageAsync(harness.Server.Address);
        var errors = PageErrors.Watch(page);
        try
        {
            var signin = await page.GotoAsync("/console/signin");
            Assert.Equal(200, signin!.Status);
            await Screenshots.TakeAsync(page, "signin.png");

            await page.Locator("input[name=name]").FillAsync(ConsoleServer.AnalystName);
            await page.Locator("input[name=password]").FillAsync(ConsoleServer.AnalystPassword);
            await page.Locator("form[action='/console/signin'] button[type=submit]").ClickAsync();
            await page.WaitForURLAsync(new Regex("/console/queue$"));

            var rows = page.Locator("table.queue tbody tr[data-id]");
            await rows.First.WaitForAsync();
            Assert.True(await rows.CountAsync() >= 3, "the queue shows fewer incidents than were seeded");
            Assert.Contains(ConsoleServer.AnalystName, await page.Locator("header .who").InnerTextAsync(), StringComparison.Ordinal);
            await Screenshots.TakeAsync(page, "queue.png");

            var top = rows.First;
            var id = await top.GetAttributeAsync("data-id");
            var title = await top.Locator("a.row-link").InnerTextAsync();
            await top.Locator("a.row-link").ClickAsync();
            await page.WaitForURLAsync(new Regex($"/console/incidents/{id}$"));

            Assert.Contains(title, await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
            await Screenshots.TakeAsync(page, "incident.png");

            // Work it: acknowledge, close with a verdict, and read both in the incident's activity, which is its audit log.
            var status = page.Locator("dl.facts dd.status");
            await page.Locator("#ack-note").FillAsync("triaging");
            await page.Locator("#acknowledge").ClickAsync();
            await page.WaitForURLAsync(new Regex($"/console/incidents/{id}$"));
            Assert.Equal("acknowledged", await status.InnerTextAsync());
            await page.Locator("#verdict").SelectOptionAsync("true-positive");
            await page.Locator("#close-note").FillAsync("contained on the host");
            await page.Locator("#close").ClickAsync();
            await page.WaitForURLAsync(new Regex($"/console/incidents/{id}$"));
            Assert.Equal("closed (true-positive)", await status.InnerTextAsync());
            var activity = page.Locator("section[aria-labelledby=activity-h] table.audit tbody tr");
            var entries = await activity.AllInnerTextsAsync();
            Assert.Contains(entries, e => e.Contains("incident.acknowledge", StringComparison.Ordinal) && e.Contains(ConsoleServer.AnalystName, StringComparison.Ordinal) && e.Contains("triaging", StringComparison.Ordinal));
            Assert.Contains(entries, e => e.Contains("incident.close", StringComparison.Ordinal) && e.Contains("true-positive", StringComparison.Ordinal));
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_wrong_password_keeps_the_browser_on_the_sign_in_page()
    {
        var page = await harness.Chromium.NewPageAsync(harness.Server.Address);
        try
        {
            await page.GotoAsync("/console/signin");
            await page.Locator("input[name=name]").FillAsync(ConsoleServer.AnalystName);
            await page.Locator("input[name=password]").FillAsync("not the password");
            var answer = await page.RunAndWaitForResponseAsync(
                () => page.Locator("form[action='/console/signin'] button[type=submit]").ClickAsync(),
                response => response.Request.Method == "POST" && response.Url.EndsWith("/console/signin", StringComparison.Ordinal));

            Assert.Equal(401, answer.Status);
            Assert.EndsWith("/console/signin", page.Url, StringComparison.Ordinal);
            await page.GotoAsync("/console/queue");
            Assert.EndsWith("/console/signin", page.Url, StringComparison.Ordinal);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
