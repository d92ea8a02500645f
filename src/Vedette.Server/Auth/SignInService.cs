using Microsoft.Extensions.Logging;
using Vedette.Identity;
using Vedette.Storage;

namespace Vedette.Server.Auth;

/// <summary>What a sign-in attempt came to.</summary>
internal abstract record SignInOutcome
{
    /// <summary>A new session (never an id the client had before): its token goes into the cookie only.</summary>
    public sealed record Success(IssuedSession Session, UserSummary User) : SignInOutcome;

    /// <summary>The account or the source address is held back: retry after the delay (429).</summary>
    public sealed record Throttled(TimeSpan RetryAfter) : SignInOutcome;

    /// <summary>Wrong name, password or second factor, or a disabled user: one answer for all, so none is told apart.</summary>
    public sealed record Failed : SignInOutcome;

    /// <summary>The password was right and the user has MFA: send again with a code, or use the passkey endpoints.</summary>
    public sealed record SecondFactorRequired(IReadOnlyList<string> Methods, UserSummary User) : SignInOutcome;
}

/// <summary>
/// Sign-in: throttle per account and source address (checked before any verification), Argon2id password check
/// (with a dummy check for unknown names, so timing does not tell which exist), TOTP (each time step once) or a
/// single-use recovery code, rehash when the parameters changed, then a brand-new session. Every failure is audited
/// and becomes an event in the pipeline.
/// </summary>
internal sealed class SignInService(
    IIdentityStore identity,
    IStore store,
    PasswordHasher hasher,
    Totp totp,
    SignInThrottle throttle,
    SessionOptions sessions,
    SignInEvents events,
    TimeProvider time,
    ILogger<SignInService> logger)
{
    public async Task<SignInOutcome> WithPasswordAsync(string name, string password, string? code, string source, CancellationToken ct)
    {
        var first = await VerifyPasswordAsync(name, password, source, "password", ct);
        if (first.Outcome is { } refused)
        {
            return refused;
        }
        var credentials = first.Credentials!;
        var user = credentials.User;
        if (user.HasMfa)
        {
            if (string.IsNullOrWhiteSpace(code))
            {
                return new SignInOutcome.SecondFactorRequired(Methods(user), user);
            }
            var factor = await VerifySecondFactorAsync(credentials, code, ct);
            if (factor is not null)
            {
                return await FailAsync(name, source, factor, "password", user.Name, ct);
            }
        }
        return await CompleteAsync(credentials, source, "password", ct);
    }

    /// <summary>
    /// Step one, shared by the passkey-as-second-factor path: throttle and password. Returns the credentials, or the
    /// outcome to answer with (already audited and counted).
    /// </summary>
    public async Task<(UserCredentials? Credentials, SignInOutcome? Outcome)> VerifyPasswordAsync(string name, string password, string source, string method, CancellationToken ct)
    {
        if (Throttled(name, source, method) is { } throttled)
        {
            return (null, throttled);
        }
        var user = UserNames.Validate(name) is null ? await identity.FindUserAsync(name, ct) : null;
        var credentials = user is null ? null : await identity.GetCredentialsAsync(user.Id, ct);
        if (credentials?.PasswordHash is not { } hash || credentials.User.Disabled)
        {
            hasher.VerifyNothing(password);
            var reason = credentials is null ? "unknown-user" : credentials.User.Disabled ? "disabled" : "no-password";
            return (null, await FailAsync(name, source, reason, method, credentials?.User.Name, ct));
        }
        var check = hasher.Verify(hash, password);
        if (check == PasswordCheck.Failed)
        {
            return (null, await FailAsync(name, source, "bad-password", method, credentials.User.Name, ct));
        }
        if (check == PasswordCheck.VerifiedNeedsRehash)
        {
            // Same password, current parameters; only if nobody changed the hash meanwhile.
            await identity.RehashPasswordAsync(credentials.User.Id, hash, hasher.Hash(password), ct);
            LogMessages.PasswordRehashed(logger, credentials.User.Name);
        }
        return (credentials, null);
    }

    /// <summary>
    /// Step two when it comes separately (the console's second form): the user whose password was verified moments
    /// ago sends a TOTP or recovery code. Throttled, audited and counted like <see cref="WithPasswordAsync"/>.
    /// </summary>
    public async Task<SignInOutcome> WithSecondFactorAsync(Guid userId, string name, string code, string source, CancellationToken ct)
    {
        if (Throttled(name, source, "password") is { } throttled)
        {
            return throttled;
        }
        var credentials = await identity.GetCredentialsAsync(userId, ct);
        if (credentials is null || credentials.User.Disabled)
        {
            return await FailAsync(name, source, credentials is null ? "unknown-user" : "disabled", "password", credentials?.User.Name, ct);
        }
        var reason = string.IsNullOrWhiteSpace(code) ? "bad-second-factor" : await VerifySecondFactorAsync(credentials, code.Trim(), ct);
        if (reason is not null)
        {
            return await FailAsync(name, source, reason, "password", credentials.User.Name, ct);
        }
        return await CompleteAsync(credentials, source, "password", ct);
    }

    /// <summary>Checked before any verification: a throttled attempt never reaches the password or the code.</summary>
    private SignInOutcome.Throttled? Throttled(string name, string source, string method)
    {
        var decision = throttle.Check(name, source);
        if (decision.Allowed)
        {
            return null;
        }
        events.Failure(name, source, "throttled", method);
        LogMessages.SignInThrottled(logger, name, source, decision.Scope.ToString(), decision.RetryAfter.TotalSeconds);
        return new SignInOutcome.Throttled(decision.RetryAfter);
    }

    /// <summary>Null when the code is an unused TOTP code or recovery code of the user; otherwise the failure reason.</summary>
    public async Task<string?> VerifySecondFactorAsync(UserCredentials credentials, string code, CancellationToken ct)
    {
        var userId = credentials.User.Id;
        if (credentials.User.TotpEnabled && credentials.TotpSecret is { } secret)
        {
            var check = totp.Verify(secret, code, credentials.TotpLastStep);
            if (check.Outcome == TotpOutcome.Accepted)
            {
                // Atomic in the store: of two sign-ins racing with one code, one wins.
                return await identity.TryAcceptTotpStepAsync(userId, check.Step, ct) ? null : "totp-replay";
            }
            if (check.Outcome == TotpOutcome.Replayed)
            {
                return "totp-replay";
            }
        }
        return await identity.TryUseRecoveryCodeAsync(userId, RecoveryCodes.Hash(code), time.GetUtcNow(), ct) ? null : "bad-second-factor";
    }

    /// <summary>Issues the session and records the success; the caller sets the cookie and revokes any session the client had.</summary>
    public async Task<SignInOutcome> CompleteAsync(UserCredentials credentials, string source, string method, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var issued = Sessions.Issue(credentials, Guid.CreateVersion7(now), now, sessions);
        await identity.AddSessionAsync(issued.Record, ct);
        throttle.RecordSuccess(credentials.User.Name, source);
        await store.AppendAuditAsync(credentials.User.Name, "auth.signin", $"user/{credentials.User.Name}",
            Api.WorkItemActions.Details(("method", method), ("source", source), ("session", issued.Record.Session.Id)), now, ct);
        LogMessages.SignedIn(logger, credentials.User.Name, source, method);
        return new SignInOutcome.Success(issued, credentials.User);
    }

    public async Task<SignInOutcome> FailAsync(string name, string source, string reason, string method, string? knownUser, CancellationToken ct)
    {
        throttle.RecordFailure(name, source);
        events.Failure(name, source, reason, method);
        // The audit names the account tried (as typed when unknown), never the password.
        await store.AppendAuditAsync(knownUser ?? name, "auth.signin.failure", $"user/{knownUser ?? name}",
            Api.WorkItemActions.Details(("reason", reason), ("method", method), ("source", source)), time.GetUtcNow(), ct);
        LogMessages.SignInFailed(logger, name, source, reason);
        return new SignInOutcome.Failed();
    }

    private static List<string> Methods(UserSummary user)
    {
        var methods = new List<string>();
        if (user.TotpEnabled)
        {
            methods.Add("totp");
        }
        if (user.RecoveryCodesLeft > 0)
        {
            methods.Add("recovery-code");
        }
        if (user.PasskeyCount > 0)
        {
            methods.Add("passkey");
        }
        return methods;
    }
}
