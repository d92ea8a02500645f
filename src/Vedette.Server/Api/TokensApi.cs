using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Identity;
using Vedette.Server.Auth;
using Vedette.Storage;

namespace Vedette.Server.Api;

/// <summary>Body of a new token: its name, and optionally whose (leads and admins), which role (at most the user's) and lifetime in days (default 90, as the CLI's).</summary>
public sealed record TokenRequest(string? Name = null, string? User = null, string? Role = null, double? ExpiresDays = null);

/// <summary>A token just issued: the secret, shown this once, and the record the store keeps (its hash, not the token).</summary>
internal sealed record CreatedToken(string Token, ApiToken Record)
{
    public override string ToString() => $"CreatedToken {{ Id = {Record.Id} }}";
}

/// <summary>
/// API tokens: anyone manages their own; a lead or admin also those of others. A token is shown once, at creation;
/// revocation takes effect on the next request (tokens are looked up on every request, never cached).
/// </summary>
internal static class TokensApi
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapApi("GET", "/api/v1/tokens", ListAsync);
        routes.MapApi("POST", "/api/v1/tokens", CreateAsync);
        routes.MapApi("DELETE", "/api/v1/tokens/{id}", RevokeAsync);
    }

    public const double DefaultLifetimeDays = 90;

    private static bool ManagesOthers(Caller caller) => caller.Role >= Role.Lead;

    private static async Task<IResult> ListAsync(HttpContext context, IIdentityStore identity)
    {
        var caller = Caller.From(context);
        var ct = context.RequestAborted;
        Guid? userId = caller.UserId;
        if (Filters.Text(context.Request.Query["user"]) is { } name)
        {
            if (!ManagesOthers(caller) && !string.Equals(name, caller.Name, StringComparison.OrdinalIgnoreCase))
            {
                return Forbidden("listing another user's tokens").ToProblem();
            }
            userId = name == "*" ? null : (await identity.FindUserAsync(name, ct))?.Id;
            if (name != "*" && userId is null)
            {
                return ApiResults.NotFound($"no user {name}");
            }
        }
        var tokens = await identity.ListTokensAsync(userId, ct);
        return ApiResults.Page(tokens, null, WriteToken);
    }

    private static async Task<IResult> CreateAsync(TokenRequest request, HttpContext context, IIdentityStore identity, IStore store, TimeProvider time) =>
        (await TryCreateAsync(request, context, identity, store, time)).Answer(created => ApiResults.Json(writer =>
        {
            writer.WriteStartObject();
            // Shown once: only its hash is kept.
            writer.WriteString("token", created.Token);
            writer.WritePropertyName("record");
            WriteToken(writer, created.Record);
            writer.WriteEndObject();
        }, StatusCodes.Status201Created));

    private static async Task<IResult> RevokeAsync(Guid id, HttpContext context, IIdentityStore identity, IStore store, TimeProvider time) =>
        (await TryRevokeAsync(id, context, identity, store, time)).Answer(_ => Results.NoContent());

    /// <summary>Issues a token for the caller or (leads and admins) another user, at most that user's role; audited.</summary>
    public static async Task<Outcome<CreatedToken>> TryCreateAsync(TokenRequest request, HttpContext context, IIdentityStore identity, IStore store, TimeProvider time)
    {
        var caller = Caller.From(context);
        var ct = context.RequestAborted;
        var owner = await identity.GetUserAsync(caller.UserId, ct);
        if (request.User is { } name && !string.Equals(name, caller.Name, StringComparison.OrdinalIgnoreCase))
        {
            if (!ManagesOthers(caller))
            {
                return Forbidden("creating a token for another user");
            }
            owner = await identity.FindUserAsync(name, ct);
            if (owner is null)
            {
                return Refusal.NotFound($"no user {name}");
            }
        }
        if (owner is null || owner.Disabled)
        {
            return Refusal.Conflict("the token's user is disabled or gone");
        }
        var role = owner.Role;
        if (request.Role is not null && !Roles.TryParse(request.Role, out role))
        {
            return Refusal.BadRequest($"role must be one of {UsersApi.RoleChoices}");
        }
        // A caller cannot mint more than it has: a token made with a token is capped at that token's role.
        if (role > owner.Role || (owner.Id == caller.UserId && role > caller.Role))
        {
            return Refusal.BadRequest($"a token's role cannot be above {(owner.Id == caller.UserId ? caller.Role : owner.Role).ToName()}");
        }
        if (request.ExpiresDays is <= 0 or > 3650)
        {
            return Refusal.BadRequest("expiresDays must be more than 0 and at most 3650 (default 90)");
        }
        var now = time.GetUtcNow();
        var issued = ApiTokens.Issue(owner, role, string.IsNullOrWhiteSpace(request.Name) ? "api" : request.Name.Trim(), Guid.CreateVersion7(now), now,
            TimeSpan.FromDays(request.ExpiresDays ?? DefaultLifetimeDays));
        await identity.AddTokenAsync(issued.Record, ct);
        await store.AppendAuditAsync(caller.Name, "token.create", $"token/{issued.Record.Id}",
            WorkItemActions.Details(("user", owner.Name), ("role", role.ToName()), ("name", issued.Record.Name), ("expiresAt", issued.Record.ExpiresAt)), now, ct);
        return new CreatedToken(issued.Token, (await identity.GetTokenAsync(issued.Record.Id, ct))!);
    }

    /// <summary>Revokes one's own token, or (leads and admins) anyone's; audited. The result is the token as it was before.</summary>
    public static async Task<Outcome<ApiToken>> TryRevokeAsync(Guid id, HttpContext context, IIdentityStore identity, IStore store, TimeProvider time)
    {
        var caller = Caller.From(context);
        var ct = context.RequestAborted;
        if (await identity.GetTokenAsync(id, ct) is not { } token)
        {
            return Refusal.NotFound($"no token {id}");
        }
        if (token.UserId != caller.UserId && !ManagesOthers(caller))
        {
            return Forbidden("revoking another user's token");
        }
        var now = time.GetUtcNow();
        if (!await identity.RevokeTokenAsync(id, caller.Name, now, ct))
        {
            return Refusal.Conflict($"token {id} was revoked already");
        }
        await store.AppendAuditAsync(caller.Name, "token.revoke", $"token/{id}", WorkItemActions.Details(("user", token.UserName)), now, ct);
        return token;
    }

    private static Refusal Forbidden(string what) => Refusal.Forbidden($"{what} needs the role lead or above");

    /// <summary>A token as the API lists it: never the token, never its hash.</summary>
    private static void WriteToken(Utf8JsonWriter writer, ApiToken token)
    {
        writer.WriteStartObject();
        writer.WriteString("id", token.Id);
        writer.WriteString("user", token.UserName);
        writer.WriteString("role", token.Role.ToName());
        writer.WriteString("name", token.Name);
        writer.WriteString("createdAt", token.CreatedAt);
        if (token.ExpiresAt is { } expires)
        {
            writer.WriteString("expiresAt", expires);
        }
        else
        {
            writer.WriteNull("expiresAt");
        }
        if (token.RevokedAt is { } revoked)
        {
            writer.WriteString("revokedAt", revoked);
        }
        else
        {
            writer.WriteNull("revokedAt");
        }
        writer.WriteString("revokedBy", token.RevokedBy);
        writer.WriteEndObject();
    }
}
