namespace Vedette.Identity;

/// <summary>A user as lists and APIs may show it: no password hash, no TOTP secret, no recovery codes.</summary>
public sealed record UserSummary(
    Guid Id,
    string Name,
    Role Role,
    bool Disabled,
    bool TotpEnabled,
    int RecoveryCodesLeft,
    int PasskeyCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>A second factor is enrolled: TOTP or at least one passkey.</summary>
    public bool HasMfa => TotpEnabled || PasskeyCount > 0;

    /// <summary>The user's role demands MFA and none is enrolled: the server lets them sign in only to enrol it.</summary>
    public bool MustEnrolMfa => Role.RequiresMfa() && !HasMfa;
}

/// <summary>
/// What sign-in verification needs, and nothing a list may return. Only <see cref="IIdentityStore.GetCredentialsAsync"/>
/// produces it; never serialize it.
/// </summary>
public sealed record UserCredentials(
    UserSummary User,
    string? PasswordHash,
    byte[]? TotpSecret,
    long? TotpLastStep,
    string SecurityStamp)
{
    // A record prints every property: keep secrets out of logs and exception messages.
    public override string ToString() => $"UserCredentials {{ User = {User.Name} }}";
}

/// <summary>A user to create; <see cref="PasswordHash"/> is a PHC string from <see cref="PasswordHasher"/>, or null for a passkey-only user.</summary>
public sealed record NewUser(Guid Id, string Name, Role Role, string? PasswordHash, DateTimeOffset CreatedAt)
{
    public override string ToString() => $"NewUser {{ Name = {Name}, Role = {Role.ToName()} }}";
}
