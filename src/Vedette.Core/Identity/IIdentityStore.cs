namespace Vedette.Identity;

/// <summary>
/// Where users, their credentials, API tokens, console sessions and passkeys are kept. Secrets are stored only as
/// hashes (tokens, session ids, recovery codes), except the TOTP secret, which verification needs; it leaves the store
/// only in <see cref="UserCredentials"/>. Every change of password, role, disabled state or MFA gives the user a new
/// security stamp and ends their sessions, in the same transaction.
/// </summary>
public interface IIdentityStore
{
    /// <summary>Adds a user; false when the name is taken (names are unique case-insensitively).</summary>
    Task<bool> AddUserAsync(NewUser user, CancellationToken cancellationToken);

    /// <summary>The user with this name (case-insensitive), or null.</summary>
    Task<UserSummary?> FindUserAsync(string name, CancellationToken cancellationToken);

    Task<UserSummary?> GetUserAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>Every user, by name.</summary>
    Task<IReadOnlyList<UserSummary>> ListUsersAsync(CancellationToken cancellationToken);

    /// <summary>What sign-in verification needs: password hash, TOTP secret and last step, security stamp.</summary>
    Task<UserCredentials?> GetCredentialsAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>Sets a new password hash; new security stamp, sessions ended. False when there is no such user.</summary>
    Task<bool> SetPasswordAsync(Guid userId, string passwordHash, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the hash of the same password made with older parameters (after a successful sign-in), only if the
    /// stored hash is still <paramref name="currentHash"/>. The stamp stays: nothing about the user's security changed.
    /// </summary>
    Task<bool> RehashPasswordAsync(Guid userId, string currentHash, string newHash, CancellationToken cancellationToken);

    /// <summary>Changes the role; new security stamp, sessions ended. False when there is no such user.</summary>
    Task<bool> SetRoleAsync(Guid userId, Role role, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Disables or re-enables; new security stamp, sessions ended. False when there is no such user.</summary>
    Task<bool> SetDisabledAsync(Guid userId, bool disabled, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Enrols TOTP with its recovery codes (hashes), replacing any earlier enrolment; new security stamp, sessions ended.</summary>
    Task<bool> EnableTotpAsync(Guid userId, byte[] secret, IReadOnlyCollection<string> recoveryCodeHashes, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Replaces the user's recovery codes with new ones (hashes); the old ones stop working. Sessions stay: no factor changed.</summary>
    Task<bool> ReplaceRecoveryCodesAsync(Guid userId, IReadOnlyCollection<string> recoveryCodeHashes, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Removes every second factor (TOTP, recovery codes, passkeys); new security stamp, sessions ended.</summary>
    Task<bool> ResetMfaAsync(Guid userId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Records <paramref name="step"/> as the last TOTP step used, only if it is after the one stored: false means the
    /// code's step was used already (a replay, or a concurrent sign-in with the same code), or there is no such user.
    /// </summary>
    Task<bool> TryAcceptTotpStepAsync(Guid userId, long step, CancellationToken cancellationToken);

    /// <summary>Uses up a recovery code (by hash): true once, false ever after or for a code the user does not have.</summary>
    Task<bool> TryUseRecoveryCodeAsync(Guid userId, string codeHash, DateTimeOffset at, CancellationToken cancellationToken);

    Task AddTokenAsync(NewApiToken token, CancellationToken cancellationToken);

    /// <summary>The token whose hash this is (revoked and expired ones too: the caller says why it is refused).</summary>
    Task<ApiToken?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken);

    Task<ApiToken?> GetTokenAsync(Guid tokenId, CancellationToken cancellationToken);

    /// <summary>Tokens oldest first, of one user or of all; revoked and expired ones included.</summary>
    Task<IReadOnlyList<ApiToken>> ListTokensAsync(Guid? userId, CancellationToken cancellationToken);

    /// <summary>Revokes a token at once; false when there is no such token or it was revoked already.</summary>
    Task<bool> RevokeTokenAsync(Guid tokenId, string by, DateTimeOffset at, CancellationToken cancellationToken);

    Task AddSessionAsync(NewSession session, CancellationToken cancellationToken);

    /// <summary>The session whose id hashes to this, or null (also once revoked).</summary>
    Task<Session?> FindSessionAsync(string tokenHash, CancellationToken cancellationToken);

    Task<IReadOnlyList<Session>> ListSessionsAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>Records activity; false when the session is gone.</summary>
    Task<bool> TouchSessionAsync(Guid sessionId, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken);

    /// <summary>Ends one session (sign out); false when there was none.</summary>
    Task<bool> RevokeSessionAsync(Guid sessionId, CancellationToken cancellationToken);

    /// <summary>Ends every session of a user (sign out everywhere); returns how many.</summary>
    Task<int> RevokeSessionsAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>Deletes sessions past their idle or absolute expiry; returns how many.</summary>
    Task<int> DeleteExpiredSessionsAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Registers a passkey; false when its credential id is registered already. New security stamp, sessions ended.</summary>
    Task<bool> AddPasskeyAsync(PasskeyCredential credential, CancellationToken cancellationToken);

    Task<PasskeyCredential?> FindPasskeyAsync(byte[] credentialId, CancellationToken cancellationToken);

    Task<IReadOnlyList<PasskeyCredential>> ListPasskeysAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>Passkeys by WebAuthn user handle, for passwordless sign-in (the authenticator returns the handle).</summary>
    Task<IReadOnlyList<PasskeyCredential>> ListPasskeysByUserHandleAsync(byte[] userHandle, CancellationToken cancellationToken);

    /// <summary>Records a verified assertion: the new sign count, backup state and time. False when the credential is gone.</summary>
    Task<bool> RecordPasskeyUseAsync(byte[] credentialId, long signCount, bool backedUp, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Removes one of the user's passkeys; new security stamp, sessions ended. False when the user has no such passkey.</summary>
    Task<bool> RemovePasskeyAsync(Guid userId, byte[] credentialId, DateTimeOffset at, CancellationToken cancellationToken);
}
