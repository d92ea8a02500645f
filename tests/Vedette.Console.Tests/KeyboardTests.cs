using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Vedette.Domain;

namespace Vedette.Console.Tests;

/// <summary>The queue worked from the keyboard alone: j/k to move, x to tick, a to acknowledge the ticked ones, Enter to open.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class KeyboardTests(ConsoleHarness harness)
{
    [Fact]
    public async Task An_analyst_ticks_two_incidents_with_x_acknowledges_them_with_a_and_opens_one_with_enter()
    {
        var page = await harness.Chromium.NewPageAsync(harness.Server.Address);
        var errors = PageErrors.Watch(page);
        try
        {
            await ConsoleHarness.SignInAsync(page);
            // New incidents only, far enough down that the top incident (which other tests photograph and act on) stays as it is.
            await page.GotoAsync("/console/queue?status=new");
            var rows = page.Locator("table.queue tbody tr[data-id]");
            Assert.True(await rows.CountAsync() >= 8, "the queue needs at least 8 new incidents for this test");
            for (var i = 0; i < 6; i++)
            {
                await page.Keyboard.PressAsync("j");
            }
            await page.Keyboard.PressAsync("x");
            await page.Keyboard.PressAsync("j");
            await page.Keyboard.PressAsync("x");
            var ticked = await page.Locator("table.queue input.select:checked").EvaluateAllAsync<string[]>("boxes => boxes.map(b => b.value)");
            string[] expected = [(await rows.Nth(5).GetAttributeAsync("data-id"))!, (await rows.Nth(6).GetAttributeAsync("data-id"))!];
            Assert.Equal(expected, ticked);
            Assert.Equal("2 selected:", await page.Locator("#selected-count").InnerTextAsync());

            await page.Keyboard.PressAsync("a");
            await page.WaitForURLAsync(new Regex("done=2&refused=0&did=acknowledge$"));
            Assert.Contains("2 incident(s) acknowledged", await page.Locator("p.notice").InnerTextAsync(), StringComparison.Ordinal);
            foreach (var id in ticked)
            {
                Assert.Equal(CaseStatus.Acknowledged, (await harness.Server.Store.GetIncidentAsync(Guid.Parse(id), CancellationToken.None))!.Status);
            }

            // The filter survived the round trip: the acknowledged ones have left this view.
            Assert.DoesNotContain(ticked[0], await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)"));
            for (var i = 0; i < 5; i++)
            {
                await page.Keyboard.PressAsync("j");
            }
            var fifth = await rows.Nth(4).GetAttributeAsync("data-id");
            await page.Keyboard.PressAsync("Enter");
            await page.WaitForURLAsync(new Regex($"/console/incidents/{fifth}$"));

            // On the incident page, a acknowledges it.
            await page.Keyboard.PressAsync("a");
            await page.WaitForFunctionAsync("() => document.querySelector('dl.facts dd.status')?.textContent === 'acknowledged'");
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Slash_moves_to_search_and_keys_typed_there_are_text_not_commands()
    {
        var page = await harness.Chromium.NewPageAsync(harness.Server.Address);
        var errors = PageErrors.Watch(page);
        try
        {
            await ConsoleHarness.SignInAsync(page);
            await page.Keyboard.PressAsync("/");
            Assert.Equal("q", await page.EvaluateAsync<string>("() => document.activeElement.id"));
            await page.Keyboard.TypeAsync("jax");
            Assert.Equal("jax", await page.Locator("#q").InputValueAsync());
            Assert.Equal(0, await page.Locator("table.queue input.select:checked").CountAsync());
            await page.Keyboard.PressAsync("Enter");
            await page.WaitForURLAsync(url => url.Contains("/console/queue?q=jax&", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            Assert.Equal("jax", await page.Locator("#q").InputValueAsync());
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
