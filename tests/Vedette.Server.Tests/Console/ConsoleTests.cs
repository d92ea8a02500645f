using System.Net;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Vedette.Domain;
using Vedette.Identity;
using Vedette.Storage;
using static Vedette.Server.Tests.Console.ConsoleForms;

namespace Vedette.Server.Tests.Console;

/// <summary>A server with the simulator's incidents in its store, shared by the console tests.</summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync();
        await AnalystWorkflowTests.PostSimulationAsync(Server.Client(Role.Analyst), events: 20_000, seed: 7);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// The console through real HTTP, as a browser without script would use it: forms with their CSRF token, cookies,
/// redirects looked at rather than followed.
/// </summary>
public sealed partial class ConsoleTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task A_user_with_TOTP_signs_in_through_the_password_form_then_the_code_form()
    {
        var user = await Server.AddUserAsync("tess", Role.Analyst);
        var secret = Totp.GenerateSecret();
        Assert.True(await Server.Identity.EnableTotpAsync(user.Id, secret, [RecoveryCodes.Hash("abcd-efgh-jkmn-pqrs")], DateTimeOffset.UtcNow, CancellationToken.None));
        var browser = Browser();

        var password = await PostFormAsync(browser, "/console/signin", "/console/signin", ("name", "tess"), ("password", TestServer.Password));
        Assert.Equal(HttpStatusCode.Found, password.StatusCode);
        Assert.Equal("/console/signin/totp", password.Headers.Location?.OriginalString);
        Assert.DoesNotContain(browser.Cookies.GetCookies(Server.Address).Cast<Cookie>(), c => c.Name == "vedette_session");

        var wrong = await PostFormAsync(browser, "/console/signin/totp", "/console/signin/totp", ("code", "000000"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("Sign-in failed", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var code = new OtpNet.Totp(secret).ComputeTotp();
        var signedIn = await PostFormAsync(browser, "/console/signin/totp", "/console/signin/totp", ("code", code));
        Assert.Equal(HttpStatusCode.Found, signedIn.StatusCode);
        Assert.Equal("/console/queue", signedIn.Headers.Location?.OriginalString);

        var queue = await browser.Client.GetAsync("/console/queue");
        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
        Assert.Contains("tess (analyst)", await queue.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var audit = await Server.AuditAsync();
        Assert.Contains(audit, a => a.Action == "auth.signin" && a.Actor == "tess");
        Assert.Contains(audit, a => a.Action == "auth.signin.failure" && a.Actor == "tess" && a.Details.Contains("bad-second-factor", StringComparison.Ordinal));

        var signOut = await PostFormAsync(browser, "/console/queue", "/console/signout");
        Assert.Equal(HttpStatusCode.Found, signOut.StatusCode);
        var after = await browser.Client.GetAsync("/console/queue");
        Assert.Equal(HttpStatusCode.Found, after.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_name_get_the_same_answer_and_no_session()
    {
        await Server.AddUserAsync("uma", Role.Viewer);
        var browser = Browser();
        var wrong = await PostFormAsync(browser, "/console/signin", "/console/signin", ("name", "uma"), ("password", "not the password at all"));
        var unknown = await PostFormAsync(browser, "/console/signin", "/console/signin", ("name", "nobody-by-this-name"), ("password", "not the password at all"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        var wrongText = Regex.Replace(await wrong.Content.ReadAsStringAsync(), "value=\"[^\"]*\"", "");
        var unknownText = Regex.Replace(await unknown.Content.ReadAsStringAsync(), "value=\"[^\"]*\"", "");
        Assert.Equal(wrongText, unknownText);
        Assert.DoesNotContain(browser.Cookies.GetCookies(Server.Address).Cast<Cookie>(), c => c.Name == "vedette_session");
        Assert.Equal(HttpStatusCode.Found, (await browser.Client.GetAsync("/console/queue")).StatusCode);
        Assert.Contains(await Server.AuditAsync(), a => a.Action == "auth.signin.failure" && a.Actor == "uma" && a.Details.Contains("bad-password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Anonymous_console_pages_redirect_to_the_sign_in_form_and_the_root_to_the_queue()
    {
        var browser = Browser();
        var queue = await browser.Client.GetAsync("/console/queue");
        Assert.Equal(HttpStatusCode.Found, queue.StatusCode);
        Assert.Equal("/console/signin", queue.Headers.Location?.OriginalString);
        var root = await browser.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Found, root.StatusCode);
        Assert.Equal("/console/queue", root.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_queue_lists_the_incidents_in_the_store_s_order_with_their_fields()
    {
        var browser = await SignInAsync("viewer");
        var html = await browser.Client.GetStringAsync("/console/queue");
        var expected = await Server.Store.ListIncidentsAsync(new IncidentQuery { Limit = 50 }, CancellationToken.None);
        Assert.True(expected.Items.Count >= 3, $"only {expected.Items.Count} incidents");
        var shown = RowIds().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(expected.Items.Select(i => i.Id), shown);
        var top = expected.Items[0];
        Assert.Contains(Encode(top.Title), html, StringComparison.Ordinal);
        Assert.Contains(ConsoleTime(top.DueAt), html, StringComparison.Ordinal);

        var high = await browser.Client.GetStringAsync("/console/queue?severity=critical&status=new");
        var filtered = await Server.Store.ListIncidentsAsync(new IncidentQuery { Limit = 50, MinSeverity = Severity.Critical, Status = CaseStatus.New }, CancellationToken.None);
        Assert.Equal(filtered.Items.Select(i => i.Id), RowIds().Matches(high).Select(m => Guid.Parse(m.Groups[1].Value)));

        // Paging follows the store's cursor, with the filters kept in the link.
        var first = await browser.Client.GetStringAsync("/console/queue?limit=2");
        var cursor = (await Server.Store.ListIncidentsAsync(new IncidentQuery { Limit = 2 }, CancellationToken.None)).Next!;
        Assert.Contains(Encode("/console/queue?limit=2&after=" + Uri.EscapeDataString(cursor)), first, StringComparison.Ordinal);
        var second = await browser.Client.GetStringAsync("/console/queue?limit=2&after=" + Uri.EscapeDataString(cursor));
        var secondExpected = await Server.Store.ListIncidentsAsync(new IncidentQuery { Limit = 2, After = cursor }, CancellationToken.None);
        Assert.Equal(secondExpected.Items.Select(i => i.Id), RowIds().Matches(second).Select(m => Guid.Parse(m.Groups[1].Value)));
    }

    [Fact]
    public async Task The_incident_page_shows_the_score_breakdown_the_grouping_reasons_and_the_alerts()
    {
        var browser = await SignInAsync("viewer");
        var top = (await Server.Store.ListIncidentsAsync(new IncidentQuery { Limit = 1 }, CancellationToken.None)).Items[0];
        var html = await browser.Client.GetStringAsync($"/console/incidents/{top.Id}");
        Assert.Contains("Score breakdown", html, StringComparison.Ordinal);
        Assert.NotNull(top.Risk);
        foreach (var part in top.Risk.Parts)
        {
            Assert.Contains(Encode(part.Reason), html, StringComparison.Ordinal);
        }
        foreach (var reason in top.Grouping)
        {
            Assert.Contains(Encode(reason.Explanation), html, StringComparison.Ordinal);
        }
        foreach (var alertId in top.AlertIds.Take(20))
        {
            Assert.Contains($"id=\"alert-{alertId}\"", html, StringComparison.Ordinal);
        }
        // A viewer sees no action forms.
        Assert.DoesNotContain("/acknowledge", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Acknowledging_and_closing_through_the_forms_change_the_incident_and_are_audited()
    {
        var browser = await SignInAsync("analyst");
        var incident = await FirstNewIncidentAsync();
        var page = $"/console/incidents/{incident.Id}";

        var ack = await PostFormAsync(browser, page, $"{page}/acknowledge", ("version", incident.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("note", "looking"));
        Assert.Equal(HttpStatusCode.Found, ack.StatusCode);
        Assert.Equal(page, ack.Headers.Location?.OriginalString);
        var acknowledged = await Server.Store.GetIncidentAsync(incident.Id, CancellationToken.None);
        Assert.Equal(CaseStatus.Acknowledged, acknowledged!.Status);

        // The form read before the acknowledgement is stale now: refused with the reason, nothing saved.
        var stale = await PostFormAsync(browser, page, $"{page}/close", ("version", incident.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("verdict", "false-positive"));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("changed since version", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var close = await PostFormAsync(browser, page, $"{page}/close", ("verdict", "benign-positive"), ("note", "backup job"));
        Assert.Equal(HttpStatusCode.Found, close.StatusCode);
        var closed = await Server.Store.GetIncidentAsync(incident.Id, CancellationToken.None);
        Assert.Equal((CaseStatus.Closed, Verdict.BenignPositive), (closed!.Status, closed.Verdict));

        var audit = await Server.AuditAsync();
        Assert.Contains(audit, a => a.Action == "incident.acknowledge" && a.Actor == "analyst" && a.Target == $"incident/{incident.Id}" && a.Details.Contains("looking", StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Action == "incident.close" && a.Actor == "analyst" && a.Target == $"incident/{incident.Id}" && a.Details.Contains("benign-positive", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_form_post_without_its_CSRF_token_is_refused_and_changes_nothing()
    {
        var browser = await SignInAsync("analyst");
        var incident = await FirstNewIncidentAsync();
        var auditBefore = (await Server.AuditAsync()).Count;

        var missing = await browser.Client.PostAsync($"/console/incidents/{incident.Id}/acknowledge", new FormUrlEncodedContent([new("note", "forged")]));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var forged = await browser.Client.PostAsync($"/console/incidents/{incident.Id}/acknowledge", new FormUrlEncodedContent([new("csrf", "CfDJ8forged"), new("note", "forged")]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        // A token of another session (another user's page) is refused as well.
        var other = await SignInAsync("senior-analyst");
        var otherToken = await CsrfTokenAsync(other, "/console/queue");
        var foreign = await browser.Client.PostAsync($"/console/incidents/{incident.Id}/acknowledge", new FormUrlEncodedContent([new("csrf", otherToken)]));
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);

        var signIn = await Browser().Client.PostAsync("/console/signin", new FormUrlEncodedContent([new("name", "analyst"), new("password", TestServer.Password)]));
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);

        Assert.Equal(CaseStatus.New, (await Server.Store.GetIncidentAsync(incident.Id, CancellationToken.None))!.Status);
        Assert.DoesNotContain((await Server.AuditAsync()).Skip(auditBefore), a => a.Action == "incident.acknowledge");
    }

    [Fact]
    public async Task Every_console_page_carries_a_CSP_without_unsafe_inline_and_the_other_security_headers()
    {
        var browser = await SignInAsync("viewer");
        var top = (await Server.Store.ListIncidentsAsync(new IncidentQuery { Limit = 1 }, CancellationToken.None)).Items[0];
        foreach (var path in new[] { "/console/signin", "/console/queue", $"/console/incidents/{top.Id}", "/console/assets/console.css" })
        {
            var response = await (path == "/console/signin" ? Browser().Client : browser.Client).GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var csp = string.Join(';', response.Headers.GetValues("Content-Security-Policy"));
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
            foreach (var directive in new[] { "default-src 'self'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'" })
            {
                Assert.Contains(directive, csp, StringComparison.Ordinal);
            }
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
            Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS over plain HTTP");
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<script>", html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Attacker_controlled_alert_fields_render_as_text()
    {
        const string Payload = "<script>alert(1)</script>";
        var (ingested, body) = await Json.PostAsync(Server.Client(Role.Analyst), "/api/v1/alerts", new Dictionary<string, object>
        {
            ["title"] = "EDR " + Payload,
            ["severity"] = "high",
            ["producer"] = "edr",
            ["ruleId"] = "edr-xss",
            ["host"] = "wks-xss",
            ["description"] = Payload,
            ["observables"] = new[] { new { type = "host", value = "wks-xss" } },
            ["CommandLine"] = "cmd.exe /c \"" + Payload + "\"",
        });
        Assert.True(ingested.StatusCode == HttpStatusCode.Accepted, body.ToString());
        var alert = (await Server.Store.ListAlertsAsync(new AlertQuery { RuleId = "edr-xss", Limit = 1 }, CancellationToken.None)).Items.Single();
        Assert.NotNull(alert.IncidentId);

        var browser = await SignInAsync("viewer");
        var html = await browser.Client.GetStringAsync($"/console/incidents/{alert.IncidentId}");
        Assert.DoesNotContain(Payload, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("CommandLine", html, StringComparison.Ordinal);
        var queue = await browser.Client.GetStringAsync("/console/queue?severity=high");
        Assert.DoesNotContain(Payload, queue, StringComparison.Ordinal);
    }

    private async Task<Incident> FirstNewIncidentAsync()
    {
        var page = await Server.Store.ListIncidentsAsync(new IncidentQuery { Status = CaseStatus.New, Limit = 50 }, CancellationToken.None);
        // Each test takes its own, so that tests sharing the store do not act on one incident.
        lock (Taken)
        {
            var incident = page.Items.First(i => Taken.Add(i.Id));
            return incident;
        }
    }

    private static readonly HashSet<Guid> Taken = [];

    private BrowserSession Browser() => ConsoleForms.Browser(Server);

    private Task<BrowserSession> SignInAsync(string name) => ConsoleForms.SignInAsync(Server, name);

    /// <summary>As the console encodes text: HTML's special characters, other scripts left readable.</summary>
    private static string Encode(string text) => HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All).Encode(text);

    private static string ConsoleTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("<tr data-id=\"([0-9a-f-]{36})\">")]
    private static partial Regex RowIds();
}
