namespace Vedette.Identity;

/// <summary>
/// A WebAuthn credential (passkey) registered by a user: what an assertion is verified against. The public key is the
/// COSE key as the authenticator sent it; the sign count is the last one seen (a count that goes backwards hints at a
/// cloned authenticator). Nothing here is secret, but it stays out of API replies all the same.
/// </summary>
public sealed record PasskeyCredential(
    byte[] CredentialId,
    Guid UserId,
    byte[] PublicKey,
    long SignCount,
    byte[] UserHandle,
    Guid Aaguid,
    string Name,
    IReadOnlyList<string> Transports,
    bool BackupEligible,
    bool BackedUp,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt);
