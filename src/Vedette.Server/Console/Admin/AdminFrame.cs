using Microsoft.AspNetCore.Http;
using Vedette.Identity;
using Vedette.Server.Api;
using Vedette.Server.Auth;

namespace Vedette.Server.Console.Admin;

/// <summary>One part of the administration area: its page, its name and what it is for.</summary>
internal sealed record AdminSection(string Path, string Title, string Description);

/// <summary>
/// What the administration pages share: the list of sections, the frame around each page (section links, heading, the
/// reason of a refused form), and the answer to a form post (back to the page, or the page again with the reason).
/// Who may see or post what is read from the endpoint table, so a page never offers a form its caller would be refused.
/// </summary>
internal static class AdminFrame
{
    public const string Root = "/console/admin";

    public static IReadOnlyList<AdminSection> Sections { get; } =
    [
        new(UsersPage.Path, "Users", "Create users, change their role, disable or enable them, reset their second factors."),
        new(TokensPage.Path, "API tokens", "Every user's API tokens: create one (shown once) or revoke one."),
        new(SuppressionsPage.Path, "Suppressions", "What is silenced, why, until when and how often it matched; add or lift one."),
        new(FeedsPage.Path, "Threat-intel feeds", "Each feed's indicators, last refresh and last error."),
        new(RulesPage.Path, "Rules", "The loaded rules with their status, and the rules that failed to load with file, line and reason."),
    ];

    /// <summary>Whether the endpoint table lets <paramref name="caller"/> call <paramref name="method"/> <paramref name="pattern"/>.</summary>
    public static bool May(Caller caller, string method, string pattern) =>
        (ApiEndpoints.Find(method, pattern) ?? throw new InvalidOperationException($"{method} {pattern} is not in ApiEndpoints")).MinRole is not { } minimum
        || caller.Role >= minimum;

    public static IEnumerable<AdminSection> SectionsFor(Caller caller) => Sections.Where(s => May(caller, "GET", s.Path));

    /// <summary>An administration page: section links, the title as heading, the refusal if any, then <paramref name="body"/>.</summary>
    public static IResult Page(HttpContext context, string path, string title, int status, string? error, Action<HtmlWriter, Caller, string> body)
    {
        var caller = Caller.From(context);
        var token = ConsoleSecurity.FormToken(context);
        return ConsolePages.Page(ConsolePages.Layout(title, caller, token, html =>
        {
            html.M("<nav class=\"admin-nav\" aria-label=\"Administration\">");
            Link(html, Root, "Overview", path);
            foreach (var section in SectionsFor(caller))
            {
                Link(html, section.Path, section.Title, path);
            }
            html.M("</nav>").El("h1", title);
            ConsolePages.Error(html, error);
            body(html, caller, token);
        }), status);
    }

    /// <summary>Done: back to the page, so a reload does not post again. Refused: the page again with the reason.</summary>
    public static async Task<IResult> AfterAsync<T>(Outcome<T> outcome, string page, Func<int, string, Task<IResult>> render)
        where T : class =>
        outcome.Refused is { } refused ? await render(refused.Status, refused.Detail) : Results.Redirect(page, permanent: false, preserveMethod: false);

    /// <summary>The opening of a form that posts to <paramref name="action"/>, with its CSRF field.</summary>
    public static HtmlWriter Form(HtmlWriter html, string action, string token, string cssClass = "inline", string? labelledBy = null)
    {
        html.M("<form method=\"post\"").A("class", cssClass).A("action", action);
        if (labelledBy is not null)
        {
            html.A("aria-labelledby", labelledBy);
        }
        html.M(">");
        ConsolePages.Token(html, token);
        return html;
    }

    /// <summary>A select of the roles, <paramref name="selected"/> chosen; an empty first choice when <paramref name="none"/> is given.</summary>
    public static void RoleSelect(HtmlWriter html, string id, Role? selected, string? none = null)
    {
        html.M("<select name=\"role\"").A("id", id).M(">");
        if (none is not null)
        {
            html.M("<option value=\"\">").T(none).M("</option>");
        }
        foreach (var role in Roles.All)
        {
            html.M("<option").A("value", role.ToName());
            if (role == selected)
            {
                html.M(" selected");
            }
            html.M(">").T(role.ToName()).M("</option>");
        }
        html.M("</select>");
    }

    public static string Count(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void Link(HtmlWriter html, string href, string text, string current)
    {
        html.M("<a").A("href", href);
        if (href == current)
        {
            html.M(" aria-current=\"page\"");
        }
        html.M(">").T(text).M("</a>");
    }
}
