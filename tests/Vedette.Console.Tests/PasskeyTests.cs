using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Vedette.Identity;

namespace Vedette.Console.Tests;

/// <summary>
/// Passkeys end to end in Chromium, against its virtual authenticator (a CTAP2 platform authenticator that holds
/// discoverable credentials and verifies the user): the console's script, the API's WebAuthn endpoints and Fido2
/// verification all for real.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class PasskeyTests(ConsoleHarness harness)
{
    [Fact]
    public async Task A_user_registers_a_passkey_on_the_account_page_then_signs_in_with_it_without_a_password()
    {
        var name = await ConsoleUsers.AddAsync(harness.Server, "passkey", Role.Analyst);
        var page = await harness.Chromium.NewPageAsync(harness.Server.PasskeyAddress);
        var errors = PageErrors.Watch(page);
        try
        {
            var (cdp, authenticatorId) = await AddVirtualAuthenticatorAsync(page);

            await ConsoleUsers.SignInWithPasswordAsync(page, name);
            await page.WaitForURLAsync(new Regex("/console/queue$"));
            await page.GotoAsync("/console/account");
            Assert.Equal("No passkeys.", await page.Locator("section.account p.empty").InnerTextAsync());

            await page.Locator("#passkey-name").FillAsync("virtual laptop");
            await page.Locator("#passkey-add button[type=submit]").ClickAsync();
            // The script reloads the page once the server has the passkey.
            var row = page.Locator("table.passkeys tbody tr");
            await row.WaitForAsync();
            Assert.Equal("virtual laptop", await row.Locator("td").First.InnerTextAsync());
            Assert.Equal("never", await row.Locator("td").Nth(2).InnerTextAsync());
            var credentials = await cdp.SendAsync("WebAuthn.getCredentials", new Dictionary<string, object> { ["authenticatorId"] = authenticatorId });
            var credential = Assert.Single(credentials!.Value.GetProperty("credentials").EnumerateArray());
            Assert.True(credential.GetProperty("isResidentCredential").GetBoolean(), "the passkey is not discoverable: passwordless sign-in could not find it");

            await page.Locator("header .who button[type=submit]").ClickAsync();
            await page.WaitForURLAsync(new Regex("/console/signin$"));
            await page.Locator("#passkey-signin").ClickAsync();
            await page.WaitForURLAsync(new Regex("/console/queue$"));
            Assert.Contains(name, await page.Locator("header .who").InnerTextAsync(), StringComparison.Ordinal);

            await page.GotoAsync("/console/account");
            Assert.NotEqual("never", await page.Locator("table.passkeys tbody tr td").Nth(2).InnerTextAsync());
            var audit = await ConsoleUsers.AuditOfAsync(harness.Server, name);
            Assert.Contains(audit, a => a.Action == "user.mfa.passkey-add" && Detail(a.Details, "passkey") == "virtual laptop");
            Assert.Contains(audit, a => a.Action == "auth.signin" && Detail(a.Details, "method") == "passkey");
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task After_the_password_the_second_factor_page_signs_in_with_the_account_s_passkey()
    {
        var name = await ConsoleUsers.AddAsync(harness.Server, "second", Role.Analyst);
        var page = await harness.Chromium.NewPageAsync(harness.Server.PasskeyAddress);
        var errors = PageErrors.Watch(page);
        try
        {
            await AddVirtualAuthenticatorAsync(page);
            await ConsoleUsers.SignInWithPasswordAsync(page, name);
            await page.WaitForURLAsync(new Regex("/console/queue$"));
            await page.GotoAsync("/console/account");
            await page.Locator("#passkey-name").FillAsync("security key");
            await page.Locator("#passkey-add button[type=submit]").ClickAsync();
            await page.Locator("table.passkeys tbody tr").WaitForAsync();
            await page.Locator("header .who button[type=submit]").ClickAsync();
            await page.WaitForURLAsync(new Regex("/console/signin$"));

            // With a passkey enrolled the password alone no longer signs in: the second-factor page offers the passkey.
            await ConsoleUsers.SignInWithPasswordAsync(page, name);
            await page.WaitForURLAsync(new Regex("/console/signin/totp$"));
            await page.Locator("#passkey-second button[type=submit]").ClickAsync();
            await page.WaitForURLAsync(new Regex("/console/queue$"));
            Assert.Contains(name, await page.Locator("header .who").InnerTextAsync(), StringComparison.Ordinal);
            var audit = await ConsoleUsers.AuditOfAsync(harness.Server, name);
            Assert.Contains(audit, a => a.Action == "auth.signin" && Detail(a.Details, "method") == "password+passkey");
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static async Task<(ICDPSession Session, string Id)> AddVirtualAuthenticatorAsync(IPage page)
    {
        // The authenticator belongs to this CDP session: it stays for the sign-out and the sign-in after it.
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        var added = await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
        return (cdp, added!.Value.GetProperty("authenticatorId").GetString()!);
    }

    private static string? Detail(string details, string name)
    {
        using var document = JsonDocument.Parse(details);
        return document.RootElement.TryGetProperty(name, out var value) ? value.ToString() : null;
    }
}
