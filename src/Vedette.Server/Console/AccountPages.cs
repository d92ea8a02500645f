using System.Buffers.Text;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Identity;
using Vedette.Server.Api;
using Vedette.Server.Auth;
using Vedette.Storage;

namespace Vedette.Server.Console;

/// <summary>
/// GET /console/account: the caller's own account and second factors. TOTP enrolment and sign-out everywhere are the
/// API's (<see cref="TotpEnrolment"/>, <see cref="AuthApi.EndEverySessionAsync"/>) behind forms; passkeys are
/// registered by Console/Assets/passkey.js against the API's WebAuthn endpoints. A lead or admin who still has to enrol
/// a second factor can use this page and nothing else.
/// </summary>
internal static class AccountPages
{
    public const string Path = "/console/account";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapApi("GET", Path, (HttpContext context, IIdentityStore identity) => RenderAsync(context, identity, StatusCodes.Status200OK));
        routes.MapApi("POST", Path + "/totp", BeginTotpAsync).AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
        routes.MapApi("POST", Path + "/totp/confirm", ConfirmTotpAsync).AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
        routes.MapApi("POST", Path + "/recovery-codes", RenewRecoveryCodesAsync).AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
        routes.MapApi("POST", Path + "/passkeys/remove", RemovePasskeyAsync).AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
        routes.MapApi("POST", Path + "/signout-everywhere", SignOutEverywhereAsync).AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
    }

    /// <summary>
    /// What a lead or admin without their second factor sees on any other console page: where to enrol, not a bare
    /// refusal. (403 all the same: the page they asked for was not served.)
    /// </summary>
    public static Task WriteEnrolFirstAsync(HttpContext context) =>
        ConsolePages.Page(ConsolePages.Layout("Second factor required", null, null, html => html
            .M("<section class=\"signin\"><h1>Second factor required</h1>")
            .El("p", "Your role requires a second factor before you can use the console: enrol an authenticator app or a passkey on your account page.")
            .M("<p><a href=\"").M(Path).M("\">Go to your account</a></p></section>")), StatusCodes.Status403Forbidden).ExecuteAsync(context);

    private static async Task<IResult> BeginTotpAsync(HttpContext context, IIdentityStore identity, Totp totp, Pending<byte[]> enrolments, ServerOptions options) =>
        await TotpEnrolment.BeginAsync(context, identity, totp, enrolments, options) switch
        {
            TotpBegun.Started started => await RenderAsync(context, identity, StatusCodes.Status200OK, totpBlock: (html, token) => WriteTotpSetup(html, token, started)),
            TotpBegun.AlreadyEnrolled => await RenderAsync(context, identity, StatusCodes.Status409Conflict,
                error: "An authenticator app is enrolled already; an administrator's MFA reset removes it before a new one."),
            TotpBegun.Busy => ConsolePages.Message(StatusCodes.Status503ServiceUnavailable, "Busy", "Too many enrolments in progress; try again shortly."),
            _ => ConsolePages.Message(StatusCodes.Status404NotFound, "Not found", "Your user no longer exists."),
        };

    private static async Task<IResult> ConfirmTotpAsync(HttpContext context, IIdentityStore identity, Totp totp, Pending<byte[]> enrolments,
        IStore store, SessionOptions sessions, TimeProvider time)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        return await TotpEnrolment.ConfirmAsync(form["code"].ToString(), context, identity, totp, enrolments, store, sessions, time) switch
        {
            TotpConfirmed.Enrolled enrolled => RecoveryCodesPage("Authenticator app enrolled",
                "Your recovery codes, shown this once: keep them somewhere safe. Each one signs you in once in place of a code from the app.",
                enrolled.RecoveryCodes),
            TotpConfirmed.WrongCode => await RenderAsync(context, identity, StatusCodes.Status400BadRequest, totpBlock: WriteTotpConfirm,
                error: "That code does not match: check the authenticator app's clock and enter the current code."),
            _ => await RenderAsync(context, identity, StatusCodes.Status409Conflict,
                error: "No authenticator set-up is in progress (it expires after ten minutes): start again."),
        };
    }

    private static async Task<IResult> RenewRecoveryCodesAsync(HttpContext context, IIdentityStore identity, Totp totp, SignInThrottle throttle, IStore store, TimeProvider time)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        return await TotpEnrolment.RenewRecoveryCodesAsync(form["code"].ToString(), context, identity, totp, throttle, store, time) switch
        {
            RecoveryCodesRenewed.Renewed renewed => RecoveryCodesPage("New recovery codes",
                "Your new recovery codes, shown this once: the earlier ones no longer work. Keep them somewhere safe; each signs you in once in place of a code from the app.",
                renewed.RecoveryCodes),
            RecoveryCodesRenewed.NoTotp => await RenderAsync(context, identity, StatusCodes.Status409Conflict,
                error: "Recovery codes stand in for an authenticator app, and you have none enrolled."),
            RecoveryCodesRenewed.Throttled throttled => await RenderAsync(context, identity, StatusCodes.Status429TooManyRequests,
                error: $"Too many wrong codes; try again in {AuthApi.RetryAfter(throttled.RetryAfter, context.Response)} s."),
            _ => await RenderAsync(context, identity, StatusCodes.Status400BadRequest,
                error: "That code does not match (or was used already): enter the app's current code."),
        };
    }

    private static async Task<IResult> RemovePasskeyAsync(HttpContext context, IIdentityStore identity, IStore store, SessionOptions sessions, TimeProvider time)
    {
        var caller = Caller.From(context);
        var ct = context.RequestAborted;
        var form = await context.Request.ReadFormAsync(ct);
        var passkeys = await identity.ListPasskeysAsync(caller.UserId, ct);
        var id = form["passkey"].ToString();
        var passkey = passkeys.FirstOrDefault(p => Base64Url.EncodeToString(p.CredentialId) == id);
        if (passkey is null)
        {
            return await RenderAsync(context, identity, StatusCodes.Status404NotFound, error: "You have no such passkey (removed already?).");
        }
        if (await identity.GetUserAsync(caller.UserId, ct) is { } user && user.Role.RequiresMfa() && !user.TotpEnabled && passkeys.Count == 1)
        {
            return await RenderAsync(context, identity, StatusCodes.Status409Conflict,
                error: "Your role requires a second factor and this passkey is your only one: enrol another before removing it.");
        }
        var now = time.GetUtcNow();
        if (!await identity.RemovePasskeyAsync(caller.UserId, passkey.CredentialId, now, ct))
        {
            return await RenderAsync(context, identity, StatusCodes.Status404NotFound, error: "You have no such passkey (removed already?).");
        }
        await store.AppendAuditAsync(caller.Name, "user.mfa.passkey-remove", $"user/{caller.Name}", WorkItemActions.Details(("passkey", passkey.Name)), now, ct);
        // The store ended the user's sessions with the change; this browser goes on in a new one.
        await AuthApi.ReissueSessionAsync(context, identity, sessions, time);
        return Results.Redirect(Path, permanent: false, preserveMethod: false);
    }

    private static async Task<IResult> SignOutEverywhereAsync(HttpContext context, IIdentityStore identity, IStore store, TimeProvider time)
    {
        await AuthApi.EndEverySessionAsync(context, identity, store, time);
        return Results.Redirect("/console/signin", permanent: false, preserveMethod: false);
    }

    /// <summary>The account page; <paramref name="totpBlock"/> replaces the TOTP section's form while an enrolment is under way.</summary>
    private static async Task<IResult> RenderAsync(HttpContext context, IIdentityStore identity, int status,
        Action<HtmlWriter, string>? totpBlock = null, string? error = null)
    {
        var caller = Caller.From(context);
        var ct = context.RequestAborted;
        if (await identity.GetUserAsync(caller.UserId, ct) is not { } user)
        {
            return ConsolePages.Message(StatusCodes.Status404NotFound, "Not found", "Your user no longer exists.");
        }
        var passkeys = await identity.ListPasskeysAsync(user.Id, ct);
        var token = ConsoleSecurity.FormToken(context);
        return ConsolePages.Page(ConsolePages.Layout("Account", caller, token, html =>
        {
            html.M("<h1>Account</h1>");
            if (user.MustEnrolMfa)
            {
                html.M("<p class=\"notice\" role=\"alert\">").T($"Your role ({user.Role.ToName()}) requires a second factor. ")
                    .M("Enrol an authenticator app or a passkey below; until then the rest of the console is closed to you.</p>");
            }
            ConsolePages.Error(html, error);
            html.M("<section class=\"account\" aria-labelledby=\"account-you\"><h2 id=\"account-you\">You</h2><dl class=\"facts\">")
                .El("dt", "Name").El("dd", user.Name)
                .El("dt", "Role").El("dd", user.Role.ToName())
                .El("dt", "Signed in with").El("dd", caller.Method == "token" ? "an API token" : "a console session")
                .M("</dl></section>");
            WriteTotp(html, token, user, totpBlock);
            WritePasskeys(html, token, passkeys);
            html.M("<section class=\"account\" aria-labelledby=\"account-sessions\"><h2 id=\"account-sessions\">Sessions</h2>")
                .El("p", "Ends every console session of yours, on every device, this one included. API tokens are not affected.")
                .M("<form method=\"post\" action=\"").M(Path).M("/signout-everywhere\">");
            ConsolePages.Token(html, token);
            html.M("<button type=\"submit\">Sign out everywhere</button></form></section>")
                .M("<script src=\"/console/assets/passkey.js\" defer></script>");
        }), status);
    }

    private static void WriteTotp(HtmlWriter html, string token, UserSummary user, Action<HtmlWriter, string>? block)
    {
        html.M("<section class=\"account\" aria-labelledby=\"account-totp\"><h2 id=\"account-totp\">Authenticator app (TOTP)</h2><dl class=\"facts\">")
            .El("dt", "Enrolled").El("dd", user.TotpEnabled ? "yes" : "no");
        if (user.TotpEnabled || user.RecoveryCodesLeft > 0)
        {
            html.El("dt", "Recovery codes left").El("dd", user.RecoveryCodesLeft.ToString(CultureInfo.InvariantCulture));
        }
        html.M("</dl>");
        if (block is not null)
        {
            block(html, token);
        }
        else if (user.TotpEnabled)
        {
            // A form of its own page: the codes page that follows has none (the form token must not outlive the codes).
            html.M("<form class=\"inline\" method=\"post\" action=\"").M(Path).M("/recovery-codes\">");
            ConsolePages.Token(html, token);
            html.M("<label for=\"renew-code\">Current code from the app</label>")
                .M("<input id=\"renew-code\" name=\"code\" autocomplete=\"one-time-code\" inputmode=\"numeric\" required size=\"8\">")
                .M("<button type=\"submit\">New recovery codes</button></form>");
        }
        else
        {
            html.M("<form method=\"post\" action=\"").M(Path).M("/totp\">");
            ConsolePages.Token(html, token);
            html.M("<button id=\"totp-begin\" type=\"submit\">Set up an authenticator app</button></form>");
        }
        html.M("</section>");
    }

    private static void WriteTotpSetup(HtmlWriter html, string token, TotpBegun.Started started)
    {
        html.M("<div class=\"totp-setup\"><h3>Scan this code with your authenticator app</h3>");
        QrCodeSvg.Write(html, started.Uri, "QR code of the authenticator set-up link");
        html.M("<p>Or enter this key by hand (").T($"{started.Digits} digits, every {started.Period} s").M("):</p>")
            .M("<p><code id=\"totp-secret\" class=\"secret\">").T(started.Secret).M("</code></p>")
            .El("p", "It is shown this once and expires in ten minutes if not confirmed.", "more")
            .M("</div>");
        WriteTotpConfirm(html, token);
    }

    private static void WriteTotpConfirm(HtmlWriter html, string token)
    {
        html.M("<form class=\"inline\" method=\"post\" action=\"").M(Path).M("/totp/confirm\">");
        ConsolePages.Token(html, token);
        html.M("<label for=\"totp-code\">Code the app shows now</label>")
            .M("<input id=\"totp-code\" name=\"code\" autocomplete=\"one-time-code\" inputmode=\"numeric\" maxlength=\"8\" required autofocus>")
            .M("<button id=\"totp-confirm\" type=\"submit\">Confirm</button></form>")
            .M("<form class=\"inline\" method=\"post\" action=\"").M(Path).M("/totp\">");
        ConsolePages.Token(html, token);
        html.M("<button type=\"submit\">Start again with a new key</button></form>");
    }

    private static void WritePasskeys(HtmlWriter html, string token, IReadOnlyList<PasskeyCredential> passkeys)
    {
        html.M("<section class=\"account\" aria-labelledby=\"account-passkeys\"><h2 id=\"account-passkeys\">Passkeys</h2>");
        if (passkeys.Count == 0)
        {
            html.El("p", "No passkeys.", "empty");
        }
        else
        {
            html.M("<table class=\"passkeys\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Created</th><th scope=\"col\">Last used</th>")
                .M("<th scope=\"col\">Synced</th><th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>");
            foreach (var passkey in passkeys)
            {
                html.M("<tr>").El("td", passkey.Name).El("td", ConsolePages.Time(passkey.CreatedAt))
                    .El("td", passkey.LastUsedAt is null ? "never" : ConsolePages.Time(passkey.LastUsedAt))
                    .El("td", passkey.BackedUp ? "yes" : "no")
                    .M("<td><form method=\"post\" action=\"").M(Path).M("/passkeys/remove\">");
                ConsolePages.Token(html, token);
                html.M("<input type=\"hidden\" name=\"passkey\"").A("value", Base64Url.EncodeToString(passkey.CredentialId)).M(">")
                    .M("<button type=\"submit\"").A("aria-label", "Remove the passkey " + passkey.Name).M(">Remove</button></form></td></tr>");
            }
            html.M("</tbody></table>");
        }
        // Registration needs the browser's WebAuthn API: passkey.js takes this form over; without script it explains.
        html.M("<form id=\"passkey-add\" class=\"inline\"><label for=\"passkey-name\">Name of the new passkey</label>")
            .M("<input id=\"passkey-name\" name=\"name\" maxlength=\"64\" required placeholder=\"e.g. work laptop\">")
            .M("<button type=\"submit\">Add a passkey</button></form>")
            .M("<p id=\"passkey-status\" class=\"passkey-status\" role=\"status\"></p>")
            .M("<noscript><p class=\"more\">Adding a passkey needs JavaScript (the browser's WebAuthn API).</p></noscript></section>");
    }

    /// <summary>
    /// Recovery codes after enrolment or renewal: shown here once, stored only as hashes. No form: an enrolment changed
    /// the session, and the page should be left, not kept open.
    /// </summary>
    private static IResult RecoveryCodesPage(string title, string explanation, IReadOnlyList<string> codes) =>
        ConsolePages.Page(ConsolePages.Layout(title, null, null, html =>
        {
            html.M("<section class=\"recovery\"><h1>").T(title).M("</h1>")
                .El("p", explanation)
                .M("<ol id=\"recovery-codes\" class=\"recovery-codes\">");
            foreach (var code in codes)
            {
                html.M("<li><code>").T(code).M("</code></li>");
            }
            html.M("</ol><p><a href=\"").M(Path).M("\">Continue to your account</a> · <a href=\"/console/queue\">Go to the queue</a></p></section>");
        }));
}
