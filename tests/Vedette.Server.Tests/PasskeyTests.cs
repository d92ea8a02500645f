using System.Net;
using System.Net.Http.Json;
using Vedette.Identity;

namespace Vedette.Server.Tests;

public sealed class PasskeyTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(options => options with
    {
        PasskeyDomain = "localhost",
        PasskeyOrigins = ["http://localhost:8080"],
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_registered_passkey_signs_in_without_a_password_and_as_second_factor_with_one()
    {
        await _server.AddUserAsync("pia", Role.Analyst);
        using var authenticator = new SoftwareAuthenticator("http://localhost:8080", "localhost");
        using var browser = _server.Browser();
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsJsonAsync("/api/v1/auth/signin", new { name = "pia", password = TestServer.Password })).StatusCode);

        var (_, creation) = await Json.PostAsync(browser, "/api/v1/auth/passkeys/register/begin", new { });
        var (registered, _) = await Json.PostAsync(browser, "/api/v1/auth/passkeys/register/complete", new { name = "laptop", response = authenticator.Create(creation) });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var (_, me) = await Json.GetAsync(browser, "/api/v1/auth/me");
        Assert.Equal(1, me.GetProperty("user").GetProperty("passkeys").GetInt32());

        // Passwordless: the authenticator verified the user.
        using var elsewhere = _server.Browser();
        var (_, begun) = await Json.PostAsync(elsewhere, "/api/v1/auth/passkeys/signin/begin", new { name = "pia" });
        var ceremony = begun.GetProperty("ceremony").GetString();
        var assertion = authenticator.Get(begun.GetProperty("options"));
        var (signedIn, result) = await Json.PostAsync(elsewhere, "/api/v1/auth/passkeys/signin/complete", new { ceremony, response = assertion });
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal("pia", result.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync("/api/v1/alerts")).StatusCode);
        // A ceremony is answered once: the same assertion again is refused.
        var (replayed, _) = await Json.PostAsync(elsewhere, "/api/v1/auth/passkeys/signin/complete", new { ceremony, response = assertion });
        Assert.Equal(HttpStatusCode.Conflict, replayed.StatusCode);

        // Without user verification the passkey is a second factor: the password must come with it.
        using var third = _server.Browser();
        var (_, again) = await Json.PostAsync(third, "/api/v1/auth/passkeys/signin/begin", new { name = "pia" });
        var (noPassword, _) = await Json.PostAsync(third, "/api/v1/auth/passkeys/signin/complete",
            new { ceremony = again.GetProperty("ceremony").GetString(), response = authenticator.Get(again.GetProperty("options"), verified: false) });
        Assert.Equal(HttpStatusCode.Unauthorized, noPassword.StatusCode);
        var (_, once) = await Json.PostAsync(third, "/api/v1/auth/passkeys/signin/begin", new { name = "pia" });
        var (withPassword, _) = await Json.PostAsync(third, "/api/v1/auth/passkeys/signin/complete",
            new { ceremony = once.GetProperty("ceremony").GetString(), response = authenticator.Get(once.GetProperty("options"), verified: false), password = TestServer.Password });
        Assert.Equal(HttpStatusCode.OK, withPassword.StatusCode);

        // With a passkey enrolled, a password alone no longer signs in.
        var passwordOnly = await _server.Browser().PostAsJsonAsync("/api/v1/auth/signin", new { name = "pia", password = TestServer.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, passwordOnly.StatusCode);
        Assert.Contains("passkey", (await Json.ReadAsync(passwordOnly)).GetProperty("methods").EnumerateArray().Select(m => m.GetString()));

        var audit = await _server.AuditAsync();
        Assert.Contains(audit, a => a.Action == "user.mfa.passkey-add" && a.Actor == "pia");
        Assert.Contains(audit, a => a.Action == "auth.signin" && a.Actor == "pia" && a.Details.Contains("\"method\":\"passkey\"", StringComparison.Ordinal));
    }
}
