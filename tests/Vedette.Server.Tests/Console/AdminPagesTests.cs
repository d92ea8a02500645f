using System.Net;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Vedette.Detection;
using Vedette.Enrich.Intel;
using Vedette.Identity;
using static Vedette.Server.Tests.Console.ConsoleForms;

namespace Vedette.Server.Tests.Console;

/// <summary>A server whose rule set has one broken rule besides the repository's, and an admin signed in with password and TOTP.</summary>
public sealed class AdminFixture : IAsyncLifetime
{
    public const string AdminName = "root-admin";

    private string _rules = "";

    public TestServer Server { get; private set; } = null!;

    /// <summary>The admin's console session, shared: a TOTP code is accepted once, so each test cannot sign in anew.</summary>
    public BrowserSession Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _rules = Path.Combine(Path.GetTempPath(), "vedette-admin-rules", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_rules);
        // No condition: the loader refuses the rule and the server keeps the reason.
        await File.WriteAllTextAsync(Path.Combine(_rules, "broken_admin_rule.yml"), """
            title: Broken rule for the admin pages
            id: 5b0d7c3e-2f4a-4d61-9c1e-0a1b2c3d4e5f
            logsource:
              product: windows
              category: process_creation
            detection:
              selection:
                Image|endswith: '\evil.exe'
            level: high
            """);
        Server = await TestServer.StartAsync(extraRulePaths: [_rules]);
        var admin = await Server.AddUserAsync(AdminName, Role.Admin);
        var secret = Totp.GenerateSecret();
        Assert.True(await Server.Identity.EnableTotpAsync(admin.Id, secret, [RecoveryCodes.Hash("abcd-efgh-jkmn-pqrs")], DateTimeOffset.UtcNow, CancellationToken.None));
        Admin = await ConsoleForms.SignInWithTotpAsync(Server, AdminName, secret);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(_rules, recursive: true);
    }
}

/// <summary>
/// The administration pages through real HTTP, as a browser without script uses them: each form posted with its CSRF
/// token, redirects looked at rather than followed, and the effect checked in the stores and the audit log.
/// </summary>
public sealed partial class AdminPagesTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    private const string UsersPage = "/console/admin/users";
    private const string StrongPassword = "plum tractor wisely orbit lantern seventeen";

    private TestServer Server => fixture.Server;

    private BrowserSession Admin => fixture.Admin;

    [Fact]
    public async Task An_admin_sees_every_user_with_role_factors_and_state()
    {
        var html = await Admin.Client.GetStringAsync(UsersPage);
        foreach (var role in Roles.All)
        {
            Assert.Matches($"<tr data-user=\"{role.ToName()}\"><th scope=\"row\">{role.ToName()}</th><td>{role.ToName()}</td>", html);
        }
        Assert.Contains($"<tr data-user=\"{AdminFixture.AdminName}\"><th scope=\"row\">{AdminFixture.AdminName}</th><td>admin</td><td class=\"factors\">TOTP (1 recovery codes left)</td><td class=\"state\">active</td>", html, StringComparison.Ordinal);
        // The admin of the fixture's token has no second factor: the page says so.
        Assert.Contains("<tr data-user=\"admin\"><th scope=\"row\">admin</th><td>admin</td><td class=\"factors missing\">none (must enrol one)</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_analyst_is_refused_the_users_and_tokens_pages_but_sees_the_sections_of_their_role()
    {
        var analyst = await SignInAsync("analyst");
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.Client.GetAsync(UsersPage)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.Client.GetAsync("/console/admin/tokens")).StatusCode);

        var landing = await analyst.Client.GetStringAsync("/console/admin");
        Assert.Contains("<a href=\"/console/admin\">Administration</a>", landing, StringComparison.Ordinal);
        foreach (var section in new[] { "suppressions", "feeds", "rules" })
        {
            Assert.Contains($"<li><a href=\"/console/admin/{section}\">", landing, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("href=\"/console/admin/users\"", landing, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/console/admin/tokens\"", landing, StringComparison.Ordinal);
        Assert.Contains("<li><a href=\"/console/admin/users\">", await Admin.Client.GetStringAsync("/console/admin"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_created_through_the_form_exists_is_audited_and_signs_in_with_the_initial_password()
    {
        var created = await PostFormAsync(Admin, UsersPage, UsersPage, ("name", "new-hire"), ("role", "senior-analyst"), ("password", StrongPassword));
        Assert.Equal(HttpStatusCode.Found, created.StatusCode);
        Assert.Equal(UsersPage, created.Headers.Location?.OriginalString);

        var user = await Server.Identity.FindUserAsync("new-hire", CancellationToken.None);
        Assert.Equal(Role.SeniorAnalyst, user?.Role);
        Assert.Contains(await Server.AuditAsync(), a => a.Action == "user.add" && a.Actor == AdminFixture.AdminName && a.Target == "user/new-hire"
            && a.Details.Contains("\"role\":\"senior-analyst\"", StringComparison.Ordinal));
        Assert.Contains("<tr data-user=\"new-hire\">", await Admin.Client.GetStringAsync(UsersPage), StringComparison.Ordinal);

        var signIn = await PostFormAsync(Browser(Server), "/console/signin", "/console/signin", ("name", "new-hire"), ("password", StrongPassword));
        Assert.Equal("/console/queue", signIn.Headers.Location?.OriginalString);

        var again = await PostFormAsync(Admin, UsersPage, UsersPage, ("name", "new-hire"), ("role", "viewer"), ("password", StrongPassword));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("<p class=\"error\" role=\"alert\">a user named &#x27;new-hire&#x27; exists already</p>", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_weak_initial_password_is_refused_with_the_policy_s_reason_and_no_user_is_created()
    {
        var refused = await PostFormAsync(Admin, UsersPage, UsersPage, ("name", "weak-one"), ("role", "analyst"), ("password", "short pass"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Matches("<p class=\"error\" role=\"alert\">the password is refused: a password needs at least 15 characters[^<]*this one has 10", html);
        Assert.Null(await Server.Identity.FindUserAsync("weak-one", CancellationToken.None));
        Assert.DoesNotContain(await Server.AuditAsync(), a => a.Target == "user/weak-one");
    }

    [Fact]
    public async Task Disabling_a_user_ends_their_console_session_and_their_tokens_until_an_admin_enables_them()
    {
        var user = await Server.AddUserAsync("leaver", Role.Analyst);
        var token = await Server.IssueTokenAsync(user, Role.Analyst);
        var session = await SignInAsync("leaver");
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/console/queue")).StatusCode);
        using var api = Server.ClientWithToken(token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/auth/me")).StatusCode);

        var disabled = await PostFormAsync(Admin, UsersPage, $"{UsersPage}/leaver/disable");
        Assert.Equal(HttpStatusCode.Found, disabled.StatusCode);
        Assert.True((await Server.Identity.FindUserAsync("leaver", CancellationToken.None))!.Disabled);
        Assert.Equal("/console/signin", (await session.Client.GetAsync("/console/queue")).Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Contains(await Server.AuditAsync(), a => a.Action == "user.disable" && a.Actor == AdminFixture.AdminName && a.Target == "user/leaver");

        var enabled = await PostFormAsync(Admin, UsersPage, $"{UsersPage}/leaver/enable");
        Assert.Equal(HttpStatusCode.Found, enabled.StatusCode);
        Assert.False((await Server.Identity.FindUserAsync("leaver", CancellationToken.None))!.Disabled);
        Assert.Contains(await Server.AuditAsync(), a => a.Action == "user.enable" && a.Target == "user/leaver");
    }

    [Fact]
    public async Task An_admin_cannot_disable_themselves_and_the_page_says_why()
    {
        var refused = await PostFormAsync(Admin, UsersPage, $"{UsersPage}/{AdminFixture.AdminName}/disable");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("<p class=\"error\" role=\"alert\">an admin cannot disable themselves</p>", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False((await Server.Identity.FindUserAsync(AdminFixture.AdminName, CancellationToken.None))!.Disabled);
    }

    [Fact]
    public async Task Changing_a_role_and_resetting_MFA_through_the_forms_change_the_user_and_are_audited()
    {
        var user = await Server.AddUserAsync("mover", Role.Analyst);
        Assert.True(await Server.Identity.EnableTotpAsync(user.Id, Totp.GenerateSecret(), [RecoveryCodes.Hash("abcd-efgh-jkmn-pqrs")], DateTimeOffset.UtcNow, CancellationToken.None));

        var role = await PostFormAsync(Admin, UsersPage, $"{UsersPage}/mover/role", ("role", "lead"));
        Assert.Equal(HttpStatusCode.Found, role.StatusCode);
        Assert.Equal(Role.Lead, (await Server.Identity.FindUserAsync("mover", CancellationToken.None))!.Role);
        Assert.Contains(await Server.AuditAsync(), a => a.Action == "user.role" && a.Target == "user/mover" && a.Details.Contains("\"to\":\"lead\"", StringComparison.Ordinal));

        var bad = await PostFormAsync(Admin, UsersPage, $"{UsersPage}/mover/role", ("role", "overlord"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("role must be one of viewer, analyst, senior-analyst, lead, admin", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var reset = await PostFormAsync(Admin, UsersPage, $"{UsersPage}/mover/reset-mfa");
        Assert.Equal(HttpStatusCode.Found, reset.StatusCode);
        var after = (await Server.Identity.FindUserAsync("mover", CancellationToken.None))!;
        Assert.False(after.TotpEnabled);
        Assert.Equal(0, after.RecoveryCodesLeft);
        Assert.Contains(await Server.AuditAsync(), a => a.Action == "user.mfa.reset" && a.Actor == AdminFixture.AdminName && a.Target == "user/mover");
    }

    [Fact]
    public async Task A_token_created_through_the_form_is_shown_once_and_works_and_revoking_it_ends_it()
    {
        var created = await PostFormAsync(Admin, "/console/admin/tokens", "/console/admin/tokens", ("user", "viewer"), ("name", "grafana"), ("role", ""), ("expiresDays", "30"));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var token = NewToken().Match(await created.Content.ReadAsStringAsync());
        Assert.True(token.Success, "the answer shows no new token");
        using var api = Server.ClientWithToken(token.Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/auth/me")).StatusCode);
        var record = (await Server.Identity.ListTokensAsync(null, CancellationToken.None)).Single(t => t.Name == "grafana");
        Assert.Equal(("viewer", Role.Viewer), (record.UserName, record.Role));
        Assert.Contains(await Server.AuditAsync(), a => a.Action == "token.create" && a.Actor == AdminFixture.AdminName && a.Target == $"token/{record.Id}");

        var listed = await Admin.Client.GetStringAsync("/console/admin/tokens");
        Assert.Contains($"<tr data-token=\"{record.Id}\"><td>viewer</td><td>grafana</td><td>viewer</td>", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Groups[1].Value, listed, StringComparison.Ordinal);

        var revoked = await PostFormAsync(Admin, "/console/admin/tokens", $"/console/admin/tokens/{record.Id}/revoke");
        Assert.Equal(HttpStatusCode.Found, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Contains(await Server.AuditAsync(), a => a.Action == "token.revoke" && a.Target == $"token/{record.Id}");
        Assert.Contains($"revoked by {AdminFixture.AdminName}", await Admin.Client.GetStringAsync("/console/admin/tokens"), StringComparison.Ordinal);

        var twice = await PostFormAsync(Admin, "/console/admin/tokens", $"/console/admin/tokens/{record.Id}/revoke");
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("was revoked already", await twice.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_senior_analyst_adds_and_lifts_a_suppression_through_the_forms_and_both_are_audited()
    {
        var senior = await SignInAsync("senior-analyst");
        const string Page = "/console/admin/suppressions";
        var added = await PostFormAsync(senior, Page, Page, ("reason", "backup <job> on wks-admin"), ("ruleId", ""), ("entity", "host:wks-admin.corp.example"),
            ("fields", "src_ip=10.9.0.5\n"), ("expires", "7d"));
        Assert.Equal(HttpStatusCode.Found, added.StatusCode);
        Assert.Equal(Page, added.Headers.Location?.OriginalString);
        var suppression = (await Server.Store.ListSuppressionsAsync(includeRemoved: false, CancellationToken.None)).Single(s => s.Reason == "backup <job> on wks-admin");
        Assert.Equal("10.9.0.5", suppression.Fields["src_ip"]);
        Assert.Equal("senior-analyst", suppression.Author);
        Assert.Contains(await Server.AuditAsync(), a => a.Action == "suppression.add" && a.Actor == "senior-analyst" && a.Target == $"suppression/{suppression.Id}");
        var listed = await senior.Client.GetStringAsync(Page);
        Assert.Contains("<td>backup &lt;job&gt; on wks-admin</td>", listed, StringComparison.Ordinal);
        Assert.Contains($"action=\"/console/admin/suppressions/{suppression.Id}/lift\"", listed, StringComparison.Ordinal);

        var lifted = await PostFormAsync(senior, Page, $"{Page}/{suppression.Id}/lift");
        Assert.Equal(HttpStatusCode.Found, lifted.StatusCode);
        Assert.DoesNotContain(await Server.Store.ListSuppressionsAsync(includeRemoved: false, CancellationToken.None), s => s.Id == suppression.Id);
        Assert.Contains(await Server.AuditAsync(), a => a.Action == "suppression.remove" && a.Actor == "senior-analyst" && a.Target == $"suppression/{suppression.Id}");

        var empty = await PostFormAsync(senior, Page, Page, ("reason", "matches nothing in particular"));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("role=\"alert\"", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_analyst_sees_the_suppressions_but_is_refused_adding_one()
    {
        var analyst = await SignInAsync("analyst");
        const string Page = "/console/admin/suppressions";
        var html = await analyst.Client.GetStringAsync(Page);
        Assert.DoesNotContain("id=\"add-suppression\"", html, StringComparison.Ordinal);
        var before = (await Server.Store.ListSuppressionsAsync(includeRemoved: true, CancellationToken.None)).Count;
        var refused = await PostFormAsync(analyst, Page, Page, ("reason", "analyst tries"), ("entity", "host:wks-analyst.corp.example"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(before, (await Server.Store.ListSuppressionsAsync(includeRemoved: true, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_form_post_without_its_CSRF_token_is_refused_and_creates_nothing()
    {
        var missing = await Admin.Client.PostAsync(UsersPage, new FormUrlEncodedContent([new("name", "forged-user"), new("role", "admin"), new("password", StrongPassword)]));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("security token is missing", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await Server.Identity.FindUserAsync("forged-user", CancellationToken.None));
    }

    [Fact]
    public async Task The_rules_page_and_the_rules_API_show_each_rule_that_failed_to_load_with_file_line_and_reason()
    {
        var rules = Server.App.Services.GetRequiredService<RuleSet>();
        var failure = Assert.Single(rules.Errors, e => e.Source.File.EndsWith("broken_admin_rule.yml", StringComparison.Ordinal));

        var viewer = await SignInAsync("viewer");
        var html = await viewer.Client.GetStringAsync("/console/admin/rules");
        Assert.Contains(Encode(failure.Source.File), html, StringComparison.Ordinal);
        Assert.Contains($"<td>{Encode(failure.Reason)}</td>", html, StringComparison.Ordinal);
        Assert.Contains($"{rules.Rules.Count} rules loaded", html, StringComparison.Ordinal);
        // A viewer may read the rules, not change them.
        Assert.DoesNotContain("/status\"", html, StringComparison.Ordinal);

        var (response, body) = await Json.GetAsync(Server.Client(Role.Viewer), "/api/v1/rules");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var failed = body.GetProperty("failed").EnumerateArray().Single(f => f.GetProperty("file").GetString() == failure.Source.File);
        Assert.Equal(failure.Reason, failed.GetProperty("reason").GetString());
        Assert.Equal(failure.Source.Line, failed.GetProperty("line").GetInt32());
        Assert.Equal(rules.Errors.Count, body.GetProperty("failedToLoad").GetInt32());
    }

    [Fact]
    public async Task Disabling_and_enabling_a_rule_through_the_rules_page_is_audited_and_shown()
    {
        var rule = Server.App.Services.GetRequiredService<RuleSet>().Rules.First(r => r.GeneratesAlerts);
        const string Page = "/console/admin/rules";
        var action = $"{Page}/{Uri.EscapeDataString(rule.Meta.Id)}/status";

        var disabled = await PostFormAsync(Admin, Page, action, ("status", "disabled"), ("reason", "noisy after the proxy change"));
        Assert.Equal(HttpStatusCode.Found, disabled.StatusCode);
        Assert.Contains($"disabled by {AdminFixture.AdminName}: rule disabled: noisy after the proxy change", await Admin.Client.GetStringAsync(Page), StringComparison.Ordinal);
        Assert.Contains(await Server.AuditAsync(), a => a.Action == "rule.disable" && a.Target == $"rule/{rule.Meta.Id}");

        var enabled = await PostFormAsync(Admin, Page, action, ("status", "enabled"));
        Assert.Equal(HttpStatusCode.Found, enabled.StatusCode);
        Assert.Contains(await Server.AuditAsync(), a => a.Action == "rule.enable" && a.Target == $"rule/{rule.Meta.Id}");
        var (_, body) = await Json.GetAsync(Server.Client(Role.Viewer), $"/api/v1/rules/{rule.Meta.Id}");
        Assert.Equal("enabled", body.GetProperty("status").GetString());

        var unknown = await PostFormAsync(Admin, Page, $"{Page}/no-such-rule/status", ("status", "disabled"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no rule no-such-rule", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_feeds_page_lists_each_feed_with_indicators_last_refresh_and_last_error()
    {
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        await Server.Store.SaveFeedStatusAsync(new FeedStatus("urlhaus-admin", FeedKind.Csv, "https://urlhaus.example/csv?key=secret-key")
        {
            UpdatedAt = at,
            AttemptedAt = at.AddHours(1),
            LastError = "HTTP 500 from the feed",
            Indicators = 1234,
        }, CancellationToken.None);

        var viewer = await SignInAsync("viewer");
        var html = await viewer.Client.GetStringAsync("/console/admin/feeds");
        Assert.Contains("<tr data-feed=\"urlhaus-admin\"><th scope=\"row\">urlhaus-admin</th><td>csv</td><td class=\"num\">1234</td><td>2026-03-01 12:00:00Z</td><td>2026-03-01 13:00:00Z</td><td class=\"error-text\">HTTP 500 from the feed</td></tr>",
            html, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-key", html, StringComparison.Ordinal);
    }

    private Task<BrowserSession> SignInAsync(string name) => ConsoleForms.SignInAsync(Server, name);

    private static string Encode(string text) => HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All).Encode(text);

    [GeneratedRegex("<code id=\"new-token\">(vdt_[^<]+)</code>")]
    private static partial Regex NewToken();
}
