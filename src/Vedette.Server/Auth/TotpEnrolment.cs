using Microsoft.AspNetCore.Http;
using Vedette.Identity;
using Vedette.Server.Api;
using Vedette.Storage;

namespace Vedette.Server.Auth;

/// <summary>How starting a TOTP enrolment came out.</summary>
internal abstract record TotpBegun
{
    /// <summary>The one time the secret leaves the server: the user must put it into an authenticator.</summary>
    public sealed record Started(string Secret, string Uri, int Digits, int Period) : TotpBegun;

    public sealed record AlreadyEnrolled : TotpBegun;

    /// <summary>Too many enrolments in progress on the server.</summary>
    public sealed record Busy : TotpBegun;

    public sealed record UserGone : TotpBegun;
}

/// <summary>How confirming a TOTP enrolment with the first code came out.</summary>
internal abstract record TotpConfirmed
{
    /// <summary>Enrolled; the recovery codes are in plain text here and nowhere else, ever.</summary>
    public sealed record Enrolled(IReadOnlyList<string> RecoveryCodes) : TotpConfirmed;

    public sealed record NotStarted : TotpConfirmed;

    /// <summary>The code does not match; the enrolment stays open for another try.</summary>
    public sealed record WrongCode : TotpConfirmed;
}

/// <summary>How renewing the recovery codes came out.</summary>
internal abstract record RecoveryCodesRenewed
{
    /// <summary>The new codes in plain text, here only; the old ones no longer work.</summary>
    public sealed record Renewed(IReadOnlyList<string> RecoveryCodes) : RecoveryCodesRenewed;

    /// <summary>Recovery codes stand in for the authenticator app: without one there is nothing to renew.</summary>
    public sealed record NoTotp : RecoveryCodesRenewed;

    public sealed record WrongCode : RecoveryCodesRenewed;

    public sealed record Throttled(TimeSpan RetryAfter) : RecoveryCodesRenewed;
}

/// <summary>
/// TOTP enrolment for the signed-in caller, in two steps: a secret kept server-side for ten minutes, then the first code
/// from the authenticator, which proves it was set up. Shared by the API and the console's account page.
/// </summary>
internal static class TotpEnrolment
{
    public static async Task<TotpBegun> BeginAsync(HttpContext context, IIdentityStore identity, Totp totp, Pending<byte[]> enrolments, ServerOptions options)
    {
        var caller = Caller.From(context);
        if (await identity.GetUserAsync(caller.UserId, context.RequestAborted) is not { } user)
        {
            return new TotpBegun.UserGone();
        }
        if (user.TotpEnabled)
        {
            return new TotpBegun.AlreadyEnrolled();
        }
        var secret = Totp.GenerateSecret();
        if (!enrolments.TryAdd(caller.UserId.ToString(), secret))
        {
            return new TotpBegun.Busy();
        }
        return new TotpBegun.Started(Totp.ToBase32(secret), totp.ProvisioningUri(secret, options.ServerName, user.Name), totp.Digits, Totp.StepSeconds);
    }

    /// <summary>
    /// New recovery codes for the caller (the old ones stop working), given a current code from the authenticator app:
    /// a stolen session alone must not be able to mint a lasting second factor. Wrong codes count against the sign-in
    /// throttle like a wrong code at sign-in, and each code is accepted once.
    /// </summary>
    public static async Task<RecoveryCodesRenewed> RenewRecoveryCodesAsync(string? code, HttpContext context, IIdentityStore identity, Totp totp,
        SignInThrottle throttle, IStore store, TimeProvider time)
    {
        var caller = Caller.From(context);
        var ct = context.RequestAborted;
        var source = Api.AuthApi.Source(context);
        if (await identity.GetCredentialsAsync(caller.UserId, ct) is not { TotpSecret: { } secret } credentials)
        {
            return new RecoveryCodesRenewed.NoTotp();
        }
        var decision = throttle.Check(caller.Name, source);
        if (!decision.Allowed)
        {
            return new RecoveryCodesRenewed.Throttled(decision.RetryAfter);
        }
        var check = totp.Verify(secret, code?.Trim() ?? "", credentials.TotpLastStep);
        if (check.Outcome != TotpOutcome.Accepted || !await identity.TryAcceptTotpStepAsync(caller.UserId, check.Step, ct))
        {
            throttle.RecordFailure(caller.Name, source);
            return new RecoveryCodesRenewed.WrongCode();
        }
        var codes = RecoveryCodes.Generate();
        var now = time.GetUtcNow();
        await identity.ReplaceRecoveryCodesAsync(caller.UserId, [.. codes.Select(RecoveryCodes.Hash)], now, ct);
        await store.AppendAuditAsync(caller.Name, "user.mfa.recovery-codes-renew", $"user/{caller.Name}", WorkItemActions.Details(("recoveryCodes", codes.Count)), now, ct);
        return new RecoveryCodesRenewed.Renewed(codes);
    }

    /// <summary>On success the user's sessions end (the store changes the stamp) and a console caller gets a new one.</summary>
    public static async Task<TotpConfirmed> ConfirmAsync(string? code, HttpContext context, IIdentityStore identity, Totp totp, Pending<byte[]> enrolments,
        IStore store, SessionOptions sessions, TimeProvider time)
    {
        var caller = Caller.From(context);
        var ct = context.RequestAborted;
        var key = caller.UserId.ToString();
        if (!enrolments.TryTake(key, out var secret))
        {
            return new TotpConfirmed.NotStarted();
        }
        var check = totp.Verify(secret, code?.Trim() ?? "", lastAcceptedStep: null);
        if (check.Outcome != TotpOutcome.Accepted)
        {
            enrolments.TryAdd(key, secret);
            return new TotpConfirmed.WrongCode();
        }
        var codes = RecoveryCodes.Generate();
        var now = time.GetUtcNow();
        await identity.EnableTotpAsync(caller.UserId, secret, [.. codes.Select(RecoveryCodes.Hash)], now, ct);
        // The enrolment code itself may not sign in afterwards.
        await identity.TryAcceptTotpStepAsync(caller.UserId, check.Step, ct);
        await store.AppendAuditAsync(caller.Name, "user.mfa.totp-enrol", $"user/{caller.Name}", WorkItemActions.Details(("recoveryCodes", codes.Count)), now, ct);
        await AuthApi.ReissueSessionAsync(context, identity, sessions, time);
        return new TotpConfirmed.Enrolled(codes);
    }
}
