using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Vedette.Server.Console;

/// <summary>
/// The console's browser-facing protections: security headers on every console answer, and a CSRF check (ASP.NET Core
/// antiforgery: a cookie token plus the form field <see cref="FormField"/>) in front of every state-changing form post.
/// </summary>
internal static class ConsoleSecurity
{
    public const string FormField = "csrf";
    public const string CookieName = "vedette_csrf";

    /// <summary>No inline script or style anywhere: scripts, styles and images come from this server only.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; " +
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    public static bool IsConsole(PathString path) =>
        path == "/" || path.StartsWithSegments("/console", StringComparison.OrdinalIgnoreCase);

    public static void AddConsoleAntiforgery(this IServiceCollection services) =>
        services.AddAntiforgery(options =>
        {
            options.FormFieldName = FormField;
            options.HeaderName = null;
            options.Cookie.Name = CookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.Path = "/console";
        });

    /// <summary>Headers for every answer; the console's pages get the CSP and its companions.</summary>
    public static void UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            if (context.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            }
            if (IsConsole(context.Request.Path))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
            }
            await next(context);
        });

    /// <summary>The form token for a page about to render its forms (sets the cookie token when the browser has none).</summary>
    public static string FormToken(HttpContext context) =>
        context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context).RequestToken!;

    /// <summary>Endpoint filter of every console POST: without a valid token nothing runs (400).</summary>
    public static async ValueTask<object?> RequireFormTokenAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        bool valid;
        try
        {
            valid = context.Request.HasFormContentType
                && await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context);
        }
        catch (Exception ex) when (ex is AntiforgeryValidationException or InvalidDataException or BadHttpRequestException)
        {
            valid = false;
        }
        if (!valid)
        {
            return ConsolePages.Message(StatusCodes.Status400BadRequest, "Form refused",
                "This form's security token is missing or no longer valid (it expires when the server restarts). Go back, reload the page and try again.");
        }
        return await next(invocation);
    }
}
