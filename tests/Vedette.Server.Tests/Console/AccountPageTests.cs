using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using OtpNet;
using QRCoder;
using Vedette.Identity;

namespace Vedette.Server.Tests.Console;

/// <summary>A server without incidents: the account pages need users only.</summary>
public sealed class AccountFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// The console's account page through real HTTP, as a browser without script: every form is submitted from the page
/// the server last sent, with that page's CSRF token, and redirects are looked at rather than followed.
/// </summary>
public sealed partial class AccountPageTests(AccountFixture fixture) : IClassFixture<AccountFixture>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task A_user_enrols_TOTP_through_the_forms_from_the_QR_code_and_sees_the_recovery_codes_once()
    {
        var user = await Server.AddUserAsync("tara", Role.Analyst);
        using var browser = await SignedInAsync("tara");

        Assert.Equal(HttpStatusCode.OK, (await browser.OpenAsync("/console/account")).StatusCode);
        Assert.Contains("<dt>Enrolled</dt><dd>no</dd>", browser.Page, StringComparison.Ordinal);

        var begun = await browser.SubmitAsync("/console/account/totp");
        Assert.Equal(HttpStatusCode.OK, begun.StatusCode);
        var secret = SecretShown().Match(browser.Page).Groups[1].Value;
        Assert.Equal(32, secret.Length);
        // The QR code's dark modules are exactly those of the otpauth URI carrying the secret shown beside it.
        var uri = new Vedette.Identity.Totp(TimeProvider.System).ProvisioningUri(Base32Encoding.ToBytes(secret), "Vedette", "tara");
        Assert.Equal(Modules(uri), DrawnModules(browser.Page));
        Assert.DoesNotContain(" style=", browser.Page, StringComparison.OrdinalIgnoreCase);

        var wrong = await browser.SubmitAsync("/console/account/totp/confirm", ("code", WrongCode(secret)));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("does not match", browser.Page, StringComparison.Ordinal);
        Assert.False((await Server.Identity.GetUserAsync(user.Id, CancellationToken.None))!.TotpEnabled);

        var confirmed = await browser.SubmitAsync("/console/account/totp/confirm", ("code", new OtpNet.Totp(Base32Encoding.ToBytes(secret)).ComputeTotp()));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var codes = RecoveryCodeShown().Matches(browser.Page).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(RecoveryCodes.Count, codes.Count);
        var enrolled = (await Server.Identity.GetUserAsync(user.Id, CancellationToken.None))!;
        Assert.True(enrolled.TotpEnabled);
        Assert.Equal(RecoveryCodes.Count, enrolled.RecoveryCodesLeft);
        // The codes shown are the ones stored (as hashes): one of them is used up here.
        Assert.True(await Server.Identity.TryUseRecoveryCodeAsync(user.Id, RecoveryCodes.Hash(codes[0]), DateTimeOffset.UtcNow, CancellationToken.None));

        // The enrolment replaced this browser's session; the account page shows the factor and never the codes again.
        Assert.Equal(HttpStatusCode.OK, (await browser.OpenAsync("/console/account")).StatusCode);
        Assert.Contains("<dt>Enrolled</dt><dd>yes</dd><dt>Recovery codes left</dt><dd>9</dd>", browser.Page, StringComparison.Ordinal);
        Assert.All(codes, code => Assert.DoesNotContain(code, browser.Page, StringComparison.Ordinal));
        Assert.DoesNotContain("/console/account/totp\"", browser.Page, StringComparison.Ordinal);
        Assert.Contains(await Server.AuditAsync(), a => a.Action == "user.mfa.totp-enrol" && a.Actor == "tara");
    }

    [Fact]
    public async Task Account_form_posts_without_their_CSRF_token_are_refused_and_change_nothing()
    {
        await Server.AddUserAsync("cole", Role.Analyst);
        using var browser = await SignedInAsync("cole");
        await browser.OpenAsync("/console/account");
        var auditBefore = (await Server.AuditAsync()).Count;
        foreach (var action in new[] { "/console/account/totp", "/console/account/totp/confirm", "/console/account/passkeys/remove", "/console/account/signout-everywhere" })
        {
            var missing = await browser.Client.PostAsync(action, new FormUrlEncodedContent([new("code", "123456")]));
            Assert.True(missing.StatusCode == HttpStatusCode.BadRequest, $"{action} without a token: {(int)missing.StatusCode}");
            var forged = await browser.Client.PostAsync(action, new FormUrlEncodedContent([new("csrf", "CfDJ8forged")]));
            Assert.True(forged.StatusCode == HttpStatusCode.BadRequest, $"{action} with a forged token: {(int)forged.StatusCode}");
        }
        Assert.Equal(HttpStatusCode.OK, (await browser.OpenAsync("/console/queue")).StatusCode);
        Assert.DoesNotContain((await Server.AuditAsync()).Skip(auditBefore), a => a.Actor == "cole");
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_every_session_of_the_user_and_no_one_else_s()
    {
        await Server.AddUserAsync("sol", Role.Analyst);
        await Server.AddUserAsync("nia", Role.Analyst);
        using var laptop = await SignedInAsync("sol");
        using var phone = await SignedInAsync("sol");
        using var colleague = await SignedInAsync("nia");

        await laptop.OpenAsync("/console/account");
        var ended = await laptop.SubmitAsync("/console/account/signout-everywhere");
        Assert.Equal(HttpStatusCode.Found, ended.StatusCode);
        Assert.Equal("/console/signin", ended.Headers.Location?.OriginalString);

        foreach (var browser in new[] { laptop, phone })
        {
            var queue = await browser.OpenAsync("/console/queue");
            Assert.Equal(HttpStatusCode.Found, queue.StatusCode);
            Assert.Equal("/console/signin", queue.Headers.Location?.OriginalString);
        }
        Assert.Equal(HttpStatusCode.OK, (await colleague.OpenAsync("/console/queue")).StatusCode);
        var entry = Assert.Single(await Server.AuditAsync(), a => a.Action == "auth.signout-everywhere" && a.Actor == "sol");
        Assert.Equal("2", Detail(entry.Details, "sessions"));
    }

    [Fact]
    public async Task A_lead_without_a_second_factor_lands_on_the_account_page_and_other_pages_point_there_until_enrolled()
    {
        await Server.AddUserAsync("lena", Role.Lead);
        using var browser = new ConsoleBrowser(Server.Address);
        await browser.OpenAsync("/console/signin");
        var signedIn = await browser.SubmitAsync("/console/signin", ("name", "lena"), ("password", TestServer.Password));
        Assert.Equal(HttpStatusCode.Found, signedIn.StatusCode);
        Assert.Equal("/console/account", signedIn.Headers.Location?.OriginalString);

        Assert.Equal(HttpStatusCode.OK, (await browser.OpenAsync("/console/account")).StatusCode);
        Assert.Contains("Your role (lead) requires a second factor", browser.Page, StringComparison.Ordinal);
        var queue = await browser.OpenAsync("/console/queue");
        Assert.Equal(HttpStatusCode.Forbidden, queue.StatusCode);
        Assert.Contains("<a href=\"/console/account\">", browser.Page, StringComparison.Ordinal);

        await browser.OpenAsync("/console/account");
        await browser.SubmitAsync("/console/account/totp");
        var secret = Base32Encoding.ToBytes(SecretShown().Match(browser.Page).Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, (await browser.SubmitAsync("/console/account/totp/confirm", ("code", new OtpNet.Totp(secret).ComputeTotp()))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.OpenAsync("/console/queue")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.OpenAsync("/console/account")).StatusCode);
        Assert.DoesNotContain("requires a second factor", browser.Page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_passkey_is_offered_as_second_factor_after_the_password_and_only_the_user_s_own_passkey_passes()
    {
        await Server.AddUserAsync("pete", Role.Analyst);
        await Server.AddUserAsync("quinn", Role.Analyst);
        using var petes = new SoftwareAuthenticator("http://localhost:8080", "localhost");
        using var quinns = new SoftwareAuthenticator("http://localhost:8080", "localhost");
        await RegisterAsync("pete", petes, "laptop");
        await RegisterAsync("quinn", quinns, "phone");

        using var browser = new ConsoleBrowser(Server.Address);
        await browser.OpenAsync("/console/signin");
        var password = await browser.SubmitAsync("/console/signin", ("name", "pete"), ("password", TestServer.Password));
        Assert.Equal("/console/signin/totp", password.Headers.Location?.OriginalString);
        await browser.OpenAsync("/console/signin/totp");
        Assert.Contains("id=\"passkey-second\"", browser.Page, StringComparison.Ordinal);
        Assert.Contains("src=\"/console/assets/passkey.js\"", browser.Page, StringComparison.Ordinal);
        // Pete has no TOTP: no code form to fill in vain.
        Assert.DoesNotContain("name=\"code\"", browser.Page, StringComparison.Ordinal);

        var foreign = await browser.PostPasskeyAsync(quinns.Get(await browser.BeginPasskeyAsync()));
        Assert.Equal(HttpStatusCode.Unauthorized, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await browser.OpenAsync("/console/queue")).StatusCode);

        // The password was the first factor: a passkey without user verification completes the sign-in.
        await browser.OpenAsync("/console/signin/totp");
        var options = await browser.BeginPasskeyAsync();
        Assert.Equal(1, options.GetProperty("allowCredentials").GetArrayLength());
        var answer = await browser.PostPasskeyAsync(petes.Get(options, verified: false));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("/console/queue", (await Json.ReadAsync(answer)).GetProperty("location").GetString());
        Assert.Equal(HttpStatusCode.OK, (await browser.OpenAsync("/console/queue")).StatusCode);
        Assert.Contains("pete (analyst)", browser.Page, StringComparison.Ordinal);

        var audit = await Server.AuditAsync();
        Assert.Contains(audit, a => a.Action == "auth.signin" && a.Actor == "pete" && Detail(a.Details, "method") == "password+passkey");
        Assert.Contains(audit, a => a.Action == "auth.signin.failure" && a.Actor == "pete" && a.Details.Contains("bad-passkey", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_passkey_listed_on_the_account_page_is_removed_through_its_form_and_the_removal_audited()
    {
        await Server.AddUserAsync("rhea", Role.Analyst);
        using var authenticator = new SoftwareAuthenticator("http://localhost:8080", "localhost");
        await RegisterAsync("rhea", authenticator, "old <b>key</b>");
        using var browser = new ConsoleBrowser(Server.Address);
        await browser.OpenAsync("/console/signin");
        await browser.SubmitAsync("/console/signin", ("name", "rhea"), ("password", TestServer.Password));
        await browser.OpenAsync("/console/signin/totp");
        Assert.Equal(HttpStatusCode.OK, (await browser.PostPasskeyAsync(authenticator.Get(await browser.BeginPasskeyAsync()))).StatusCode);

        await browser.OpenAsync("/console/account");
        Assert.Contains("<td>old &lt;b&gt;key&lt;/b&gt;</td>", browser.Page, StringComparison.Ordinal);
        var passkey = PasskeyField().Match(browser.Page).Groups[1].Value;
        var removed = await browser.SubmitAsync("/console/account/passkeys/remove", ("passkey", passkey));
        Assert.Equal(HttpStatusCode.Found, removed.StatusCode);
        Assert.Equal("/console/account", removed.Headers.Location?.OriginalString);

        // The removal changed the user's security stamp; this browser was given a new session and goes on.
        Assert.Equal(HttpStatusCode.OK, (await browser.OpenAsync("/console/account")).StatusCode);
        Assert.Contains("No passkeys.", browser.Page, StringComparison.Ordinal);
        var user = (await Server.Identity.FindUserAsync("rhea", CancellationToken.None))!;
        Assert.Equal(0, user.PasskeyCount);
        Assert.Contains(await Server.AuditAsync(), a => a.Action == "user.mfa.passkey-remove" && a.Actor == "rhea" && Detail(a.Details, "passkey") == "old <b>key</b>");
    }

    /// <summary>Registers a passkey through the API with a session of the user's own, as passkey.js does.</summary>
    private async Task RegisterAsync(string name, SoftwareAuthenticator authenticator, string passkeyName)
    {
        using var client = Server.Browser();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/signin", new { name, password = TestServer.Password })).StatusCode);
        var (_, creation) = await Json.PostAsync(client, "/api/v1/auth/passkeys/register/begin", new { });
        var (registered, body) = await Json.PostAsync(client, "/api/v1/auth/passkeys/register/complete", new { name = passkeyName, response = authenticator.Create(creation) });
        Assert.True(registered.StatusCode == HttpStatusCode.Created, body.ToString());
    }

    private async Task<ConsoleBrowser> SignedInAsync(string name)
    {
        var browser = new ConsoleBrowser(Server.Address);
        await browser.OpenAsync("/console/signin");
        var response = await browser.SubmitAsync("/console/signin", ("name", name), ("password", TestServer.Password));
        Assert.True(response.Headers.Location?.OriginalString == "/console/queue", $"sign-in of {name}: {(int)response.StatusCode} {browser.Page}");
        return browser;
    }

    private static string? Detail(string details, string name)
    {
        using var document = JsonDocument.Parse(details);
        return document.RootElement.TryGetProperty(name, out var value) ? value.ToString() : null;
    }

    /// <summary>A well-formed code that none of the steps the server accepts (now and one either side) gives.</summary>
    private static string WrongCode(string secret)
    {
        var totp = new OtpNet.Totp(Base32Encoding.ToBytes(secret));
        var near = Enumerable.Range(-2, 5).Select(offset => totp.ComputeTotp(DateTime.UtcNow.AddSeconds(offset * 30))).ToHashSet();
        return Enumerable.Range(0, 1_000_000).Select(n => n.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).First(code => !near.Contains(code));
    }

    private static HashSet<(int X, int Y)> Modules(string text)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var dark = new HashSet<(int, int)>();
        for (var y = 0; y < data.ModuleMatrix.Count; y++)
        {
            for (var x = 0; x < data.ModuleMatrix[y].Length; x++)
            {
                if (data.ModuleMatrix[y][x])
                {
                    dark.Add((x, y));
                }
            }
        }
        return dark;
    }

    /// <summary>The modules the page's single SVG path covers, read back from its horizontal runs.</summary>
    private static HashSet<(int X, int Y)> DrawnModules(string html)
    {
        var svg = Assert.Single(QrSvg().Matches(html));
        var dark = new HashSet<(int, int)>();
        foreach (Match run in PathRun().Matches(svg.Groups[1].Value))
        {
            var (x, y, length) = (int.Parse(run.Groups[1].Value), int.Parse(run.Groups[2].Value), int.Parse(run.Groups[3].Value));
            for (var i = 0; i < length; i++)
            {
                Assert.True(dark.Add((x + i, y)), $"module {x + i},{y} drawn twice");
            }
        }
        return dark;
    }

    [GeneratedRegex("<code id=\"totp-secret\" class=\"secret\">([A-Z2-7]+)</code>")]
    private static partial Regex SecretShown();

    [GeneratedRegex("<li><code>([a-z0-9-]+)</code></li>")]
    private static partial Regex RecoveryCodeShown();

    [GeneratedRegex("<svg class=\"qr\"[^>]*><path fill=\"#000\" d=\"([^\"]+)\"></path></svg>")]
    private static partial Regex QrSvg();

    [GeneratedRegex("M(\\d+) (\\d+)h(\\d+)v1h-\\3z")]
    private static partial Regex PathRun();

    [GeneratedRegex("<input type=\"hidden\" name=\"passkey\" value=\"([^\"]+)\">")]
    private static partial Regex PasskeyField();
}

/// <summary>
/// A browser without script: keeps cookies and the last page it was sent, and submits forms with that page's CSRF
/// token. Redirects come back as they are. Passkey steps post what passkey.js posts.
/// </summary>
internal sealed partial class ConsoleBrowser(Uri address) : IDisposable
{
    public HttpClient Client { get; } = new(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false })
    {
        BaseAddress = address,
    };

    public string Page { get; private set; } = "";

    public async Task<HttpResponseMessage> OpenAsync(string path) => await KeepAsync(await Client.GetAsync(path));

    public async Task<HttpResponseMessage> SubmitAsync(string action, params (string Name, string Value)[] fields) =>
        await KeepAsync(await Client.PostAsync(action, Form(fields)));

    /// <summary>The second-factor page's passkey step one: the assertion options.</summary>
    public async Task<JsonElement> BeginPasskeyAsync()
    {
        var response = await Client.PostAsync("/console/signin/passkey/begin", Form([]));
        var body = await Json.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body;
    }

    public async Task<HttpResponseMessage> PostPasskeyAsync(object assertion) =>
        await Client.PostAsync("/console/signin/passkey", Form([("response", JsonSerializer.Serialize(assertion))]));

    private FormUrlEncodedContent Form((string Name, string Value)[] fields)
    {
        var token = CsrfField().Match(Page);
        Assert.True(token.Success, "the last page has no form token");
        return new FormUrlEncodedContent([new("csrf", WebUtility.HtmlDecode(token.Groups[1].Value)), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);
    }

    private async Task<HttpResponseMessage> KeepAsync(HttpResponseMessage response)
    {
        Page = await response.Content.ReadAsStringAsync();
        return response;
    }

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
