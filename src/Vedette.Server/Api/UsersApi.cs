using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Identity;
using Vedette.Server.Auth;
using Vedette.Storage;

namespace Vedette.Server.Api;

public sealed record NewUserRequest(string Name, string Role, string? Password = null);

public sealed record RoleRequest(string Role);

/// <summary>Users (admins only). Every change gives the user a new security stamp, which ends their sessions.</summary>
internal static class UsersApi
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapApi("GET", "/api/v1/users", ListAsync);
        routes.MapApi("POST", "/api/v1/users", AddAsync);
        routes.MapApi("PUT", "/api/v1/users/{name}/role", SetRoleAsync);
        routes.MapApi("POST", "/api/v1/users/{name}/disable", (string name, HttpContext context, IIdentityStore identity, IStore store, TimeProvider time) =>
            SetDisabledAsync(name, true, context, identity, store, time));
        routes.MapApi("POST", "/api/v1/users/{name}/enable", (string name, HttpContext context, IIdentityStore identity, IStore store, TimeProvider time) =>
            SetDisabledAsync(name, false, context, identity, store, time));
        routes.MapApi("POST", "/api/v1/users/{name}/reset-mfa", ResetMfaAsync);
    }

    /// <summary>A user as the API shows it: never a hash, secret or code.</summary>
    public static void WriteUser(Utf8JsonWriter writer, UserSummary user)
    {
        writer.WriteStartObject();
        writer.WriteString("id", user.Id);
        writer.WriteString("name", user.Name);
        writer.WriteString("role", user.Role.ToName());
        writer.WriteBoolean("disabled", user.Disabled);
        writer.WriteBoolean("totpEnabled", user.TotpEnabled);
        writer.WriteNumber("recoveryCodesLeft", user.RecoveryCodesLeft);
        writer.WriteNumber("passkeys", user.PasskeyCount);
        writer.WriteBoolean("mustEnrolMfa", user.MustEnrolMfa);
        writer.WriteString("createdAt", user.CreatedAt);
        writer.WriteString("updatedAt", user.UpdatedAt);
        writer.WriteEndObject();
    }

    private static async Task<IResult> ListAsync(HttpContext context, IIdentityStore identity)
    {
        var users = await identity.ListUsersAsync(context.RequestAborted);
        return ApiResults.Page(users, null, WriteUser);
    }

    private static async Task<IResult> AddAsync(NewUserRequest request, HttpContext context, IIdentityStore identity, PasswordPolicy policy, PasswordHasher hasher, IStore store, TimeProvider time) =>
        (await TryAddAsync(request, context, identity, policy, hasher, store, time)).Answer(user => ApiResults.Json(writer => WriteUser(writer, user), StatusCodes.Status201Created));

    private static async Task<IResult> SetRoleAsync(string name, RoleRequest request, HttpContext context, IIdentityStore identity, IStore store, TimeProvider time) =>
        Answer(await TrySetRoleAsync(name, request.Role, context, identity, store, time));

    private static async Task<IResult> SetDisabledAsync(string name, bool disabled, HttpContext context, IIdentityStore identity, IStore store, TimeProvider time) =>
        Answer(await TrySetDisabledAsync(name, disabled, context, identity, store, time));

    private static async Task<IResult> ResetMfaAsync(string name, HttpContext context, IIdentityStore identity, IStore store, TimeProvider time) =>
        Answer(await TryResetMfaAsync(name, context, identity, store, time));

    private static IResult Answer(Outcome<UserSummary> outcome) => outcome.Answer(user => ApiResults.Json(writer => WriteUser(writer, user)));

    public static string RoleChoices { get; } = string.Join(", ", Roles.All.Select(r => r.ToName()));

    public static async Task<Outcome<UserSummary>> TryAddAsync(NewUserRequest request, HttpContext context, IIdentityStore identity, PasswordPolicy policy, PasswordHasher hasher, IStore store, TimeProvider time)
    {
        var ct = context.RequestAborted;
        if (UserNames.Validate(request.Name) is { } nameProblem)
        {
            return Refusal.BadRequest(nameProblem);
        }
        if (!Roles.TryParse(request.Role, out var role))
        {
            return Refusal.BadRequest($"role must be one of {RoleChoices}");
        }
        string? hash = null;
        if (request.Password is not null)
        {
            // A new user has no second factor yet: the longer minimum applies.
            var verdict = await policy.CheckAsync(request.Password, request.Name, hasMfa: false, ct);
            if (!verdict.Accepted)
            {
                return Refusal.BadRequest($"the password is refused: {verdict.Reason}");
            }
            hash = hasher.Hash(request.Password);
        }
        var now = time.GetUtcNow();
        if (!await identity.AddUserAsync(new NewUser(Guid.CreateVersion7(now), request.Name, role, hash, now), ct))
        {
            return Refusal.Conflict($"a user named '{request.Name}' exists already");
        }
        var caller = Caller.From(context);
        await store.AppendAuditAsync(caller.Name, "user.add", $"user/{request.Name}", WorkItemActions.Details(("role", role.ToName()), ("password", hash is not null)), now, ct);
        return (await identity.FindUserAsync(request.Name, ct))!;
    }

    public static async Task<Outcome<UserSummary>> TrySetRoleAsync(string name, string? roleName, HttpContext context, IIdentityStore identity, IStore store, TimeProvider time)
    {
        var ct = context.RequestAborted;
        if (!Roles.TryParse(roleName, out var role))
        {
            return Refusal.BadRequest($"role must be one of {RoleChoices}");
        }
        if (await identity.FindUserAsync(name, ct) is not { } user)
        {
            return Refusal.NotFound($"no user {name}");
        }
        var now = time.GetUtcNow();
        await identity.SetRoleAsync(user.Id, role, now, ct);
        await store.AppendAuditAsync(Caller.From(context).Name, "user.role", $"user/{user.Name}",
            WorkItemActions.Details(("from", user.Role.ToName()), ("to", role.ToName())), now, ct);
        return (await identity.GetUserAsync(user.Id, ct))!;
    }

    /// <summary>Disabling ends the user's sessions (new security stamp) and makes their tokens fail (the user is checked on every request).</summary>
    public static async Task<Outcome<UserSummary>> TrySetDisabledAsync(string name, bool disabled, HttpContext context, IIdentityStore identity, IStore store, TimeProvider time)
    {
        var ct = context.RequestAborted;
        if (await identity.FindUserAsync(name, ct) is not { } user)
        {
            return Refusal.NotFound($"no user {name}");
        }
        var caller = Caller.From(context);
        if (disabled && user.Id == caller.UserId)
        {
            return Refusal.Conflict("an admin cannot disable themselves");
        }
        var now = time.GetUtcNow();
        await identity.SetDisabledAsync(user.Id, disabled, now, ct);
        await store.AppendAuditAsync(caller.Name, disabled ? "user.disable" : "user.enable", $"user/{user.Name}", "{}", now, ct);
        return (await identity.GetUserAsync(user.Id, ct))!;
    }

    public static async Task<Outcome<UserSummary>> TryResetMfaAsync(string name, HttpContext context, IIdentityStore identity, IStore store, TimeProvider time)
    {
        var ct = context.RequestAborted;
        if (await identity.FindUserAsync(name, ct) is not { } user)
        {
            return Refusal.NotFound($"no user {name}");
        }
        var now = time.GetUtcNow();
        await identity.ResetMfaAsync(user.Id, now, ct);
        await store.AppendAuditAsync(Caller.From(context).Name, "user.mfa.reset", $"user/{user.Name}", "{}", now, ct);
        return (await identity.GetUserAsync(user.Id, ct))!;
    }
}
