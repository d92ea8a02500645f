using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OtpNet;
using Vedette.Identity;

namespace Vedette.Console.Tests;

/// <summary>A user with an enrolled authenticator signs in with password then TOTP code; a wrong code is refused first.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class TotpSignInTests(ConsoleHarness harness)
{
    private const string UserName = "mfa-analyst";
    private const string Password = "a second long passphrase for the totp console test";

    [Fact]
    public async Task A_user_with_totp_is_refused_a_wrong_code_then_signs_in_with_the_current_one()
    {
        var secret = await ConsoleUsers.AddWithTotpAsync(harness.Server, UserName, Role.Analyst, Password);
        var page = await harness.Chromium.NewPageAsync(harness.Server.Address);
        try
        {
            await ConsoleUsers.SignInWithPasswordAsync(page, UserName, Password);
            await page.WaitForURLAsync(new Regex("/console/signin/totp$"));

            // A well-formed code that matches none of the steps the server accepts (now and one either side).
            var totp = new OtpNet.Totp(secret, step: 30, mode: OtpHashMode.Sha1, totpSize: 6);
            var accepted = new HashSet<string>(StringComparer.Ordinal);
            for (var offset = -2; offset <= 2; offset++)
            {
                accepted.Add(totp.ComputeTotp(DateTime.UtcNow.AddSeconds(offset * 30)));
            }
            var wrong = Enumerable.Range(0, 1_000_000).Select(n => n.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).First(code => !accepted.Contains(code));

            await page.Locator("input[name=code]").FillAsync(wrong);
            var refused = await page.RunAndWaitForResponseAsync(
                () => page.Locator("form[action='/console/signin/totp'] button[type=submit]").ClickAsync(),
                response => response.Request.Method == "POST" && response.Url.EndsWith("/console/signin/totp", StringComparison.Ordinal));
            Assert.Equal(401, refused.Status);
            Assert.EndsWith("/console/signin/totp", page.Url, StringComparison.Ordinal);

            await page.Locator("input[name=code]").FillAsync(totp.ComputeTotp(DateTime.UtcNow));
            await page.Locator("form[action='/console/signin/totp'] button[type=submit]").ClickAsync();
            await page.WaitForURLAsync(new Regex("/console/queue$"));
            Assert.Contains(UserName, await page.Locator("header .who").InnerTextAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
