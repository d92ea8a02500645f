using System.Security.Cryptography;
using System.Text.Json;
using Fido2NetLib;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Identity;
using Vedette.Server.Api;
using Vedette.Server.Auth;
using Vedette.Storage;

namespace Vedette.Server.Console;

/// <summary>A password verified moments ago, waiting for its second factor on the console's second form.</summary>
internal sealed record PendingSignIn(Guid UserId, string Name, string Source, IReadOnlyList<string> Methods);

/// <summary>
/// The console's sign-in: the same <see cref="SignInService"/> as <c>POST /api/v1/auth/signin</c> (throttle, Argon2id,
/// TOTP or recovery code, audit, session cookie), in two forms. After the password, the server keeps only the user id
/// under a random key held in an HttpOnly cookie for five minutes; the password itself is never kept.
/// </summary>
internal static class ConsoleSignIn
{
    public const string PendingCookie = "vedette_signin";
    private const string PendingPath = "/console/signin";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapApi("GET", "/console/signin", (HttpContext context) => SignInForm(context, StatusCodes.Status200OK, null));
        routes.MapApi("POST", "/console/signin", SignInAsync).AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
        routes.MapApi("GET", "/console/signin/totp", TotpForm);
        routes.MapApi("POST", "/console/signin/totp", TotpAsync).AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
        routes.MapApi("POST", "/console/signin/passkey/begin", BeginPasskeyAsync).AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
        routes.MapApi("POST", "/console/signin/passkey", PasskeyAsync).AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
        routes.MapApi("POST", "/console/signout", SignOutAsync).AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
    }

    private static async Task<IResult> SignInAsync(HttpContext context, SignInService signIn, IIdentityStore identity, Pending<PendingSignIn> pending)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var name = form["name"].ToString().Trim();
        var password = form["password"].ToString();
        if (name.Length == 0 || password.Length == 0 || password.Length > PasswordPolicy.MaxLength * 4)
        {
            return SignInForm(context, StatusCodes.Status400BadRequest, "Enter your user name and password.");
        }
        var source = AuthApi.Source(context);
        var outcome = await signIn.WithPasswordAsync(name, password, code: null, source, context.RequestAborted);
        if (outcome is SignInOutcome.SecondFactorRequired factor)
        {
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            if (!pending.TryAdd(key, new PendingSignIn(factor.User.Id, factor.User.Name, source, factor.Methods)))
            {
                return ConsolePages.Message(StatusCodes.Status503ServiceUnavailable, "Busy", "Too many sign-ins in progress; try again shortly.");
            }
            context.Response.Cookies.Append(PendingCookie, key, PendingCookieOptions(context, TimeSpan.FromMinutes(5)));
            return Results.Redirect("/console/signin/totp", permanent: false, preserveMethod: false);
        }
        return await AnswerAsync(outcome, context, identity, () => SignInForm(context, StatusCodes.Status401Unauthorized,
            "Sign-in failed: the name or password is wrong, or the account is disabled."));
    }

    private static IResult TotpForm(HttpContext context, Pending<PendingSignIn> pending)
    {
        if (!Peek(context, pending, out var waiting))
        {
            return Results.Redirect("/console/signin");
        }
        return SecondFactorForm(context, StatusCodes.Status200OK, waiting, null);
    }

    private static async Task<IResult> TotpAsync(HttpContext context, SignInService signIn, IIdentityStore identity, Pending<PendingSignIn> pending)
    {
        var key = context.Request.Cookies[PendingCookie];
        if (string.IsNullOrEmpty(key) || !pending.TryTake(key, out var waiting) || waiting.Source != AuthApi.Source(context))
        {
            return Results.Redirect("/console/signin", permanent: false, preserveMethod: false);
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var code = form["code"].ToString();
        var outcome = await signIn.WithSecondFactorAsync(waiting.UserId, waiting.Name, code, waiting.Source, context.RequestAborted);
        return await AnswerAsync(outcome, context, identity, () =>
        {
            // A wrong code may be corrected; the throttle bounds how often.
            pending.TryAdd(key, waiting);
            return SecondFactorForm(context, StatusCodes.Status401Unauthorized, waiting, "Sign-in failed: that code is wrong or was used already.");
        });
    }

    /// <summary>
    /// The passkey as second factor, step one (passkey.js posts the page's form token): assertion options naming the
    /// passkeys of the user whose password was just verified, kept under the pending sign-in's key.
    /// </summary>
    private static async Task<IResult> BeginPasskeyAsync(HttpContext context, IIdentityStore identity, IFido2 fido, PasskeyCeremonies ceremonies, Pending<PendingSignIn> pending)
    {
        if (!Peek(context, pending, out var waiting) || waiting.Source != AuthApi.Source(context))
        {
            return StartAgain();
        }
        var passkeys = await identity.ListPasskeysAsync(waiting.UserId, context.RequestAborted);
        if (passkeys.Count == 0)
        {
            return ApiResults.Problem(StatusCodes.Status409Conflict, "No passkey", "This account has no passkey: use a code instead.");
        }
        var options = PasskeysApi.AssertionOptionsFor(fido, passkeys);
        if (!ceremonies.Assertions.TryAdd(CeremonyKey(context), options))
        {
            return ApiResults.Problem(StatusCodes.Status503ServiceUnavailable, "Busy", "Too many passkey ceremonies in progress; try again shortly.");
        }
        var json = options.ToJson();
        return ApiResults.Json(writer => writer.WriteRawValue(json));
    }

    /// <summary>
    /// Step two: the authenticator's assertion (form field "response", PublicKeyCredential JSON). It must be one of the
    /// pending user's passkeys; the password was the first factor, so user verification is not needed here.
    /// </summary>
    private static async Task<IResult> PasskeyAsync(HttpContext context, SignInService signIn, SignInThrottle throttle, IIdentityStore identity, IFido2 fido,
        PasskeyCeremonies ceremonies, Pending<PendingSignIn> pending, TimeProvider time)
    {
        var ct = context.RequestAborted;
        var key = context.Request.Cookies[PendingCookie];
        if (string.IsNullOrEmpty(key) || !pending.TryPeek(key, out var waiting) || waiting.Source != AuthApi.Source(context))
        {
            return StartAgain();
        }
        if (!ceremonies.Assertions.TryTake(CeremonyKey(context), out var options))
        {
            return ApiResults.Conflict("no passkey challenge in progress (or it expired): try the passkey again");
        }
        AuthenticatorAssertionRawResponse raw;
        try
        {
            var form = await context.Request.ReadFormAsync(ct);
            raw = JsonSerializer.Deserialize<AuthenticatorAssertionRawResponse>(form["response"].ToString()) ?? throw new FormatException("the response is empty");
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException)
        {
            return ApiResults.BadRequest($"the passkey's answer could not be read: {ex.Message}");
        }
        var decision = throttle.Check(waiting.Name, waiting.Source);
        if (!decision.Allowed)
        {
            return PasskeyAnswer(new SignInOutcome.Throttled(decision.RetryAfter), context);
        }
        var credential = raw.RawId is { } id ? await identity.FindPasskeyAsync(id, ct) : null;
        var check = credential is null || credential.UserId != waiting.UserId
            ? PasskeyCheck.Failed
            : await PasskeysApi.VerifyAssertionAsync(raw, options, credential, fido, identity, time, ct);
        var credentials = check == PasskeyCheck.Failed ? null : await identity.GetCredentialsAsync(waiting.UserId, ct);
        if (credentials is null || credentials.User.Disabled)
        {
            var reason = check == PasskeyCheck.Failed ? "bad-passkey" : "disabled";
            return PasskeyAnswer(await signIn.FailAsync(waiting.Name, waiting.Source, reason, "password+passkey", waiting.Name, ct), context);
        }
        pending.TryTake(key, out _);
        var outcome = await signIn.CompleteAsync(credentials, waiting.Source, "password+passkey", ct);
        if (outcome is SignInOutcome.Success success)
        {
            await AuthApi.BeginSessionAsync(success, context, identity);
            context.Response.Cookies.Delete(PendingCookie, PendingCookieOptions(context, null));
        }
        return PasskeyAnswer(outcome, context);
    }

    /// <summary>The passkey endpoints answer passkey.js in JSON: where to go next, or why not.</summary>
    private static IResult PasskeyAnswer(SignInOutcome outcome, HttpContext context)
    {
        switch (outcome)
        {
            case SignInOutcome.Success success:
                return ApiResults.Json(writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("location", Landing(success));
                    writer.WriteEndObject();
                });
            case SignInOutcome.Throttled throttled:
                var seconds = AuthApi.RetryAfter(throttled.RetryAfter, context.Response);
                return ApiResults.Problem(StatusCodes.Status429TooManyRequests, "Too many attempts", $"Too many failed sign-ins; try again in {seconds} s.");
            default:
                return ApiResults.Problem(StatusCodes.Status401Unauthorized, "Sign-in failed", "Sign-in failed: that passkey was not accepted.");
        }
    }

    private static IResult StartAgain() =>
        ApiResults.Problem(StatusCodes.Status409Conflict, "Start again", "This sign-in expired (five minutes): start again with your password.");

    /// <summary>The passkey challenge of a pending sign-in lives under its own random key: no other browser can answer it.</summary>
    private static string CeremonyKey(HttpContext context) => "console-signin:" + context.Request.Cookies[PendingCookie];

    /// <summary>A lead or admin who still has to enrol a second factor starts on the account page, where they can.</summary>
    private static string Landing(SignInOutcome.Success success) => success.User.MustEnrolMfa ? AccountPages.Path : "/console/queue";

    private static async Task<IResult> SignOutAsync(HttpContext context, IIdentityStore identity, IStore store, TimeProvider time)
    {
        await AuthApi.EndSessionAsync(context, identity, store, time);
        return Results.Redirect("/console/signin", permanent: false, preserveMethod: false);
    }

    private static async Task<IResult> AnswerAsync(SignInOutcome outcome, HttpContext context, IIdentityStore identity, Func<IResult> failed)
    {
        switch (outcome)
        {
            case SignInOutcome.Success success:
                await AuthApi.BeginSessionAsync(success, context, identity);
                context.Response.Cookies.Delete(PendingCookie, PendingCookieOptions(context, null));
                return Results.Redirect(Landing(success), permanent: false, preserveMethod: false);
            case SignInOutcome.Throttled throttled:
                var seconds = AuthApi.RetryAfter(throttled.RetryAfter, context.Response);
                return ConsolePages.Message(StatusCodes.Status429TooManyRequests, "Too many attempts",
                    $"Too many failed sign-ins; try again in {seconds} s.");
            default:
                return failed();
        }
    }

    private static IResult SignInForm(HttpContext context, int status, string? error)
    {
        var token = ConsoleSecurity.FormToken(context);
        return ConsolePages.Page(ConsolePages.Layout("Sign in", null, null, html =>
        {
            html.M("<section class=\"signin\"><h1>Sign in</h1>");
            ConsolePages.Error(html, error);
            html.M("<form method=\"post\" action=\"/console/signin\">");
            ConsolePages.Token(html, token);
            html.M("<label for=\"name\">User name</label><input id=\"name\" name=\"name\" autocomplete=\"username\" required autofocus>")
                .M("<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>")
                .M("<button type=\"submit\">Sign in</button></form>");
            // Passwordless: the authenticator finds the account's passkey itself (a discoverable credential).
            html.M("<div class=\"passkey-signin\"><button id=\"passkey-signin\" type=\"button\">Sign in with a passkey</button>")
                .M("<p id=\"passkey-status\" class=\"passkey-status\" role=\"status\"></p></div></section>")
                .M("<script src=\"/console/assets/passkey.js\" defer></script>");
        }), status);
    }

    private static IResult SecondFactorForm(HttpContext context, int status, PendingSignIn waiting, string? error)
    {
        var token = ConsoleSecurity.FormToken(context);
        return ConsolePages.Page(ConsolePages.Layout("Second factor", null, null, html =>
        {
            html.M("<section class=\"signin\"><h1>Second factor</h1>");
            ConsolePages.Error(html, error);
            if (waiting.Methods.Contains("passkey"))
            {
                // passkey.js posts this form's token with the challenge and the answer.
                html.M("<form id=\"passkey-second\" class=\"passkey-signin\">");
                ConsolePages.Token(html, token);
                html.M("<button type=\"submit\">Use your passkey</button></form>")
                    .M("<p id=\"passkey-status\" class=\"passkey-status\" role=\"status\"></p>")
                    .M("<script src=\"/console/assets/passkey.js\" defer></script>");
            }
            if (waiting.Methods.Contains("totp") || waiting.Methods.Contains("recovery-code"))
            {
                html.M("<form method=\"post\" action=\"/console/signin/totp\">");
                ConsolePages.Token(html, token);
                html.M("<label for=\"code\">Code from your authenticator app, or a recovery code</label>")
                    .M("<input id=\"code\" name=\"code\" autocomplete=\"one-time-code\" inputmode=\"text\" required autofocus>")
                    .M("<button type=\"submit\">Verify</button></form>");
            }
            html.M("<p><a href=\"/console/signin\">Start again</a></p></section>");
        }), status);
    }

    /// <summary>Looks at the pending sign-in without taking it (the form's GET).</summary>
    private static bool Peek(HttpContext context, Pending<PendingSignIn> pending, out PendingSignIn waiting)
    {
        var key = context.Request.Cookies[PendingCookie];
        if (!string.IsNullOrEmpty(key))
        {
            return pending.TryPeek(key, out waiting);
        }
        waiting = null!;
        return false;
    }

    private static CookieOptions PendingCookieOptions(HttpContext context, TimeSpan? lifetime) => new()
    {
        HttpOnly = true,
        Secure = context.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = PendingPath,
        MaxAge = lifetime,
        IsEssential = true,
    };
}
