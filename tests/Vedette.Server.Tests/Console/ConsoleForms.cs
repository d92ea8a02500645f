using System.Net;
using System.Text.RegularExpressions;

namespace Vedette.Server.Tests.Console;

/// <summary>A browser without script: its cookies, and a client that hands redirects back rather than following them.</summary>
public sealed record BrowserSession(HttpClient Client, CookieContainer Cookies);

/// <summary>The console's forms as a browser without script submits them, shared by the console test classes.</summary>
internal static partial class ConsoleForms
{
    public static BrowserSession Browser(TestServer server)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, UseCookies = true, AllowAutoRedirect = false }) { BaseAddress = server.Address };
        return new BrowserSession(client, cookies);
    }

    /// <summary>Signs a password-only test user in through the form.</summary>
    public static async Task<BrowserSession> SignInAsync(TestServer server, string name)
    {
        var browser = Browser(server);
        var response = await PostFormAsync(browser, "/console/signin", "/console/signin", ("name", name), ("password", TestServer.Password));
        Assert.True(response.StatusCode == HttpStatusCode.Found && response.Headers.Location?.OriginalString == "/console/queue",
            $"sign-in of {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return browser;
    }

    /// <summary>Signs a user with TOTP enrolled in through the password form, then the code form.</summary>
    public static async Task<BrowserSession> SignInWithTotpAsync(TestServer server, string name, byte[] secret)
    {
        var browser = Browser(server);
        var password = await PostFormAsync(browser, "/console/signin", "/console/signin", ("name", name), ("password", TestServer.Password));
        Assert.Equal("/console/signin/totp", password.Headers.Location?.OriginalString);
        var code = await PostFormAsync(browser, "/console/signin/totp", "/console/signin/totp", ("code", new OtpNet.Totp(secret).ComputeTotp()));
        Assert.Equal(HttpStatusCode.Found, code.StatusCode);
        Assert.Equal("/console/queue", code.Headers.Location?.OriginalString);
        return browser;
    }

    /// <summary>As a browser: GET the page holding the form, then post the form with the page's CSRF token.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(BrowserSession browser, string formPage, string action, params (string Name, string Value)[] fields)
    {
        var token = await CsrfTokenAsync(browser, formPage);
        var values = new List<KeyValuePair<string, string>> { new("csrf", token) };
        values.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        return await browser.Client.PostAsync(action, new FormUrlEncodedContent(values));
    }

    public static async Task<string> CsrfTokenAsync(BrowserSession browser, string page)
    {
        var html = await browser.Client.GetStringAsync(page);
        var match = CsrfField().Match(html);
        Assert.True(match.Success, $"{page} has no csrf field");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"csrf\" value=\"([^\"]+)\">")]
    private static partial Regex CsrfField();
}
