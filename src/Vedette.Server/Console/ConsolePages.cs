using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Vedette.Identity;
using Vedette.Server.Auth;

namespace Vedette.Server.Console;

/// <summary>The page frame every console page shares, and the answers that carry a page.</summary>
internal static class ConsolePages
{
    /// <summary>Writes the whole document around <paramref name="body"/>; <paramref name="caller"/> null for the sign-in pages.</summary>
    public static string Layout(string title, Caller? caller, string? formToken, Action<HtmlWriter> body)
    {
        var html = new HtmlWriter();
        html.M("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .M("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .M("<title>").T(title).M(" · Vedette</title>")
            .M("<link rel=\"icon\" href=\"/console/assets/favicon.svg\" type=\"image/svg+xml\">")
            .M("<link rel=\"stylesheet\" href=\"/console/assets/console.css\">")
            .M("<script src=\"/console/assets/console.js\" defer></script>")
            .M("</head><body><a class=\"skip\" href=\"#main\">Skip to content</a><header class=\"top\"><a class=\"brand\" href=\"/console/queue\">Vedette</a>");
        if (caller is not null)
        {
            html.M("<nav aria-label=\"Main\"><a href=\"/console/queue\">Queue</a><a href=\"/console/dashboard\">Dashboard</a>");
            if (Admin.AdminFrame.May(caller, "GET", "/console/audit"))
            {
                html.M("<a href=\"/console/audit\">Audit</a>");
            }
            html.M("<a href=\"/console/admin\">Administration</a><a href=\"/console/account\">Account</a></nav>")
                .M("<div class=\"who\"><span>").T(caller.Name).M(" (").T(caller.Role.ToName()).M(")</span>")
                .M("<form method=\"post\" action=\"/console/signout\">");
            Token(html, formToken);
            html.M("<button type=\"submit\">Sign out</button></form></div>");
        }
        html.M("</header><main id=\"main\">");
        body(html);
        html.M("</main></body></html>");
        return html.ToString();
    }

    /// <summary>The hidden CSRF field every form carries.</summary>
    public static void Token(HtmlWriter html, string? formToken) =>
        html.M("<input type=\"hidden\"").A("name", ConsoleSecurity.FormField).A("value", formToken).M(">");

    /// <summary>The reason a form was refused, announced to screen readers; nothing when there is none.</summary>
    public static void Error(HtmlWriter html, string? error)
    {
        if (error is not null)
        {
            html.M("<p class=\"error\" role=\"alert\">").T(error).M("</p>");
        }
    }

    public static IResult Page(string html, int status = StatusCodes.Status200OK) => new HtmlResult(status, html);

    /// <summary>A short page with a title and one sentence: refusals, missing items.</summary>
    public static IResult Message(int status, string title, string detail) =>
        Page(Layout(title, null, null, html => html.El("h1", title).El("p", detail).M("<p><a href=\"/console/queue\">Back to the queue</a></p>")), status);

    public static Task WriteMessageAsync(HttpContext context, int status, string title, string detail) =>
        Message(status, title, detail).ExecuteAsync(context);

    public static string Time(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    private sealed class HtmlResult(int status, string html) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var bytes = Encoding.UTF8.GetBytes(html);
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "text/html; charset=utf-8";
            httpContext.Response.ContentLength = bytes.Length;
            await httpContext.Response.Body.WriteAsync(bytes, httpContext.RequestAborted);
        }
    }
}
