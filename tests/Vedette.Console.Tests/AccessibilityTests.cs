using System.Text.Json;
using Microsoft.Playwright;
using Vedette.Storage;

namespace Vedette.Console.Tests;

/// <summary>
/// What the console promises beyond working: every control has a name, text has WCAG AA contrast against what is
/// behind it, nothing forces a tab order of its own, and nothing overflows sideways at 1280×800 or at a tablet's
/// 768×1024.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class AccessibilityTests(ConsoleHarness harness)
{
    /// <summary>Runs in the page: a list of problems, empty when the page keeps every promise above.</summary>
    private const string Audit = """
        () => {
          const problems = [];
          const named = el => (el.labels && el.labels.length > 0) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.getAttribute('title');
          for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea, button')) {
            if (el.tagName === 'BUTTON' ? !el.textContent.trim() && !el.getAttribute('aria-label') : !named(el)) {
              problems.push('no accessible name: ' + el.outerHTML.slice(0, 120));
            }
          }
          for (const el of document.querySelectorAll('svg[role=img]')) {
            if (!el.getAttribute('aria-label') && !el.querySelector('title')) { problems.push('chart without a name'); }
          }
          for (const el of document.querySelectorAll('[tabindex]')) {
            if (Number(el.getAttribute('tabindex')) > 0) { problems.push('positive tabindex: ' + el.outerHTML.slice(0, 80)); }
          }
          if (!document.documentElement.lang) { problems.push('no lang on <html>'); }
          if (document.querySelectorAll('h1').length !== 1) { problems.push(document.querySelectorAll('h1').length + ' h1 elements'); }
          if (document.documentElement.scrollWidth > window.innerWidth + 1) {
            problems.push('overflows sideways: ' + document.documentElement.scrollWidth + ' > ' + window.innerWidth);
          }
          const rgb = text => { const m = text.match(/rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)/); return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])] : null; };
          const luminance = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
          const background = el => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c && c[3] > 0) { return c; } } return [255, 255, 255, 1]; };
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          const seen = new Set();
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const el = node.parentElement;
            if (!node.textContent.trim() || seen.has(el) || el.closest('svg, option, [hidden], details:not([open]) > :not(summary)')) { continue; }
            seen.add(el);
            const style = getComputedStyle(el);
            if (style.visibility === 'hidden' || style.display === 'none' || el.getClientRects().length === 0) { continue; }
            const fg = luminance(rgb(style.color)), bg = luminance(background(el));
            const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
            const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
            const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
            if (ratio < needed) { problems.push('contrast ' + ratio.toFixed(2) + ' < ' + needed + ': "' + node.textContent.trim().slice(0, 40) + '" in <' + el.tagName.toLowerCase() + ' class="' + el.className + '">'); }
          }
          return problems;
        }
        """;

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(768, 1024)]
    public async Task The_analyst_s_pages_name_every_control_have_readable_contrast_and_fit_the_width(int width, int height)
    {
        var incidents = await harness.Server.Store.ListIncidentsAsync(new IncidentQuery { Limit = 5 }, CancellationToken.None);
        var incident = incidents.Items[^1];
        var page = await harness.Chromium.NewPageAsync(harness.Server.Address, width, height);
        var errors = PageErrors.Watch(page);
        try
        {
            Assert.Empty(await ProblemsAsync(page, "/console/signin"));
            await ConsoleHarness.SignInAsync(page);
            var problems = new List<string>();
            foreach (var path in new[] { "/console/queue", $"/console/incidents/{incident.Id}", $"/console/alerts/{incident.AlertIds[0]}", "/console/dashboard", "/console/account" })
            {
                problems.AddRange((await ProblemsAsync(page, path)).Select(p => $"{path} at {width}×{height}: {p}"));
            }
            Assert.True(problems.Count == 0, string.Join("\n", problems));
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Tab_order_follows_the_page_from_the_skip_link_through_the_navigation_to_the_filters()
    {
        var page = await harness.Chromium.NewPageAsync(harness.Server.Address);
        try
        {
            await ConsoleHarness.SignInAsync(page);
            var order = new List<string>();
            for (var i = 0; i < 4; i++)
            {
                await page.Keyboard.PressAsync("Tab");
                order.Add(await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim() || document.activeElement.id"));
            }
            Assert.Equal(["Skip to content", "Vedette", "Queue", "Dashboard"], order);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static async Task<string[]> ProblemsAsync(IPage page, string path)
    {
        var response = await page.GotoAsync(path);
        Assert.True(response is { Status: 200 }, $"{path}: {response?.Status}");
        var problems = await page.EvaluateAsync<JsonElement>(Audit);
        return [.. problems.EnumerateArray().Select(p => p.GetString()!)];
    }
}
