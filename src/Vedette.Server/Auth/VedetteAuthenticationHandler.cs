using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vedette.Identity;
using Vedette.Server.Api;

namespace Vedette.Server.Auth;

/// <summary>
/// Authenticates every request from an API token (<c>Authorization: Bearer vdt_…</c>) or the console's session
/// cookie, looked up by hash in the identity store on every request: a revoked token or ended session fails at once,
/// with no cache to outlive it. Refusals are answered as problem details (401, 403).
/// </summary>
internal sealed class VedetteAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IIdentityStore identity,
    SessionOptions sessions,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                ? await FromTokenAsync(authorization["Bearer ".Length..].Trim())
                : AuthenticateResult.Fail("only Bearer tokens are accepted in Authorization");
        }
        return SessionCookie.Read(Request) is { } cookie ? await FromSessionAsync(cookie) : AuthenticateResult.NoResult();
    }

    private async Task<AuthenticateResult> FromTokenAsync(string presented)
    {
        if (!ApiTokens.LooksLikeToken(presented))
        {
            return AuthenticateResult.Fail("not a Vedette API token");
        }
        var token = await identity.FindTokenAsync(ApiTokens.Hash(presented), Context.RequestAborted);
        var user = token is null ? null : await identity.GetUserAsync(token.UserId, Context.RequestAborted);
        var state = ApiTokens.Check(token, user, time.GetUtcNow());
        if (state != TokenState.Valid)
        {
            return AuthenticateResult.Fail($"token {TokenStateName(state)}");
        }
        var claims = new List<Claim>
        {
            new(VedetteClaims.Method, "token"),
            new(VedetteClaims.TokenId, token!.Id.ToString()),
        };
        return Success(user!, token.EffectiveRole(user!.Role), claims);
    }

    private async Task<AuthenticateResult> FromSessionAsync(string cookie)
    {
        var session = await identity.FindSessionAsync(Sessions.Hash(cookie), Context.RequestAborted);
        var credentials = session is null ? null : await identity.GetCredentialsAsync(session.UserId, Context.RequestAborted);
        var now = time.GetUtcNow();
        var state = Sessions.Check(session, credentials, now);
        if (state != SessionState.Valid)
        {
            if (session is not null && state is SessionState.Expired or SessionState.IdleExpired or SessionState.StampChanged or SessionState.UserDisabled)
            {
                await identity.RevokeSessionAsync(session.Id, Context.RequestAborted);
            }
            return AuthenticateResult.Fail($"session {state}");
        }
        if (Sessions.Touch(session!, now, sessions) is { } idleExpiry)
        {
            await identity.TouchSessionAsync(session!.Id, now, idleExpiry, Context.RequestAborted);
        }
        var user = credentials!.User;
        var claims = new List<Claim>
        {
            new(VedetteClaims.Method, "session"),
            new(VedetteClaims.SessionId, session!.Id.ToString()),
        };
        if (user.MustEnrolMfa)
        {
            claims.Add(new Claim(VedetteClaims.MfaEnrolmentOnly, "true"));
        }
        return Success(user, user.Role, claims);
    }

    private static AuthenticateResult Success(UserSummary user, Role role, List<Claim> claims)
    {
        claims.Add(new Claim(ClaimTypes.Name, user.Name));
        claims.Add(new Claim(VedetteClaims.UserId, user.Id.ToString()));
        claims.Add(new Claim(VedetteClaims.Role, role.ToName()));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, VedetteClaims.Scheme, ClaimTypes.Name, VedetteClaims.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, VedetteClaims.Scheme));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Console.ConsoleSecurity.IsConsole(Request.Path))
        {
            // A browser is sent to the form; 303 turns a form post into a GET of the sign-in page.
            Response.StatusCode = HttpMethods.IsGet(Request.Method) || HttpMethods.IsHead(Request.Method) ? StatusCodes.Status302Found : StatusCodes.Status303SeeOther;
            Response.Headers.Location = "/console/signin";
            return Task.CompletedTask;
        }
        Response.Headers.WWWAuthenticate = "Bearer realm=\"vedette\"";
        return ApiResults.WriteProblemAsync(Context, StatusCodes.Status401Unauthorized, "Not signed in",
            "Send an API token (Authorization: Bearer vdt_...) or sign in at POST /api/v1/auth/signin.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var entry = Context.GetEndpoint()?.Metadata.GetMetadata<ApiEndpoint>();
        var enrolOnly = Context.User.HasClaim(c => c.Type == VedetteClaims.MfaEnrolmentOnly);
        var detail = enrolOnly
            ? "Your role requires a second factor: enrol TOTP (POST /api/v1/auth/totp/begin) or a passkey first."
            : $"This needs the role {entry?.MinRole?.ToName() ?? "?"} or above.";
        if (Console.ConsoleSecurity.IsConsole(Request.Path))
        {
            return enrolOnly
                ? Console.AccountPages.WriteEnrolFirstAsync(Context)
                : Console.ConsolePages.WriteMessageAsync(Context, StatusCodes.Status403Forbidden, "Not allowed", detail);
        }
        return ApiResults.WriteProblemAsync(Context, StatusCodes.Status403Forbidden, "Not allowed", detail);
    }

    private static string TokenStateName(TokenState state) => state switch
    {
        TokenState.Expired => "expired",
        TokenState.Revoked => "revoked",
        TokenState.UserDisabled => "of a disabled user",
        _ => "unknown",
    };
}
