using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Vedette.Identity;
using Vedette.Server.Api;

namespace Vedette.Server.Auth;

/// <summary>Claim names the server puts on a signed-in caller.</summary>
internal static class VedetteClaims
{
    public const string Scheme = "vedette";
    public const string Role = "vedette:role";
    public const string UserId = "vedette:user";
    public const string Method = "vedette:method";
    public const string SessionId = "vedette:session";
    public const string TokenId = "vedette:token";

    /// <summary>Present when a lead or admin signed in without the second factor their role requires.</summary>
    public const string MfaEnrolmentOnly = "vedette:enrol-only";
}

/// <summary>Who is calling: from the principal the authentication handler built.</summary>
public sealed record Caller(Guid UserId, string Name, Role Role, string Method, Guid? SessionId, Guid? TokenId)
{
    public static Caller From(HttpContext context)
    {
        var user = context.User;
        return new Caller(
            Guid.Parse(user.FindFirstValue(VedetteClaims.UserId)!),
            user.Identity!.Name!,
            Roles.Parse(user.FindFirstValue(VedetteClaims.Role)!),
            user.FindFirstValue(VedetteClaims.Method)!,
            user.FindFirstValue(VedetteClaims.SessionId) is { } session ? Guid.Parse(session) : null,
            user.FindFirstValue(VedetteClaims.TokenId) is { } token ? Guid.Parse(token) : null);
    }
}

/// <summary>The authorization policies: one per role, "at least this role".</summary>
internal static class Access
{
    public static string Policy(Role role) => "role:" + role.ToName();

    public static IEnumerable<object> MetadataFor(ApiEndpoint entry) =>
        entry.MinRole is { } role ? [new AuthorizeAttribute(Policy(role))] : [new AllowAnonymousAttribute()];

    public static void AddPolicies(AuthorizationOptions options)
    {
        foreach (var role in Roles.All)
        {
            options.AddPolicy(Policy(role), policy => policy
                .AddAuthenticationSchemes(VedetteClaims.Scheme)
                .RequireAuthenticatedUser()
                .AddRequirements(new MinimumRoleRequirement(role)));
        }
        // Anything mapped without an entry in the table (which start-up refuses anyway) still needs a signed-in caller.
        options.FallbackPolicy = new AuthorizationPolicyBuilder(VedetteClaims.Scheme).RequireAuthenticatedUser().Build();
    }
}

internal sealed record MinimumRoleRequirement(Role Role) : IAuthorizationRequirement;

/// <summary>
/// Grants when the caller's role is at least the endpoint's. A caller signed in only to enrol a second factor passes
/// only on endpoints marked for enrolment.
/// </summary>
internal sealed class MinimumRoleHandler : AuthorizationHandler<MinimumRoleRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MinimumRoleRequirement requirement)
    {
        if (context.User.FindFirstValue(VedetteClaims.Role) is not { } roleName || !Roles.TryParse(roleName, out var role) || role < requirement.Role)
        {
            return Task.CompletedTask;
        }
        if (context.User.HasClaim(c => c.Type == VedetteClaims.MfaEnrolmentOnly))
        {
            var entry = (context.Resource as HttpContext)?.GetEndpoint()?.Metadata.GetMetadata<ApiEndpoint>();
            if (entry is not { DuringMfaEnrolment: true })
            {
                context.Fail(new AuthorizationFailureReason(this, "your role requires a second factor: enrol TOTP or a passkey first"));
                return Task.CompletedTask;
            }
        }
        context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
