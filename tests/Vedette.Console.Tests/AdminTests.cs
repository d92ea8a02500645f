using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OtpNet;
using Vedette.Identity;

namespace Vedette.Console.Tests;

/// <summary>An admin (who must have a second factor) signs in with password and TOTP and creates a user on the users page.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AdminTests(ConsoleHarness harness)
{
    private const string AdminName = "console-admin";
    private const string AdminPassword = "an admin passphrase for the console administration test";
    private const string CreatedName = "night-shift-analyst";

    [Fact]
    public async Task An_admin_signs_in_with_totp_creates_a_user_on_the_users_page_and_sees_it_listed()
    {
        var secret = await ConsoleUsers.AddWithTotpAsync(harness.Server, AdminName, Role.Admin, AdminPassword);
        var page = await harness.Chromium.NewPageAsync(harness.Server.Address);
        var errors = PageErrors.Watch(page);
        try
        {
            await ConsoleUsers.SignInWithPasswordAsync(page, AdminName, AdminPassword);
            await page.WaitForURLAsync(new Regex("/console/signin/totp$"));
            await page.Locator("input[name=code]").FillAsync(new OtpNet.Totp(secret).ComputeTotp(DateTime.UtcNow));
            await page.Locator("form[action='/console/signin/totp'] button[type=submit]").ClickAsync();
            await page.WaitForURLAsync(new Regex("/console/queue$"));

            await page.GetByRole(AriaRole.Link, new() { Name = "Administration", Exact = true }).First.ClickAsync();
            await page.WaitForURLAsync(new Regex("/console/admin$"));
            await page.Locator("ul.admin-sections a[href='/console/admin/users']").ClickAsync();
            await page.WaitForURLAsync(new Regex("/console/admin/users$"));

            await page.GetByLabel("Name", new() { Exact = true }).FillAsync(CreatedName);
            await page.Locator("#new-role").SelectOptionAsync("analyst");
            await page.GetByLabel("Initial password").FillAsync("lantern orbit seventeen plum tractor");
            await page.Locator("#create-user-submit").ClickAsync();
            await page.WaitForURLAsync(new Regex("/console/admin/users$"));

            var row = page.Locator($"tr[data-user='{CreatedName}']");
            Assert.Equal(CreatedName, await row.Locator("th").InnerTextAsync());
            Assert.Equal("analyst", await row.Locator("td").First.InnerTextAsync());
            Assert.Equal(0, await page.Locator("[role=alert]").CountAsync());
            await Screenshots.TakeAsync(page, "admin.png");
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
        var created = await ((IIdentityStore)harness.Server.Store).FindUserAsync(CreatedName, CancellationToken.None);
        Assert.Equal(Role.Analyst, created?.Role);
    }
}
