using System.Text.Json;
using Fido2NetLib;
using Fido2NetLib.Objects;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Identity;
using Vedette.Server.Auth;
using Vedette.Storage;

namespace Vedette.Server.Api;

/// <summary>
/// Passkeys (WebAuthn, through the Fido2 package): registration for a signed-in user, and sign-in, either
/// passwordless (the authenticator verified the user: PIN or biometric) or as the second factor after the password.
/// Challenges are kept server-side for five minutes and answered once.
/// </summary>
internal static class PasskeysApi
{
    private const byte UserVerifiedFlag = 0x04;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapApi("POST", "/api/v1/auth/passkeys/register/begin", BeginRegistrationAsync);
        routes.MapApi("POST", "/api/v1/auth/passkeys/register/complete", CompleteRegistrationAsync);
        routes.MapApi("POST", "/api/v1/auth/passkeys/signin/begin", BeginSignInAsync);
        routes.MapApi("POST", "/api/v1/auth/passkeys/signin/complete", CompleteSignInAsync);
    }

    private static async Task<IResult> BeginRegistrationAsync(HttpContext context, IIdentityStore identity, IFido2 fido, PasskeyCeremonies ceremonies)
    {
        var caller = Caller.From(context);
        var ct = context.RequestAborted;
        if (await identity.GetUserAsync(caller.UserId, ct) is not { } user)
        {
            return ApiResults.NotFound("the caller's user is gone");
        }
        var existing = await identity.ListPasskeysAsync(user.Id, ct);
        // One WebAuthn user handle per user, random (not the name, not the id): it is what a passwordless sign-in returns.
        var handle = existing.Count > 0 ? existing[0].UserHandle : System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var options = fido.RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = handle, Name = user.Name, DisplayName = user.Name },
            ExcludeCredentials = [.. existing.Select(c => new PublicKeyCredentialDescriptor(c.CredentialId))],
            AuthenticatorSelection = new AuthenticatorSelection { ResidentKey = ResidentKeyRequirement.Preferred, UserVerification = UserVerificationRequirement.Preferred },
            AttestationPreference = AttestationConveyancePreference.None,
        });
        if (!ceremonies.Registrations.TryAdd(caller.UserId.ToString(), options))
        {
            return ApiResults.Problem(StatusCodes.Status503ServiceUnavailable, "Busy", "Too many passkey ceremonies in progress; try again shortly.");
        }
        return Results.Text(options.ToJson(), "application/json");
    }

    /// <summary>Body: {"name": "...", "response": the authenticator's attestation (PublicKeyCredential JSON)}.</summary>
    private static async Task<IResult> CompleteRegistrationAsync(JsonElement body, HttpContext context, IIdentityStore identity, IFido2 fido, PasskeyCeremonies ceremonies,
        IStore store, SessionOptions sessions, TimeProvider time)
    {
        var caller = Caller.From(context);
        var ct = context.RequestAborted;
        if (!ceremonies.Registrations.TryTake(caller.UserId.ToString(), out var options))
        {
            return ApiResults.Conflict("no passkey registration in progress (or it expired): POST /api/v1/auth/passkeys/register/begin first");
        }
        RegisteredPublicKeyCredential registered;
        try
        {
            var raw = Deserialize<AuthenticatorAttestationRawResponse>(body, "response");
            registered = await fido.MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = raw,
                OriginalOptions = options,
                IsCredentialIdUniqueToUserCallback = async (args, token) => await identity.FindPasskeyAsync(args.CredentialId, token) is null,
            }, ct);
        }
        catch (Exception ex) when (ex is Fido2VerificationException or JsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            return ApiResults.BadRequest($"the passkey could not be registered: {ex.Message}");
        }
        var now = time.GetUtcNow();
        var name = body.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(n.GetString()) ? n.GetString()!.Trim() : "passkey";
        var credential = new PasskeyCredential(registered.Id, caller.UserId, registered.PublicKey, registered.SignCount, registered.User.Id, registered.AaGuid,
            name.Length <= 64 ? name : name[..64], [.. (registered.Transports ?? []).Select(t => t.ToString().ToLowerInvariant())],
            registered.IsBackupEligible, registered.IsBackedUp, now, null);
        if (!await identity.AddPasskeyAsync(credential, ct))
        {
            return ApiResults.Conflict("this passkey is registered already");
        }
        await store.AppendAuditAsync(caller.Name, "user.mfa.passkey-add", $"user/{caller.Name}", WorkItemActions.Details(("passkey", name)), now, ct);
        await AuthApi.ReissueSessionAsync(context, identity, sessions, time);
        return ApiResults.Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("name", credential.Name);
            writer.WriteString("createdAt", now);
            writer.WriteBoolean("backedUp", credential.BackedUp);
            writer.WriteEndObject();
        }, StatusCodes.Status201Created);
    }

    /// <summary>Body (optional): {"name": "..."} to list that user's passkeys; without it, a discoverable-credential sign-in.</summary>
    private static async Task<IResult> BeginSignInAsync(HttpContext context, IIdentityStore identity, IFido2 fido, PasskeyCeremonies ceremonies)
    {
        var ct = context.RequestAborted;
        string? name = null;
        if (context.Request.ContentLength is not 0 && context.Request.HasJsonContentType())
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(context.Request.Body, default, ct);
                name = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
                    ? n.GetString()
                    : null;
            }
            catch (JsonException ex)
            {
                return ApiResults.BadRequest($"the body is not JSON: {ex.Message}");
            }
        }
        var allowed = name is not null && UserNames.Validate(name) is null && await identity.FindUserAsync(name, ct) is { } user
            ? await identity.ListPasskeysAsync(user.Id, ct)
            : [];
        var options = AssertionOptionsFor(fido, allowed);
        var ceremony = Secrets.Random(16);
        if (!ceremonies.Assertions.TryAdd(ceremony, options))
        {
            return ApiResults.Problem(StatusCodes.Status503ServiceUnavailable, "Busy", "Too many passkey ceremonies in progress; try again shortly.");
        }
        var optionsJson = options.ToJson();
        return ApiResults.Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("ceremony", ceremony);
            writer.WritePropertyName("options");
            writer.WriteRawValue(optionsJson);
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// Body: {"ceremony", "response": the assertion, "password"?}. Passwordless when the authenticator verified the user;
    /// otherwise the password must come along (the passkey is then the second factor).
    /// </summary>
    private static async Task<IResult> CompleteSignInAsync(JsonElement body, HttpContext context, IIdentityStore identity, IFido2 fido, PasskeyCeremonies ceremonies,
        SignInService signIn, SignInThrottle throttle, TimeProvider time)
    {
        var ct = context.RequestAborted;
        var source = AuthApi.Source(context);
        var ceremony = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("ceremony", out var c) ? c.GetString() : null;
        if (ceremony is null || !ceremonies.Assertions.TryTake(ceremony, out var options))
        {
            return ApiResults.Conflict("no passkey sign-in in progress under that ceremony (or it expired): POST /api/v1/auth/passkeys/signin/begin first");
        }
        AuthenticatorAssertionRawResponse raw;
        try
        {
            raw = Deserialize<AuthenticatorAssertionRawResponse>(body, "response");
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException)
        {
            return ApiResults.BadRequest($"the assertion could not be read: {ex.Message}");
        }
        var credential = raw.RawId is { } id ? await identity.FindPasskeyAsync(id, ct) : null;
        var user = credential is null ? null : await identity.GetUserAsync(credential.UserId, ct);
        var account = user?.Name ?? "(unknown passkey)";
        var decision = throttle.Check(account, source);
        if (!decision.Allowed)
        {
            return await AuthApi.AnswerAsync(new SignInOutcome.Throttled(decision.RetryAfter), context, identity);
        }
        if (credential is null || user is null)
        {
            return await AuthApi.AnswerAsync(await signIn.FailAsync(account, source, "unknown-passkey", "passkey", null, ct), context, identity);
        }
        var check = await VerifyAssertionAsync(raw, options, credential, fido, identity, time, ct);
        if (check == PasskeyCheck.Failed)
        {
            return await AuthApi.AnswerAsync(await signIn.FailAsync(user.Name, source, "bad-passkey", "passkey", user.Name, ct), context, identity);
        }
        var userVerified = check == PasskeyCheck.UserVerified;
        UserCredentials? credentials;
        if (userVerified)
        {
            credentials = await identity.GetCredentialsAsync(user.Id, ct);
            if (credentials is null || credentials.User.Disabled)
            {
                return await AuthApi.AnswerAsync(await signIn.FailAsync(user.Name, source, "disabled", "passkey", user.Name, ct), context, identity);
            }
        }
        else
        {
            var password = body.TryGetProperty("password", out var p) ? p.GetString() : null;
            if (password is null)
            {
                return ApiResults.Problem(StatusCodes.Status401Unauthorized, "Password required",
                    "The authenticator did not verify you (no PIN or biometric): send the password with the passkey.");
            }
            var (verified, refused) = await signIn.VerifyPasswordAsync(user.Name, password, source, "passkey", ct);
            if (refused is not null)
            {
                return await AuthApi.AnswerAsync(refused, context, identity);
            }
            credentials = verified;
        }
        return await AuthApi.AnswerAsync(await signIn.CompleteAsync(credentials!, source, userVerified ? "passkey" : "password+passkey", ct), context, identity);
    }

    /// <summary>
    /// Verifies an assertion against the stored passkey (signature, challenge, origin, owner of the handle) and records
    /// the use; says whether the authenticator also verified the user (PIN or biometric).
    /// </summary>
    internal static async Task<PasskeyCheck> VerifyAssertionAsync(AuthenticatorAssertionRawResponse raw, AssertionOptions options, PasskeyCredential credential,
        IFido2 fido, IIdentityStore identity, TimeProvider time, CancellationToken ct)
    {
        VerifyAssertionResult result;
        try
        {
            result = await fido.MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = raw,
                OriginalOptions = options,
                StoredPublicKey = credential.PublicKey,
                StoredSignatureCounter = (uint)credential.SignCount,
                IsUserHandleOwnerOfCredentialIdCallback = (args, _) =>
                    Task.FromResult(args.UserHandle.AsSpan().SequenceEqual(credential.UserHandle) && args.CredentialId.AsSpan().SequenceEqual(credential.CredentialId)),
            }, ct);
        }
        catch (Exception ex) when (ex is Fido2VerificationException or ArgumentException or InvalidOperationException)
        {
            return PasskeyCheck.Failed;
        }
        await identity.RecordPasskeyUseAsync(credential.CredentialId, result.SignCount, result.IsBackedUp, time.GetUtcNow(), ct);
        return raw.Response.AuthenticatorData is { Length: > 32 } data && (data[32] & UserVerifiedFlag) != 0 ? PasskeyCheck.UserVerified : PasskeyCheck.Present;
    }

    /// <summary>Assertion options that name these passkeys (none: any discoverable credential of this site).</summary>
    internal static AssertionOptions AssertionOptionsFor(IFido2 fido, IEnumerable<PasskeyCredential> passkeys) =>
        fido.GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = [.. passkeys.Select(c => new PublicKeyCredentialDescriptor(c.CredentialId))],
            UserVerification = UserVerificationRequirement.Preferred,
        });

    private static T Deserialize<T>(JsonElement body, string property) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(property, out var value)
            ? JsonSerializer.Deserialize<T>(value.GetRawText()) ?? throw new FormatException($"'{property}' is empty")
            : throw new FormatException($"the body needs '{property}'");
}

/// <summary>What an assertion proved: nothing, the user's presence with the passkey, or also the user (PIN or biometric).</summary>
internal enum PasskeyCheck
{
    Failed,
    Present,
    UserVerified,
}

/// <summary>Passkey challenges awaiting the authenticator's answer.</summary>
internal sealed class PasskeyCeremonies(TimeProvider time)
{
    public Pending<CredentialCreateOptions> Registrations { get; } = new(time, TimeSpan.FromMinutes(5));

    public Pending<AssertionOptions> Assertions { get; } = new(time, TimeSpan.FromMinutes(5));
}
