using Microsoft.AspNetCore.Http;

namespace Vedette.Server.Auth;

/// <summary>
/// The console's session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page can make the
/// browser send it), and over TLS Secure with the __Host- prefix (bound to this host, path /, never sent in clear).
/// </summary>
internal static class SessionCookie
{
    public const string PlainName = "vedette_session";
    public const string SecureName = "__Host-vedette_session";

    public static string? Read(HttpRequest request) =>
        request.Cookies.TryGetValue(SecureName, out var secure) && !string.IsNullOrEmpty(secure) ? secure
        : request.Cookies.TryGetValue(PlainName, out var plain) && !string.IsNullOrEmpty(plain) ? plain
        : null;

    public static void Write(HttpResponse response, string token, DateTimeOffset expires)
    {
        var secure = response.HttpContext.Request.IsHttps;
        response.Cookies.Append(secure ? SecureName : PlainName, token, Options(secure, expires));
    }

    public static void Clear(HttpResponse response)
    {
        var secure = response.HttpContext.Request.IsHttps;
        response.Cookies.Delete(secure ? SecureName : PlainName, Options(secure, expires: null));
    }

    private static CookieOptions Options(bool secure, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = secure,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
