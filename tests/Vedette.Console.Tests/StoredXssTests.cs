using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Vedette.Identity;
using Vedette.Storage;

namespace Vedette.Console.Tests;

/// <summary>Markup in an ingested alert's title and description is shown as text on the incident page and never runs.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class StoredXssTests(ConsoleHarness harness)
{
    private const string ScriptTitle = "<script>window.__xss=1</script>";
    private const string ImageDescription = "<img src=x onerror=\"window.__xss=1\">";

    [Fact]
    public async Task Markup_in_an_external_alert_renders_as_inert_text_on_its_incident_page()
    {
        var ruleId = "xss-" + Guid.NewGuid().ToString("N");
        var incidentId = await PostAlertAsync(ruleId);
        var page = await harness.Chromium.NewPageAsync(harness.Server.Address);
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
        try
        {
            await ConsoleHarness.SignInAsync(page);
            var response = await page.GotoAsync($"/console/incidents/{incidentId}");
            Assert.Equal(200, response!.Status);
            await page.WaitForURLAsync(new Regex($"/console/incidents/{incidentId}$"));

            var text = await page.Locator("main").InnerTextAsync();
            Assert.Contains(ScriptTitle, text, StringComparison.Ordinal);
            Assert.Contains(ImageDescription, text, StringComparison.Ordinal);

            Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__xss"));
            Assert.Empty(dialogs);
            // Only the console's own (external, CSP-allowed) scripts, and no element made from the payload.
            Assert.Equal(0, await page.EvaluateAsync<int>(
                "() => [...document.querySelectorAll('script')].filter(s => !s.src || s.textContent.includes('__xss')).length"));
            Assert.Equal(0, await page.Locator("img[src=x], img[onerror], [onerror]").CountAsync());
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>The alert as another tool would post it, with the analyst's API token; returns the incident it joined.</summary>
    private async Task<Guid> PostAlertAsync(string ruleId)
    {
        var identity = (IIdentityStore)harness.Server.Store;
        var analyst = await identity.FindUserAsync(ConsoleServer.AnalystName, CancellationToken.None);
        Assert.NotNull(analyst);
        var token = ApiTokens.Issue(analyst, Role.Analyst, "console-xss-test", Guid.CreateVersion7(), DateTimeOffset.UtcNow, lifetime: null);
        await identity.AddTokenAsync(token.Record, CancellationToken.None);

        var line = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["kind"] = "alert",
            ["@timestamp"] = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["producer"] = "edr",
            ["ruleId"] = ruleId,
            ["title"] = ScriptTitle,
            ["severity"] = "low",
            ["description"] = ImageDescription,
            ["observables"] = new[] { new Dictionary<string, string> { ["type"] = "host", ["value"] = ruleId + ".xss.example" } },
        });
        using var client = new HttpClient { BaseAddress = harness.Server.Address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        using var content = new StringContent(line + "\n", Encoding.UTF8, "application/x-ndjson");
        using var response = await client.PostAsync(new Uri("/api/v1/events", UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /api/v1/events answered {(int)response.StatusCode}: {body}");
        using (var receipt = JsonDocument.Parse(body))
        {
            Assert.True(receipt.RootElement.GetProperty("rejected").GetInt32() == 0, body);
        }

        var alerts = await harness.Server.Store.ListAlertsAsync(new AlertQuery { RuleId = ruleId, Limit = 1 }, CancellationToken.None);
        var alert = Assert.Single(alerts.Items);
        Assert.True(alert.IncidentId is not null, $"the alert {alert.Id} joined no incident");
        return alert.IncidentId.Value;
    }
}
