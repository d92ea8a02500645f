using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Identity;
using Vedette.Server.Api;
using Vedette.Storage;

namespace Vedette.Server.Console.Admin;

/// <summary>
/// /console/admin/users (admins): the users with role, second factors and state, and the forms of the users API
/// (<see cref="UsersApi"/>'s actions: the same checks, the same audit entries, the same end of sessions).
/// </summary>
internal static class UsersPage
{
    public const string Path = "/console/admin/users";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapApi("GET", Path, (HttpContext context, IIdentityStore identity) => RenderAsync(context, identity, StatusCodes.Status200OK, null));
        routes.MapApi("POST", Path, CreateAsync).AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
        routes.MapApi("POST", Path + "/{name}/role", async (string name, HttpContext context, IIdentityStore identity, IStore store, TimeProvider time) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            return await AfterAsync(await UsersApi.TrySetRoleAsync(name, form["role"].ToString(), context, identity, store, time), context, identity);
        }).AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
        routes.MapApi("POST", Path + "/{name}/disable", async (string name, HttpContext context, IIdentityStore identity, IStore store, TimeProvider time) =>
            await AfterAsync(await UsersApi.TrySetDisabledAsync(name, true, context, identity, store, time), context, identity))
            .AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
        routes.MapApi("POST", Path + "/{name}/enable", async (string name, HttpContext context, IIdentityStore identity, IStore store, TimeProvider time) =>
            await AfterAsync(await UsersApi.TrySetDisabledAsync(name, false, context, identity, store, time), context, identity))
            .AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
        routes.MapApi("POST", Path + "/{name}/reset-mfa", async (string name, HttpContext context, IIdentityStore identity, IStore store, TimeProvider time) =>
            await AfterAsync(await UsersApi.TryResetMfaAsync(name, context, identity, store, time), context, identity))
            .AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IIdentityStore identity, PasswordPolicy policy, PasswordHasher hasher, IStore store, TimeProvider time)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var password = form["password"].ToString();
        var request = new NewUserRequest(form["name"].ToString().Trim(), form["role"].ToString(), password.Length == 0 ? null : password);
        return await AfterAsync(await UsersApi.TryAddAsync(request, context, identity, policy, hasher, store, time), context, identity);
    }

    private static Task<IResult> AfterAsync(Outcome<UserSummary> outcome, HttpContext context, IIdentityStore identity) =>
        AdminFrame.AfterAsync(outcome, Path, (status, error) => RenderAsync(context, identity, status, error));

    private static async Task<IResult> RenderAsync(HttpContext context, IIdentityStore identity, int status, string? error)
    {
        var users = await identity.ListUsersAsync(context.RequestAborted);
        return AdminFrame.Page(context, Path, "Users", status, error, (html, caller, token) =>
        {
            html.M("<table class=\"admin users\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Role</th><th scope=\"col\">Second factors</th>")
                .M("<th scope=\"col\">State</th><th scope=\"col\">Created</th><th scope=\"col\">Changed</th><th scope=\"col\">Actions</th></tr></thead><tbody>");
            for (var i = 0; i < users.Count; i++)
            {
                WriteRow(html, users[i], i, caller.UserId == users[i].Id, token);
            }
            html.M("</tbody></table>");
            WriteCreateForm(html, token);
        });
    }

    private static void WriteRow(HtmlWriter html, UserSummary user, int row, bool self, string token)
    {
        var action = Path + "/" + Uri.EscapeDataString(user.Name);
        var roleId = "role-" + AdminFrame.Count(row);
        html.M("<tr").A("data-user", user.Name).M(">").M("<th scope=\"row\">").T(user.Name).M("</th>")
            .El("td", user.Role.ToName())
            .El("td", Factors(user), user.MustEnrolMfa ? "factors missing" : "factors")
            .El("td", user.Disabled ? "disabled" : "active", user.Disabled ? "state disabled" : "state")
            .El("td", ConsolePages.Time(user.CreatedAt))
            .El("td", ConsolePages.Time(user.UpdatedAt))
            .M("<td class=\"row-actions\">");
        AdminFrame.Form(html, action + "/role", token).M("<label").A("for", roleId).M(">Role</label>");
        AdminFrame.RoleSelect(html, roleId, user.Role);
        html.M("<button type=\"submit\">Change role</button></form>");
        if (user.Disabled)
        {
            AdminFrame.Form(html, action + "/enable", token).M("<button type=\"submit\">Enable</button></form>");
        }
        else if (!self)
        {
            AdminFrame.Form(html, action + "/disable", token).M("<button type=\"submit\">Disable</button></form>");
        }
        if (user.HasMfa || user.RecoveryCodesLeft > 0)
        {
            AdminFrame.Form(html, action + "/reset-mfa", token).M("<button type=\"submit\">Reset MFA</button></form>");
        }
        html.M("</td></tr>");
    }

    private static string Factors(UserSummary user)
    {
        var factors = new List<string>(2);
        if (user.TotpEnabled)
        {
            factors.Add($"TOTP ({user.RecoveryCodesLeft} recovery codes left)");
        }
        if (user.PasskeyCount > 0)
        {
            factors.Add(user.PasskeyCount == 1 ? "1 passkey" : $"{user.PasskeyCount} passkeys");
        }
        var text = factors.Count == 0 ? "none" : string.Join(", ", factors);
        return user.MustEnrolMfa ? text + " (must enrol one)" : text;
    }

    private static void WriteCreateForm(HtmlWriter html, string token)
    {
        html.M("<h2 id=\"create-user\">Create a user</h2>");
        AdminFrame.Form(html, Path, token, "admin-form", "create-user")
            .M("<label for=\"new-name\">Name</label><input id=\"new-name\" name=\"name\" required maxlength=\"64\" autocomplete=\"off\">")
            .M("<label for=\"new-role\">Role</label>");
        AdminFrame.RoleSelect(html, "new-role", Role.Analyst);
        html.M("<label for=\"new-password\">Initial password</label><input id=\"new-password\" name=\"password\" type=\"password\" required maxlength=\"256\" autocomplete=\"new-password\" aria-describedby=\"new-password-help\">")
            .M("<p id=\"new-password-help\" class=\"more\">At least 15 characters, not a common or breached password, not containing the name. Leads and admins must enrol a second factor at their first sign-in.</p>")
            .M("<button id=\"create-user-submit\" type=\"submit\">Create user</button></form>");
    }
}
