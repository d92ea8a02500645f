using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Identity;
using Vedette.Server.Api;
using Vedette.Storage;

namespace Vedette.Server.Console.Admin;

/// <summary>
/// /console/admin/tokens (admins): every user's API tokens, newest first, with the forms of the tokens API
/// (<see cref="TokensApi"/>'s actions). A new token is shown on the answer to its form, once: only its hash is kept.
/// </summary>
internal static class TokensPage
{
    public const string Path = "/console/admin/tokens";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapApi("GET", Path, (HttpContext context, IIdentityStore identity, TimeProvider time) =>
            RenderAsync(context, identity, time, StatusCodes.Status200OK, null, null));
        routes.MapApi("POST", Path, CreateAsync).AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
        routes.MapApi("POST", Path + "/{id}/revoke", RevokeAsync).AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IIdentityStore identity, IStore store, TimeProvider time)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        double? days = null;
        if (Filters.Text(form["expiresDays"].ToString()) is { } text)
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                return await RenderAsync(context, identity, time, StatusCodes.Status400BadRequest, $"expiry in days must be a number, not '{text}'", null);
            }
            days = parsed;
        }
        var request = new TokenRequest(Filters.Text(form["name"].ToString()), Filters.Text(form["user"].ToString()), Filters.Text(form["role"].ToString()), days);
        var outcome = await TokensApi.TryCreateAsync(request, context, identity, store, time);
        // Not a redirect: the token exists only in this answer.
        return outcome.Refused is { } refused
            ? await RenderAsync(context, identity, time, refused.Status, refused.Detail, null)
            : await RenderAsync(context, identity, time, StatusCodes.Status200OK, null, outcome.Value);
    }

    private static async Task<IResult> RevokeAsync(string id, HttpContext context, IIdentityStore identity, IStore store, TimeProvider time)
    {
        if (!Guid.TryParse(id, out var tokenId))
        {
            return await RenderAsync(context, identity, time, StatusCodes.Status404NotFound, $"'{id}' is not a token id", null);
        }
        var outcome = await TokensApi.TryRevokeAsync(tokenId, context, identity, store, time);
        return await AdminFrame.AfterAsync(outcome, Path, (status, error) => RenderAsync(context, identity, time, status, error, null));
    }

    private static async Task<IResult> RenderAsync(HttpContext context, IIdentityStore identity, TimeProvider time, int status, string? error, CreatedToken? created)
    {
        var tokens = await identity.ListTokensAsync(null, context.RequestAborted);
        var users = await identity.ListUsersAsync(context.RequestAborted);
        var now = time.GetUtcNow();
        return AdminFrame.Page(context, Path, "API tokens", status, error, (html, _, token) =>
        {
            if (created is not null)
            {
                html.M("<section class=\"new-token\" role=\"status\" aria-labelledby=\"new-token-title\"><h2 id=\"new-token-title\">New token for ").T(created.Record.UserName)
                    .M("</h2><p>Copy it now: it is not shown again.</p><p><code id=\"new-token\">").T(created.Token).M("</code></p></section>");
            }
            if (tokens.Count == 0)
            {
                html.El("p", "No API tokens.", "empty");
            }
            else
            {
                html.M("<table class=\"admin tokens\"><thead><tr><th scope=\"col\">Owner</th><th scope=\"col\">Name</th><th scope=\"col\">Role</th>")
                    .M("<th scope=\"col\">Created</th><th scope=\"col\">Expires</th><th scope=\"col\">State</th><th scope=\"col\">Actions</th></tr></thead><tbody>");
                for (var i = tokens.Count - 1; i >= 0; i--)
                {
                    WriteRow(html, tokens[i], now, token);
                }
                html.M("</tbody></table>");
            }
            WriteCreateForm(html, users, token);
        });
    }

    private static void WriteRow(HtmlWriter html, ApiToken apiToken, DateTimeOffset now, string token)
    {
        var state = apiToken.RevokedAt is { } revoked ? $"revoked by {apiToken.RevokedBy} at {ConsolePages.Time(revoked)}"
            : apiToken.IsExpired(now) ? "expired"
            : "active";
        html.M("<tr").A("data-token", apiToken.Id.ToString()).M(">").El("td", apiToken.UserName).El("td", apiToken.Name).El("td", apiToken.Role.ToName())
            .El("td", ConsolePages.Time(apiToken.CreatedAt))
            .El("td", apiToken.ExpiresAt is { } expires ? ConsolePages.Time(expires) : "never")
            .El("td", state, "state").M("<td>");
        if (apiToken.RevokedAt is null)
        {
            AdminFrame.Form(html, $"{Path}/{apiToken.Id}/revoke", token).M("<button type=\"submit\">Revoke</button></form>");
        }
        html.M("</td></tr>");
    }

    private static void WriteCreateForm(HtmlWriter html, IReadOnlyList<UserSummary> users, string token)
    {
        html.M("<h2 id=\"create-token\">Create a token</h2>");
        AdminFrame.Form(html, Path, token, "admin-form", "create-token")
            .M("<label for=\"token-user\">User</label><select id=\"token-user\" name=\"user\" required>");
        foreach (var user in users.Where(u => !u.Disabled))
        {
            html.M("<option").A("value", user.Name).M(">").T(user.Name).M(" (").T(user.Role.ToName()).M(")</option>");
        }
        html.M("</select><label for=\"token-name\">Name</label><input id=\"token-name\" name=\"name\" maxlength=\"100\" placeholder=\"api\">")
            .M("<label for=\"token-role\">Role</label>");
        AdminFrame.RoleSelect(html, "token-role", null, "the user's role");
        html.M("<label for=\"token-days\">Expires in days</label>")
            .M("<input id=\"token-days\" name=\"expiresDays\" type=\"number\" min=\"1\" max=\"3650\"").A("value", TokensApi.DefaultLifetimeDays.ToString(CultureInfo.InvariantCulture)).M(">")
            .M("<button id=\"create-token-submit\" type=\"submit\">Create token</button></form>");
    }
}
