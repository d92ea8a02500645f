using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Identity;
using Vedette.Server.Auth;
using Vedette.Storage;

namespace Vedette.Server.Api;

public sealed record SignInRequest(string Name, string Password, string? Code = null);

public sealed record PasswordChangeRequest(string Current, string New);

public sealed record TotpConfirmRequest(string Code);

/// <summary>Signing in and out, the caller's own account, and TOTP enrolment.</summary>
internal static class AuthApi
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapApi("POST", "/api/v1/auth/signin", SignInAsync);
        routes.MapApi("POST", "/api/v1/auth/signout", SignOutAsync);
        routes.MapApi("POST", "/api/v1/auth/signout-everywhere", SignOutEverywhereAsync);
        routes.MapApi("GET", "/api/v1/auth/me", MeAsync);
        routes.MapApi("POST", "/api/v1/auth/password", ChangePasswordAsync);
        routes.MapApi("POST", "/api/v1/auth/totp/begin", BeginTotpAsync);
        routes.MapApi("POST", "/api/v1/auth/totp/confirm", ConfirmTotpAsync);
        routes.MapApi("POST", "/api/v1/auth/recovery-codes", RenewRecoveryCodesAsync);
    }

    private static async Task<IResult> SignInAsync(SignInRequest request, HttpContext context, SignInService signIn, IIdentityStore identity)
    {
        if (string.IsNullOrEmpty(request.Name) || request.Password is null || request.Password.Length > PasswordPolicy.MaxLength * 4)
        {
            return ApiResults.BadRequest("name and password are required");
        }
        var outcome = await signIn.WithPasswordAsync(request.Name.Trim(), request.Password, request.Code, Source(context), context.RequestAborted);
        return await AnswerAsync(outcome, context, identity);
    }

    /// <summary>Turns a sign-in outcome into the answer; on success the client's earlier session, if any, ends (no fixation).</summary>
    public static async Task<IResult> AnswerAsync(SignInOutcome outcome, HttpContext context, IIdentityStore identity)
    {
        switch (outcome)
        {
            case SignInOutcome.Success success:
                await BeginSessionAsync(success, context, identity);
                var session = success.Session.Record.Session;
                return ApiResults.Json(writer =>
                {
                    writer.WriteStartObject();
                    writer.WritePropertyName("user");
                    UsersApi.WriteUser(writer, success.User);
                    writer.WriteString("sessionExpiresAt", session.AbsoluteExpiresAt);
                    writer.WriteBoolean("mfaEnrolmentRequired", success.User.MustEnrolMfa);
                    writer.WriteEndObject();
                });
            case SignInOutcome.Throttled throttled:
                return ApiResults.Problem(StatusCodes.Status429TooManyRequests, "Too many attempts",
                    $"Too many failed sign-ins; try again in {RetryAfter(throttled.RetryAfter, context.Response)} s.");
            case SignInOutcome.SecondFactorRequired factor:
                return ApiResults.Problem(StatusCodes.Status401Unauthorized, "Second factor required",
                    "Send the name and password again with a TOTP or recovery code in \"code\", or sign in with a passkey.",
                    writer =>
                    {
                        writer.WriteBoolean("mfaRequired", true);
                        writer.WriteStartArray("methods");
                        foreach (var method in factor.Methods)
                        {
                            writer.WriteStringValue(method);
                        }
                        writer.WriteEndArray();
                    });
            default:
                return ApiResults.Problem(StatusCodes.Status401Unauthorized, "Sign-in failed", "The name, password or code is wrong, or the account is disabled.");
        }
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, IIdentityStore identity, IStore store, TimeProvider time)
    {
        await EndSessionAsync(context, identity, store, time);
        return Results.NoContent();
    }

    /// <summary>Ends every session of the caller, this one included (audited), and clears its cookie: the API's and the console's.</summary>
    public static async Task<int> EndEverySessionAsync(HttpContext context, IIdentityStore identity, IStore store, TimeProvider time)
    {
        var caller = Caller.From(context);
        var ended = await identity.RevokeSessionsAsync(caller.UserId, context.RequestAborted);
        await store.AppendAuditAsync(caller.Name, "auth.signout-everywhere", $"user/{caller.Name}", WorkItemActions.Details(("sessions", ended)), time.GetUtcNow(), context.RequestAborted);
        SessionCookie.Clear(context.Response);
        return ended;
    }

    /// <summary>Sets the cookie of a successful sign-in's new session, ending the one the client presented (no fixation).</summary>
    public static async Task BeginSessionAsync(SignInOutcome.Success success, HttpContext context, IIdentityStore identity)
    {
        await EndPresentedSessionAsync(context, identity);
        SessionCookie.Write(context.Response, success.Session.Token, success.Session.Record.Session.AbsoluteExpiresAt);
    }

    /// <summary>Ends the caller's session (audited) and clears its cookie: the API's and the console's sign-out.</summary>
    public static async Task EndSessionAsync(HttpContext context, IIdentityStore identity, IStore store, TimeProvider time)
    {
        var caller = Caller.From(context);
        if (caller.SessionId is { } sessionId)
        {
            await identity.RevokeSessionAsync(sessionId, context.RequestAborted);
            await store.AppendAuditAsync(caller.Name, "auth.signout", $"user/{caller.Name}", WorkItemActions.Details(("session", sessionId)), time.GetUtcNow(), context.RequestAborted);
        }
        SessionCookie.Clear(context.Response);
    }

    private static async Task<IResult> SignOutEverywhereAsync(HttpContext context, IIdentityStore identity, IStore store, TimeProvider time)
    {
        var ended = await EndEverySessionAsync(context, identity, store, time);
        return ApiResults.Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("sessionsEnded", ended);
            writer.WriteEndObject();
        });
    }

    private static async Task<IResult> MeAsync(HttpContext context, IIdentityStore identity)
    {
        var caller = Caller.From(context);
        if (await identity.GetUserAsync(caller.UserId, context.RequestAborted) is not { } user)
        {
            return ApiResults.NotFound("the caller's user is gone");
        }
        return ApiResults.Json(writer =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName("user");
            UsersApi.WriteUser(writer, user);
            writer.WriteString("method", caller.Method);
            writer.WriteString("effectiveRole", caller.Role.ToName());
            writer.WriteEndObject();
        });
    }

    private static async Task<IResult> ChangePasswordAsync(PasswordChangeRequest request, HttpContext context, SignInService signIn, IIdentityStore identity,
        PasswordPolicy policy, PasswordHasher hasher, IStore store, SessionOptions sessions, TimeProvider time)
    {
        var caller = Caller.From(context);
        var ct = context.RequestAborted;
        if (request.Current is null || request.New is null)
        {
            return ApiResults.BadRequest("current and new are required");
        }
        var (credentials, refused) = await signIn.VerifyPasswordAsync(caller.Name, request.Current, Source(context), "password-change", ct);
        if (refused is not null)
        {
            return await AnswerAsync(refused, context, identity);
        }
        var verdict = await policy.CheckAsync(request.New, caller.Name, credentials!.User.HasMfa, ct);
        if (!verdict.Accepted)
        {
            return ApiResults.BadRequest($"the new password is refused: {verdict.Reason}");
        }
        var now = time.GetUtcNow();
        await identity.SetPasswordAsync(caller.UserId, hasher.Hash(request.New), now, ct);
        await store.AppendAuditAsync(caller.Name, "user.password", $"user/{caller.Name}", WorkItemActions.Details(("by", caller.Name)), now, ct);
        await ReissueSessionAsync(context, identity, sessions, time);
        return Results.NoContent();
    }

    private static async Task<IResult> BeginTotpAsync(HttpContext context, IIdentityStore identity, Totp totp, Pending<byte[]> enrolments, ServerOptions options) =>
        await TotpEnrolment.BeginAsync(context, identity, totp, enrolments, options) switch
        {
            TotpBegun.Started started => ApiResults.Json(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("secret", started.Secret);
                writer.WriteString("uri", started.Uri);
                writer.WriteNumber("digits", started.Digits);
                writer.WriteNumber("period", started.Period);
                writer.WriteEndObject();
            }),
            TotpBegun.AlreadyEnrolled => ApiResults.Conflict("TOTP is enrolled already; an admin's reset-mfa removes it before a new enrolment"),
            TotpBegun.Busy => ApiResults.Problem(StatusCodes.Status503ServiceUnavailable, "Busy", "Too many enrolments in progress; try again shortly."),
            _ => ApiResults.NotFound("the caller's user is gone"),
        };

    private static async Task<IResult> ConfirmTotpAsync(TotpConfirmRequest request, HttpContext context, IIdentityStore identity, Totp totp,
        Pending<byte[]> enrolments, IStore store, SessionOptions sessions, TimeProvider time) =>
        await TotpEnrolment.ConfirmAsync(request.Code, context, identity, totp, enrolments, store, sessions, time) switch
        {
            TotpConfirmed.Enrolled enrolled => ApiResults.Json(writer =>
            {
                writer.WriteStartObject();
                WriteStrings(writer, "recoveryCodes", enrolled.RecoveryCodes);
                writer.WriteString("note", "Shown once: keep these codes somewhere safe; each signs in once in place of a TOTP code.");
                writer.WriteEndObject();
            }),
            TotpConfirmed.WrongCode => ApiResults.BadRequest("that code does not match: check the authenticator's clock and try the current code"),
            _ => ApiResults.Conflict("no TOTP enrolment in progress (or it expired): POST /api/v1/auth/totp/begin first"),
        };

    /// <summary>Body: {"code": a current code of the authenticator app}.</summary>
    private static async Task<IResult> RenewRecoveryCodesAsync(TotpConfirmRequest request, HttpContext context, IIdentityStore identity, Totp totp,
        SignInThrottle throttle, IStore store, TimeProvider time) =>
        await TotpEnrolment.RenewRecoveryCodesAsync(request.Code, context, identity, totp, throttle, store, time) switch
        {
            RecoveryCodesRenewed.Renewed renewed => ApiResults.Json(writer =>
            {
                writer.WriteStartObject();
                WriteStrings(writer, "recoveryCodes", renewed.RecoveryCodes);
                writer.WriteString("note", "Shown once: the earlier codes no longer work; each of these signs in once in place of a TOTP code.");
                writer.WriteEndObject();
            }),
            RecoveryCodesRenewed.NoTotp => ApiResults.Conflict("recovery codes stand in for an authenticator app, and none is enrolled"),
            RecoveryCodesRenewed.Throttled throttled => ApiResults.Problem(StatusCodes.Status429TooManyRequests, "Too many attempts",
                $"too many wrong codes; try again in {RetryAfter(throttled.RetryAfter, context.Response)} s"),
            _ => ApiResults.BadRequest("that code does not match (or was used already): enter the authenticator's current code"),
        };

    /// <summary>
    /// After a privilege change (MFA enrolled, password changed) the store has ended the user's sessions; a console
    /// caller gets a new session with a new id at once, so the change never keeps an old id alive.
    /// </summary>
    public static async Task ReissueSessionAsync(HttpContext context, IIdentityStore identity, SessionOptions sessions, TimeProvider time)
    {
        var caller = Caller.From(context);
        if (caller.SessionId is not { } old)
        {
            return;
        }
        await identity.RevokeSessionAsync(old, context.RequestAborted);
        if (await identity.GetCredentialsAsync(caller.UserId, context.RequestAborted) is not { } credentials)
        {
            SessionCookie.Clear(context.Response);
            return;
        }
        var now = time.GetUtcNow();
        var issued = Sessions.Issue(credentials, Guid.CreateVersion7(now), now, sessions);
        await identity.AddSessionAsync(issued.Record, context.RequestAborted);
        SessionCookie.Write(context.Response, issued.Token, issued.Record.Session.AbsoluteExpiresAt);
    }

    /// <summary>Ends the session whose cookie the client presented (a sign-in never keeps or adopts an earlier id).</summary>
    private static async Task EndPresentedSessionAsync(HttpContext context, IIdentityStore identity)
    {
        if (SessionCookie.Read(context.Request) is { } presented
            && await identity.FindSessionAsync(Sessions.Hash(presented), context.RequestAborted) is { } earlier)
        {
            await identity.RevokeSessionAsync(earlier.Id, context.RequestAborted);
        }
    }

    /// <summary>Whole seconds (at least one) until a throttled caller may try again; also sent as the Retry-After header.</summary>
    public static int RetryAfter(TimeSpan wait, HttpResponse response)
    {
        var seconds = (int)Math.Ceiling(Math.Max(1, wait.TotalSeconds));
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return seconds;
    }

    /// <summary>The address the request came from: the throttle's and the sign-in events' source.</summary>
    public static string Source(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    internal static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }
}
