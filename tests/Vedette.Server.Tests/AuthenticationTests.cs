using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OtpNet;
using Vedette.Identity;

namespace Vedette.Server.Tests;

/// <summary>Console sign-in: cookies, session fixation, sign-out, TOTP with replay refusal, recovery codes, rehash, secrets.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static Task<HttpResponseMessage> SignInAsync(HttpClient browser, string name, string password = TestServer.Password, string? code = null) =>
        browser.PostAsJsonAsync("/api/v1/auth/signin", new { name, password, code });

    private static string SessionCookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("vedette_session=", StringComparison.Ordinal));

    private static string CookieValue(string setCookie) => setCookie.Split(';')[0]["vedette_session=".Length..];

    [Fact]
    public async Task Signing_in_sets_an_HttpOnly_SameSite_Strict_cookie_with_a_new_session_id_each_time()
    {
        await _server.AddUserAsync("ana", Role.Analyst);
        var cookies = new CookieContainer();
        // An attacker planted a session id in the victim's browser before sign-in: the server must never adopt it.
        cookies.Add(_server.Address, new Cookie("vedette_session", "planted-by-attacker"));
        using var browser = _server.Browser(cookies);

        var first = await SignInAsync(browser, "ana");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var setCookie = SessionCookie(first);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        var firstId = CookieValue(setCookie);
        Assert.NotEqual("planted-by-attacker", firstId);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/alerts")).StatusCode);

        var second = await SignInAsync(browser, "ana");
        var secondId = CookieValue(SessionCookie(second));
        Assert.NotEqual(firstId, secondId);
        using var stale = _server.Browser(WithSession(firstId));
        Assert.Equal(HttpStatusCode.Unauthorized, (await stale.GetAsync("/api/v1/alerts")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsync("/api/v1/auth/signout", null)).StatusCode);
        using var afterSignOut = _server.Browser(WithSession(secondId));
        Assert.Equal(HttpStatusCode.Unauthorized, (await afterSignOut.GetAsync("/api/v1/alerts")).StatusCode);
        var audit = await _server.AuditAsync();
        Assert.Equal(2, audit.Count(a => a.Action == "auth.signin" && a.Actor == "ana"));
        Assert.Contains(audit, a => a.Action == "auth.signout" && a.Actor == "ana");
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_every_session_of_the_user()
    {
        await _server.AddUserAsync("bea", Role.Viewer);
        using var laptop = _server.Browser();
        using var desktop = _server.Browser();
        await SignInAsync(laptop, "bea");
        await SignInAsync(desktop, "bea");

        var response = await laptop.PostAsync("/api/v1/auth/signout-everywhere", null);

        Assert.Equal(2, (await Json.ReadAsync(response)).GetProperty("sessionsEnded").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await desktop.GetAsync("/api/v1/alerts")).StatusCode);
    }

    [Fact]
    public async Task A_lead_without_MFA_may_only_enrol_TOTP_whose_codes_then_work_once_each_as_do_recovery_codes()
    {
        await _server.AddUserAsync("lee", Role.Lead);
        using var browser = _server.Browser();
        var signIn = await SignInAsync(browser, "lee");
        Assert.True((await Json.ReadAsync(signIn)).GetProperty("mfaEnrolmentRequired").GetBoolean());
        var enrolOnly = await browser.GetAsync("/api/v1/alerts");
        Assert.Equal(HttpStatusCode.Forbidden, enrolOnly.StatusCode);
        Assert.Contains("second factor", (await Json.ReadAsync(enrolOnly)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var enrolCookie = CookieValue(SessionCookie(signIn));

        var (_, begun) = await Json.PostAsync(browser, "/api/v1/auth/totp/begin", new { });
        var secret = Base32Encoding.ToBytes(begun.GetProperty("secret").GetString()!);
        Assert.StartsWith("otpauth://totp/Vedette:lee?", begun.GetProperty("uri").GetString(), StringComparison.Ordinal);
        var code = new OtpNet.Totp(secret).ComputeTotp();
        var (confirmed, confirmation) = await Json.PostAsync(browser, "/api/v1/auth/totp/confirm", new { code });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var recovery = confirmation.GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(RecoveryCodes.Count, recovery.Count);

        // Enrolment changed what the session may do: it got a new id, and the enrol-only one is over.
        Assert.NotEqual(enrolCookie, CookieValue(SessionCookie(confirmed)));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/alerts")).StatusCode);
        using var old = _server.Browser(WithSession(enrolCookie));
        Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync("/api/v1/auth/me")).StatusCode);

        using var other = _server.Browser();
        var needsCode = await SignInAsync(other, "lee");
        Assert.Equal(HttpStatusCode.Unauthorized, needsCode.StatusCode);
        Assert.True((await Json.ReadAsync(needsCode)).GetProperty("mfaRequired").GetBoolean());
        // The code used to confirm enrolment belongs to a step already used: replaying it within its time step fails.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(other, "lee", code: code)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(other, "lee", code: recovery[0])).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(other, "lee", code: recovery[0])).StatusCode);

        var audit = await _server.AuditAsync();
        Assert.Contains(audit, a => a.Action == "user.mfa.totp-enrol" && a.Actor == "lee");
        Assert.Contains(audit, a => a.Action == "auth.signin.failure" && a.Actor == "lee" && a.Details.Contains("totp-replay", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_password_hashed_with_older_parameters_is_rehashed_at_sign_in()
    {
        var weak = new PasswordHasher(new Argon2Parameters(1, 8 * 1024));
        var now = DateTimeOffset.UtcNow;
        await _server.Identity.AddUserAsync(new NewUser(Guid.CreateVersion7(), "old", Role.Viewer, weak.Hash(TestServer.Password), now), CancellationToken.None);
        var user = await _server.Identity.FindUserAsync("old", CancellationToken.None);

        using var browser = _server.Browser();
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(browser, "old")).StatusCode);

        var credentials = await _server.Identity.GetCredentialsAsync(user!.Id, CancellationToken.None);
        Assert.Contains("m=19456,t=2", credentials!.PasswordHash, StringComparison.Ordinal);
        Assert.False(new PasswordHasher().NeedsRehash(credentials.PasswordHash!));
    }

    [Fact]
    public async Task No_answer_carries_a_password_hash_token_hash_session_id_hash_or_TOTP_secret_and_no_log_line_a_secret()
    {
        var ana = await _server.AddUserAsync("cara", Role.Analyst);
        using var browser = _server.Browser();
        var signIn = await SignInAsync(browser, "cara");
        var session = CookieValue(SessionCookie(signIn));
        var (_, begun) = await Json.PostAsync(browser, "/api/v1/auth/totp/begin", new { });
        var secret = begun.GetProperty("secret").GetString()!;
        var (_, confirmation) = await Json.PostAsync(browser, "/api/v1/auth/totp/confirm", new { code = new OtpNet.Totp(Base32Encoding.ToBytes(secret)).ComputeTotp() });
        var recovery = confirmation.GetProperty("recoveryCodes")[0].GetString()!;
        var (_, created) = await Json.PostAsync(_server.Client(Role.Admin), "/api/v1/tokens", new { user = "cara", name = "shipper" });
        var token = created.GetProperty("token").GetString()!;
        var credentials = await _server.Identity.GetCredentialsAsync(ana.Id, CancellationToken.None);

        var admin = _server.Client(Role.Admin);
        var bodies = new List<string>();
        foreach (var path in new[] { "/api/v1/users", "/api/v1/tokens?user=*", "/api/v1/audit?limit=1000", "/api/v1/auth/me" })
        {
            bodies.Add(await (await admin.GetAsync(path)).Content.ReadAsStringAsync());
        }
        bodies.Add(await (await _server.ClientWithToken(token).GetAsync("/api/v1/auth/me")).Content.ReadAsStringAsync());
        bodies.Add(await (await _server.ClientWithToken(token).GetAsync("/api/v1/tokens")).Content.ReadAsStringAsync());

        string[] secrets = [credentials!.PasswordHash!, ApiTokens.Hash(token), token, Sessions.Hash(session), session, secret, Convert.ToHexString(credentials.TotpSecret!), RecoveryCodes.Hash(recovery), credentials.SecurityStamp];
        foreach (var body in bodies)
        {
            foreach (var value in secrets)
            {
                Assert.DoesNotContain(value, body, StringComparison.OrdinalIgnoreCase);
            }
        }
        var logs = string.Join('\n', _server.Logs.Messages);
        foreach (var value in secrets.Append(TestServer.Password).Append(recovery))
        {
            Assert.DoesNotContain(value, logs, StringComparison.OrdinalIgnoreCase);
        }
    }

    private CookieContainer WithSession(string id)
    {
        var cookies = new CookieContainer();
        cookies.Add(_server.Address, new Cookie("vedette_session", id));
        return cookies;
    }
}
