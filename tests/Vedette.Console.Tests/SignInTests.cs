using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Vedette.Console.Tests;

/// <summary>An analyst signs in with a password, lands on the queue and opens the top incident: each page photographed.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SignInTests(ConsoleHarness harness)
{
    [Fact]
    public async Task An_analyst_signs_in_with_a_password_lands_on_the_queue_and_opens_the_top_incident()
    {
        var page = await harness.Chromium.NewPageAsync(harness.Server.Address);
        // Blocked inline script or style (the CSP allows neither) and script failures show up here.
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            // Chromium asks for /favicon.ico on its own; the console serves none (yet), which is no page's failure.
            if (message.Type == "error" && !message.Location.StartsWith(new Uri(harness.Server.Address, "/favicon.ico").ToString(), StringComparison.Ordinal))
            {
                errors.Add($"{page.Url}: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => errors.Add($"{page.Url}: {error}");
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
