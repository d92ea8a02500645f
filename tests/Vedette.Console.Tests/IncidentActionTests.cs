using System.Text.RegularExpressions;
using Vedette.Domain;
using Vedette.Storage;

namespace Vedette.Console.Tests;

/// <summary>What an analyst does on the incident page, through the page's own forms, and what the audit log keeps of it.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class IncidentActionTests(ConsoleHarness harness)
{
    [Fact]
    public async Task An_analyst_acknowledges_an_incident_then_closes_it_with_a_verdict_and_both_are_audited()
    {
        // Not the top incident: the sign-in test photographs that one as it arrived.
        var incidents = await harness.Server.Store.ListIncidentsAsync(new IncidentQuery { Limit = 3 }, CancellationToken.None);
        var incident = incidents.Items[^1];
        var auditedBefore = await AuditAsync(incident.Id);
        var page = await harness.Chromium.NewPageAsync(harness.Server.Address);
        try
        {
            await ConsoleHarness.SignInAsync(page);
            await page.GotoAsync($"/console/incidents/{incident.Id}");
            var status = page.Locator("dl.facts dd.status");
            Assert.Equal("new", await status.InnerTextAsync());

            await page.Locator("#ack-note").FillAsync("looking into it");
            await page.Locator("#acknowledge").ClickAsync();
            await page.WaitForURLAsync(new Regex($"/console/incidents/{incident.Id}$"));
            Assert.Equal("acknowledged", await status.InnerTextAsync());

            await page.Locator("#verdict").SelectOptionAsync("true-positive");
            await page.Locator("#close-note").FillAsync("contained");
            await page.Locator("#close").ClickAsync();
            await page.WaitForURLAsync(new Regex($"/console/incidents/{incident.Id}$"));
            Assert.Equal("closed (true-positive)", await status.InnerTextAsync());
        }
        finally
        {
            await page.Context.CloseAsync();
        }

        var audited = (await AuditAsync(incident.Id)).Skip(auditedBefore.Count).ToList();
        Assert.True(audited.Count >= 2, $"expected the acknowledgement and the close in the audit log, found: {string.Join("; ", audited.Select(a => a.Action))}");
        Assert.All(audited, entry => Assert.Equal(ConsoleServer.AnalystName, entry.Actor));
    }

    [Fact]
    public async Task A_form_posted_without_its_csrf_token_is_refused_and_changes_nothing()
    {
        var incidents = await harness.Server.Store.ListIncidentsAsync(new IncidentQuery { Limit = 3 }, CancellationToken.None);
        var incident = incidents.Items[1];
        var page = await harness.Chromium.NewPageAsync(harness.Server.Address);
        try
        {
            await ConsoleHarness.SignInAsync(page);
            await page.GotoAsync($"/console/incidents/{incident.Id}");
            var acknowledge = page.Locator($"form[action='/console/incidents/{incident.Id}/acknowledge']");
            // As a forged cross-site form would arrive: the session cookie rides along, the token does not.
            await acknowledge.Locator("input[name=csrf]").EvaluateAsync("input => input.remove()");

            var answer = await page.RunAndWaitForResponseAsync(
                () => acknowledge.Locator("button[type=submit]").ClickAsync(),
                response => response.Request.Method == "POST");

            Assert.Equal(400, answer.Status);
            Assert.Equal(incident.Status, (await harness.Server.Store.GetIncidentAsync(incident.Id, CancellationToken.None))!.Status);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private async Task<List<AuditEntry>> AuditAsync(Guid incident)
    {
        var target = incident.ToString();
        var entries = new List<AuditEntry>();
        long after = 0;
        while (true)
        {
            var page = await harness.Server.Store.ReadAuditAsync(after, 1000, CancellationToken.None);
            entries.AddRange(page.Where(entry => entry.Target.Contains(target, StringComparison.OrdinalIgnoreCase)));
            if (page.Count < 1000)
            {
                return entries;
            }
            after = page[^1].Sequence;
        }
    }
}
