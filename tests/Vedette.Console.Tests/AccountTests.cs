using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OtpNet;
using Vedette.Identity;

namespace Vedette.Console.Tests;

/// <summary>TOTP enrolment in the browser from the account page's QR code and key, then a sign-in with password and code.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AccountTests(ConsoleHarness harness)
{
    [Fact]
    public async Task A_user_enrols_an_authenticator_app_on_the_account_page_then_signs_in_with_password_and_code()
    {
        var name = await ConsoleUsers.AddAsync(harness.Server, "enrol", Role.Analyst);
        var page = await harness.Chromium.NewPageAsync(harness.Server.Address);
        var errors = PageErrors.Watch(page);
        try
        {
            await ConsoleUsers.SignInWithPasswordAsync(page, name);
            await page.WaitForURLAsync(new Regex("/console/queue$"));
            await page.Locator("header nav a[href='/console/account']").ClickAsync();
            await page.WaitForURLAsync(new Regex("/console/account$"));
            await page.Locator("#totp-begin").ClickAsync();

            var qr = page.Locator("svg.qr");
            await qr.WaitForAsync();
            var box = await qr.BoundingBoxAsync();
            Assert.True(box is { Width: > 100, Height: > 100 }, $"the QR code is drawn {box?.Width}x{box?.Height}");
            var secret = Base32Encoding.ToBytes(await page.Locator("#totp-secret").InnerTextAsync());
            await Screenshots.TakeAsync(page, "account.png");

            var totp = new OtpNet.Totp(secret);
            await page.Locator("#totp-code").FillAsync(totp.ComputeTotp(DateTime.UtcNow));
            await page.Locator("#totp-confirm").ClickAsync();
            var codes = page.Locator("#recovery-codes li");
            await codes.First.WaitForAsync();
            Assert.Equal(RecoveryCodes.Count, await codes.CountAsync());

            await page.Locator("a[href='/console/account']").ClickAsync();
            await page.WaitForURLAsync(new Regex("/console/account$"));
            Assert.Contains("yes", await page.Locator("section.account dl.facts dd").Nth(3).InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("#recovery-codes").CountAsync());

            await page.Locator("header .who button[type=submit]").ClickAsync();
            await page.WaitForURLAsync(new Regex("/console/signin$"));
            await ConsoleUsers.SignInWithPasswordAsync(page, name);
            await page.WaitForURLAsync(new Regex("/console/signin/totp$"));
            // The enrolment used this step's code: the next step's, which the server accepts as well, signs in.
            await page.Locator("input[name=code]").FillAsync(totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)));
            await page.Locator("form[action='/console/signin/totp'] button[type=submit]").ClickAsync();
            await page.WaitForURLAsync(new Regex("/console/queue$"));
            Assert.Contains(name, await page.Locator("header .who").InnerTextAsync(), StringComparison.Ordinal);
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
