using System.Globalization;
using System.Net;
using System.Text.Json;
using Vedette.Domain;
using Vedette.Identity;
using Vedette.Storage;
using static Vedette.Server.Tests.Console.ConsoleForms;

namespace Vedette.Server.Tests.Console;

/// <summary>The analyst's work in the console beyond acknowledge and close: filters, bulk actions, assign, move, comment, merge, split, alert page, audit page.</summary>
public sealed partial class ConsoleTests
{
    [Fact]
    public async Task Queue_filters_are_those_of_the_store_query_and_stay_in_the_paging_links()
    {
        var browser = await SignInAsync("viewer");
        var all = await Server.Store.ListIncidentsAsync(new IncidentQuery { Limit = 1000 }, CancellationToken.None);
        var sample = all.Items.First(i => i.Entities.Count > 0 && i.RuleIds.Count > 0);
        var entity = sample.Entities[0].Value;

        // Free text over the title and entity values, case-insensitive.
        var byText = await Server.Store.ListIncidentsAsync(new IncidentQuery { Text = entity.ToUpperInvariant(), Limit = 1000 }, CancellationToken.None);
        Assert.Contains(byText.Items, i => i.Id == sample.Id);
        Assert.All(byText.Items, i => Assert.True(
            i.Title.Contains(entity, StringComparison.OrdinalIgnoreCase) || i.Entities.Any(e => e.Value.Contains(entity, StringComparison.OrdinalIgnoreCase)),
            $"incident {i.Id} '{i.Title}' matched '{entity}' without holding it"));
        Assert.Equal(byText.Items.Select(i => i.Id.ToString()), RowIds().Matches(await browser.Client.GetStringAsync($"/console/queue?q={Uri.EscapeDataString(entity.ToUpperInvariant())}&limit=1000")).Select(m => m.Groups[1].Value));

        // By rule: every incident listed has an alert of that rule, and the sample is among them.
        var rule = sample.RuleIds[0];
        var byRule = await Server.Store.ListIncidentsAsync(new IncidentQuery { RuleId = rule, Limit = 1000 }, CancellationToken.None);
        Assert.Contains(byRule.Items, i => i.Id == sample.Id);
        Assert.All(byRule.Items, i => Assert.Contains(rule, i.RuleIds));
        Assert.True(byRule.Items.Count < all.Items.Count, "a rule filter that keeps everything proves nothing");
        Assert.Equal(byRule.Items.Select(i => i.Id.ToString()), RowIds().Matches(await browser.Client.GetStringAsync($"/console/queue?rule={Uri.EscapeDataString(rule)}&limit=1000")).Select(m => m.Groups[1].Value));

        // By time: activity overlapping the window.
        var from = sample.LastSeen.AddSeconds(-1);
        var to = sample.FirstSeen.AddSeconds(1);
        var byTime = await Server.Store.ListIncidentsAsync(new IncidentQuery { From = from, To = to, Limit = 1000 }, CancellationToken.None);
        Assert.Contains(byTime.Items, i => i.Id == sample.Id);
        Assert.All(byTime.Items, i => Assert.True(i.LastSeen >= from && i.FirstSeen < to, $"incident {i.Id} is outside the window"));

        // Two per page: the next-page link keeps the filter.
        var html = await browser.Client.GetStringAsync($"/console/queue?severity=low&limit=2");
        Assert.Contains("limit=2", html, StringComparison.Ordinal);
        Assert.Matches("href=\"/console/queue\\?severity=low&amp;limit=2&amp;after=[^\"]+\"", html);

        var bad = await browser.Client.GetAsync("/console/queue?from=yesterday-ish");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("ISO 8601", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bulk_acknowledge_and_assign_act_on_each_ticked_incident_and_audit_each()
    {
        var browser = await SignInAsync("analyst");
        var first = await FirstNewIncidentAsync();
        var second = await FirstNewIncidentAsync();

        var ack = await PostFormAsync(browser, "/console/queue", "/console/queue/bulk",
            ("action", "acknowledge"), ("id", first.Id.ToString()), ("id", second.Id.ToString()), ("return", "/console/queue?severity=low"));
        Assert.Equal(HttpStatusCode.Found, ack.StatusCode);
        Assert.Equal("/console/queue?severity=low&done=2&refused=0&did=acknowledge", ack.Headers.Location?.OriginalString);
        foreach (var id in new[] { first.Id, second.Id })
        {
            Assert.Equal(CaseStatus.Acknowledged, (await Server.Store.GetIncidentAsync(id, CancellationToken.None))!.Status);
        }

        // Again: both are acknowledged already, so both are refused; and a return address off the queue is not followed.
        var again = await PostFormAsync(browser, "/console/queue", "/console/queue/bulk",
            ("action", "acknowledge"), ("id", first.Id.ToString()), ("id", second.Id.ToString()), ("return", "https://evil.example/console/queue"));
        Assert.Equal("/console/queue?done=0&refused=2&did=acknowledge", again.Headers.Location?.OriginalString);
        Assert.Contains("2 refused", await browser.Client.GetStringAsync(again.Headers.Location!.OriginalString), StringComparison.Ordinal);

        var assign = await PostFormAsync(browser, "/console/queue", "/console/queue/bulk",
            ("action", "assign"), ("assignee", "senior-analyst"), ("id", first.Id.ToString()), ("id", second.Id.ToString()));
        Assert.Equal("/console/queue?done=2&refused=0&did=assign", assign.Headers.Location?.OriginalString);
        Assert.Equal("senior-analyst", (await Server.Store.GetIncidentAsync(first.Id, CancellationToken.None))!.Assignee);

        var audit = await Server.AuditAsync();
        foreach (var id in new[] { first.Id, second.Id })
        {
            Assert.Single(audit, a => a.Action == "incident.acknowledge" && a.Target == $"incident/{id}" && a.Actor == "analyst");
            Assert.Single(audit, a => a.Action == "incident.assign" && a.Target == $"incident/{id}" && a.Details.Contains("senior-analyst", StringComparison.Ordinal));
        }

        var nothing = await PostFormAsync(browser, "/console/queue", "/console/queue/bulk", ("action", "acknowledge"));
        Assert.Equal(HttpStatusCode.BadRequest, nothing.StatusCode);
        var unknownUser = await PostFormAsync(browser, "/console/queue", "/console/queue/bulk", ("action", "assign"), ("assignee", "nobody-here"), ("id", first.Id.ToString()));
        Assert.EndsWith("done=0&refused=1&did=assign", unknownUser.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assign_move_and_comment_through_the_incident_page_show_on_it_and_in_the_audit_log()
    {
        var browser = await SignInAsync("analyst");
        var incident = await FirstNewIncidentAsync();
        var page = $"/console/incidents/{incident.Id}";

        Assert.Equal(HttpStatusCode.Found, (await PostFormAsync(browser, page, $"{page}/assign", ("assignee", "analyst"))).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await PostFormAsync(browser, page, $"{page}/acknowledge")).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await PostFormAsync(browser, page, $"{page}/status", ("status", "investigating"), ("note", "pulling logs"))).StatusCode);
        const string Comment = "Host owner says <b>no</b> change window";
        Assert.Equal(HttpStatusCode.Found, (await PostFormAsync(browser, page, $"{page}/comment", ("text", Comment))).StatusCode);

        var saved = await Server.Store.GetIncidentAsync(incident.Id, CancellationToken.None);
        Assert.Equal(("analyst", CaseStatus.Investigating), (saved!.Assignee, saved.Status));
        var html = await browser.Client.GetStringAsync(page);
        Assert.Contains(Encode(Comment), html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>no</b>", html, StringComparison.Ordinal);
        Assert.Contains("incident.comment", html, StringComparison.Ordinal);
        Assert.Contains("incident.assign", html, StringComparison.Ordinal);

        // The API lists the console's comment: one store of comments whichever way they came in.
        using var client = Server.Client(Role.Viewer);
        using var comments = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/incidents/{incident.Id}/comments"));
        Assert.Contains(comments.RootElement.GetProperty("items").EnumerateArray(), c => c.GetProperty("text").GetString() == Comment && c.GetProperty("author").GetString() == "analyst");

        var refused = await PostFormAsync(browser, page, $"{page}/status", ("status", "new"));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("role=\"alert\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var empty = await PostFormAsync(browser, page, $"{page}/comment", ("text", "  "));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task A_senior_analyst_merges_and_splits_through_the_incident_page()
    {
        var browser = await SignInAsync("senior-analyst");
        var target = await FirstNewIncidentAsync();
        var source = await FirstNewIncidentAsync();
        var page = $"/console/incidents/{target.Id}";
        Assert.Contains("/merge", await browser.Client.GetStringAsync(page), StringComparison.Ordinal);

        var merge = await PostFormAsync(browser, page, $"{page}/merge", ("sources", source.Id.ToString()), ("note", "same host"));
        Assert.Equal(HttpStatusCode.Found, merge.StatusCode);
        Assert.Equal(page, merge.Headers.Location?.OriginalString);
        var merged = await Server.Store.GetIncidentAsync(target.Id, CancellationToken.None);
        Assert.Equal(target.AlertIds.Count + source.AlertIds.Count, merged!.AlertIds.Count);
        Assert.Equal(target.Id, (await Server.Store.GetIncidentAsync(source.Id, CancellationToken.None))!.MergedInto);

        var moved = source.AlertIds[0];
        var split = await PostFormAsync(browser, page, $"{page}/split", ("alert", moved.ToString()), ("note", "unrelated"));
        Assert.Equal(HttpStatusCode.Found, split.StatusCode);
        var created = split.Headers.Location!.OriginalString;
        Assert.StartsWith("/console/incidents/", created, StringComparison.Ordinal);
        var createdId = Guid.Parse(created["/console/incidents/".Length..]);
        Assert.Equal([moved], (await Server.Store.GetIncidentAsync(createdId, CancellationToken.None))!.AlertIds);

        var audit = await Server.AuditAsync();
        Assert.Contains(audit, a => a.Action == "incident.merge" && a.Actor == "senior-analyst" && a.Target == $"incident/{target.Id}");
        Assert.Contains(audit, a => a.Action == "incident.split" && a.Actor == "senior-analyst" && a.Target == $"incident/{target.Id}");

        var badId = await PostFormAsync(browser, page, $"{page}/merge", ("sources", "not-an-id"));
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);

        // An analyst sees no merge form and may not post one.
        var analyst = await SignInAsync("analyst");
        Assert.DoesNotContain("/merge", await analyst.Client.GetStringAsync(page), StringComparison.Ordinal);
        var forbidden = await PostFormAsync(analyst, page, $"{page}/merge", ("sources", source.Id.ToString()));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task The_alert_page_shows_every_kept_event_and_takes_the_same_actions()
    {
        var browser = await SignInAsync("analyst");
        var incident = await FirstNewIncidentAsync();
        var alert = (await Server.Store.GetAlertAsync(incident.AlertIds[0], CancellationToken.None))!;
        var page = $"/console/alerts/{alert.Id}";
        var html = await browser.Client.GetStringAsync(page);
        Assert.Contains(Encode(alert.Title), html, StringComparison.Ordinal);
        Assert.Contains($"/console/incidents/{incident.Id}#alert-{alert.Id}", html, StringComparison.Ordinal);
        Assert.Equal(alert.Evidence.Count, System.Text.RegularExpressions.Regex.Count(html, "<details class=\"evidence\""));

        var ack = await PostFormAsync(browser, page, $"{page}/acknowledge", ("version", alert.Version.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(page, ack.Headers.Location?.OriginalString);
        Assert.Equal(CaseStatus.Acknowledged, (await Server.Store.GetAlertAsync(alert.Id, CancellationToken.None))!.Status);
        Assert.Contains(await Server.AuditAsync(), a => a.Action == "alert.acknowledge" && a.Target == $"alert/{alert.Id}");

        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync($"/console/alerts/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync("/console/alerts/not-an-id")).StatusCode);
    }

    [Fact]
    public async Task A_lead_reads_the_audit_log_newest_first_and_filters_it()
    {
        var analyst = await SignInAsync("analyst");
        var incident = await FirstNewIncidentAsync();
        var page = $"/console/incidents/{incident.Id}";
        Assert.Equal(HttpStatusCode.Found, (await PostFormAsync(analyst, page, $"{page}/comment", ("text", "for the audit page"))).StatusCode);

        var lead = await SignInWithTotpAsync("audit-lead", Role.Lead);
        var html = await lead.Client.GetStringAsync("/console/audit");
        var sequences = AuditSequences().Matches(html).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.True(sequences.Count > 2, "the audit page lists no entries");
        Assert.Equal(sequences.OrderByDescending(s => s), sequences);

        var filtered = await lead.Client.GetStringAsync($"/console/audit?target={Uri.EscapeDataString($"incident/{incident.Id}")}");
        Assert.Contains("for the audit page", filtered, StringComparison.Ordinal);
        Assert.Contains($"href=\"/console/incidents/{incident.Id}\"", filtered, StringComparison.Ordinal);
        var prefix = await lead.Client.GetStringAsync("/console/audit?action=auth.");
        Assert.DoesNotContain(">incident.", prefix, StringComparison.Ordinal);
        Assert.Contains(">auth.signin<", prefix, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.Client.GetAsync("/console/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await lead.Client.GetAsync("/console/audit?before=x")).StatusCode);
    }

    [Fact]
    public async Task A_lead_places_and_releases_a_legal_hold_from_the_incident_page()
    {
        var incident = await FirstNewIncidentAsync();
        var page = $"/console/incidents/{incident.Id}";
        var senior = await SignInAsync("senior-analyst");
        Assert.DoesNotContain("/hold", await senior.Client.GetStringAsync(page), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostFormAsync(senior, page, $"{page}/hold", ("reason", "litigation"))).StatusCode);

        var lead = await SignInWithTotpAsync("hold-lead", Role.Lead);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostFormAsync(lead, page, $"{page}/hold", ("reason", " "))).StatusCode);
        Assert.Null((await Server.Store.GetIncidentAsync(incident.Id, CancellationToken.None))!.Hold);

        Assert.Equal(HttpStatusCode.Found, (await PostFormAsync(lead, page, $"{page}/hold", ("reason", "litigation <hold> 2026-114"))).StatusCode);
        var held = (await Server.Store.GetIncidentAsync(incident.Id, CancellationToken.None))!.Hold;
        Assert.Equal(("hold-lead", "litigation <hold> 2026-114"), (held?.By, held?.Reason));
        var html = await lead.Client.GetStringAsync(page);
        Assert.Contains(Encode("litigation <hold> 2026-114"), html, StringComparison.Ordinal);
        Assert.Contains($"action=\"{page}/release\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await PostFormAsync(lead, page, $"{page}/hold", ("reason", "again"))).StatusCode);

        Assert.Equal(HttpStatusCode.Found, (await PostFormAsync(lead, page, $"{page}/release")).StatusCode);
        Assert.Null((await Server.Store.GetIncidentAsync(incident.Id, CancellationToken.None))!.Hold);
        var audit = await Server.AuditAsync();
        Assert.Contains(audit, a => a.Action == "incident.hold" && a.Actor == "hold-lead" && a.Target == $"incident/{incident.Id}");
        Assert.Contains(audit, a => a.Action == "incident.release" && a.Actor == "hold-lead" && a.Target == $"incident/{incident.Id}");
    }

    [Fact]
    public async Task New_recovery_codes_take_a_current_code_replace_the_old_ones_and_are_shown_once()
    {
        var (browser, secret) = await SignInWithTotpSecretAsync("renewing-analyst", Role.Analyst);
        var user = (await Server.Identity.FindUserAsync("renewing-analyst", CancellationToken.None))!;
        // The sign-in took a step: that step's code again is a replay; the renewal takes the step after it.
        var step = (await Server.Identity.GetCredentialsAsync(user.Id, CancellationToken.None))!.TotpLastStep!.Value;
        var used = new OtpNet.Totp(secret).ComputeTotp(DateTime.UnixEpoch.AddSeconds(step * 30));
        Assert.Equal(HttpStatusCode.BadRequest, (await PostFormAsync(browser, "/console/account", "/console/account/recovery-codes", ("code", used))).StatusCode);

        var next = new OtpNet.Totp(secret).ComputeTotp(DateTime.UnixEpoch.AddSeconds((step + 1) * 30));
        var renewed = await PostFormAsync(browser, "/console/account", "/console/account/recovery-codes", ("code", next));
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        var codes = RecoveryCodeItems().Matches(await renewed.Content.ReadAsStringAsync()).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, codes.Count);
        Assert.False(await Server.Identity.TryUseRecoveryCodeAsync(user.Id, RecoveryCodes.Hash("abcd-efgh-jkmn-pqrs"), DateTimeOffset.UtcNow, CancellationToken.None),
            "the recovery code from before the renewal still works");
        Assert.True(await Server.Identity.TryUseRecoveryCodeAsync(user.Id, RecoveryCodes.Hash(codes[3]), DateTimeOffset.UtcNow, CancellationToken.None));
        Assert.DoesNotContain(codes[0], await browser.Client.GetStringAsync("/console/account"), StringComparison.Ordinal);
        Assert.Contains(await Server.AuditAsync(), a => a.Action == "user.mfa.recovery-codes-renew" && a.Actor == "renewing-analyst" && !a.Details.Contains(codes[0], StringComparison.Ordinal));

        // Without an authenticator app there is nothing to renew, in the console and over the API.
        var plain = await SignInAsync("analyst");
        Assert.Equal(HttpStatusCode.Conflict, (await PostFormAsync(plain, "/console/account", "/console/account/recovery-codes", ("code", "123456"))).StatusCode);
        using var client = Server.Client(Role.Analyst);
        using var body = new StringContent("""{"code":"123456"}""", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync("/api/v1/auth/recovery-codes", body)).StatusCode);
    }

    /// <summary>A user of a role that needs MFA, enrolled with TOTP and signed in through both forms.</summary>
    private async Task<BrowserSession> SignInWithTotpAsync(string name, Role role) => (await SignInWithTotpSecretAsync(name, role)).Browser;

    private async Task<(BrowserSession Browser, byte[] Secret)> SignInWithTotpSecretAsync(string name, Role role)
    {
        var user = await Server.AddUserAsync(name, role);
        var secret = Totp.GenerateSecret();
        Assert.True(await Server.Identity.EnableTotpAsync(user.Id, secret, [RecoveryCodes.Hash("abcd-efgh-jkmn-pqrs")], DateTimeOffset.UtcNow, CancellationToken.None));
        return (await ConsoleForms.SignInWithTotpAsync(Server, name, secret), secret);
    }

    [System.Text.RegularExpressions.GeneratedRegex("<li><code>([^<]+)</code></li>")]
    private static partial System.Text.RegularExpressions.Regex RecoveryCodeItems();

    [System.Text.RegularExpressions.GeneratedRegex("<tr><td class=\"num\">([0-9]+)</td>")]
    private static partial System.Text.RegularExpressions.Regex AuditSequences();
}
