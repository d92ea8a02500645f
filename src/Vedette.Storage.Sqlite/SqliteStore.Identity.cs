using Vedette.Identity;

namespace Vedette.Storage.Sqlite;

/// <summary>
/// The identity half of the embedded store (<see cref="IIdentityStore"/>): the same writer lock and transactions as
/// every other write, so the CLI can change users while a server runs on the same file (WAL, busy timeout).
/// </summary>
public sealed partial class SqliteStore
{
    public Task<bool> AddUserAsync(NewUser user, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _identity.AddUser(user), cancellationToken);

    public Task<UserSummary?> FindUserAsync(string name, CancellationToken cancellationToken) =>
        ReadAsync(connection => IdentityReads.FindUserAsync(connection, name, cancellationToken), cancellationToken);

    public Task<UserSummary?> GetUserAsync(Guid userId, CancellationToken cancellationToken) =>
        ReadAsync(connection => IdentityReads.GetUserAsync(connection, userId, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<UserSummary>> ListUsersAsync(CancellationToken cancellationToken) =>
        ReadAsync(connection => IdentityReads.ListUsersAsync(connection, cancellationToken), cancellationToken);

    public Task<UserCredentials?> GetCredentialsAsync(Guid userId, CancellationToken cancellationToken) =>
        ReadAsync(connection => IdentityReads.GetCredentialsAsync(connection, userId, cancellationToken), cancellationToken);

    public Task<bool> SetPasswordAsync(Guid userId, string passwordHash, DateTimeOffset at, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _identity.SetPassword(userId, passwordHash, at), cancellationToken);

    public Task<bool> RehashPasswordAsync(Guid userId, string currentHash, string newHash, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _identity.Rehash(userId, currentHash, newHash), cancellationToken);

    public Task<bool> SetRoleAsync(Guid userId, Role role, DateTimeOffset at, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _identity.SetRole(userId, role, at), cancellationToken);

    public Task<bool> SetDisabledAsync(Guid userId, bool disabled, DateTimeOffset at, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _identity.SetDisabled(userId, disabled, at), cancellationToken);

    public Task<bool> EnableTotpAsync(Guid userId, byte[] secret, IReadOnlyCollection<string> recoveryCodeHashes, DateTimeOffset at, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _identity.EnableTotp(userId, secret, recoveryCodeHashes, at), cancellationToken);

    public Task<bool> ReplaceRecoveryCodesAsync(Guid userId, IReadOnlyCollection<string> recoveryCodeHashes, DateTimeOffset at, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _identity.ReplaceRecoveryCodes(userId, recoveryCodeHashes), cancellationToken);

    public Task<bool> ResetMfaAsync(Guid userId, DateTimeOffset at, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _identity.ResetMfa(userId, at), cancellationToken);

    public Task<bool> TryAcceptTotpStepAsync(Guid userId, long step, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _identity.AcceptTotpStep(userId, step), cancellationToken);

    public Task<bool> TryUseRecoveryCodeAsync(Guid userId, string codeHash, DateTimeOffset at, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _identity.UseRecoveryCode(userId, codeHash), cancellationToken);

    public Task AddTokenAsync(NewApiToken token, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _identity.AddToken(token), cancellationToken);

    public Task<ApiToken?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken) =>
        ReadAsync(connection => IdentityReads.FindTokenAsync(connection, tokenHash, cancellationToken), cancellationToken);

    public Task<ApiToken?> GetTokenAsync(Guid tokenId, CancellationToken cancellationToken) =>
        ReadAsync(connection => IdentityReads.GetTokenAsync(connection, tokenId, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ApiToken>> ListTokensAsync(Guid? userId, CancellationToken cancellationToken) =>
        ReadAsync(connection => IdentityReads.ListTokensAsync(connection, userId, cancellationToken), cancellationToken);

    public Task<bool> RevokeTokenAsync(Guid tokenId, string by, DateTimeOffset at, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _identity.RevokeToken(tokenId, by, at), cancellationToken);

    public Task AddSessionAsync(NewSession session, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _identity.AddSession(session), cancellationToken);

    public Task<Session?> FindSessionAsync(string tokenHash, CancellationToken cancellationToken) =>
        ReadAsync(connection => IdentityReads.FindSessionAsync(connection, tokenHash, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Session>> ListSessionsAsync(Guid userId, CancellationToken cancellationToken) =>
        ReadAsync(connection => IdentityReads.ListSessionsAsync(connection, userId, cancellationToken), cancellationToken);

    public Task<bool> TouchSessionAsync(Guid sessionId, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _identity.TouchSession(sessionId, lastSeenAt, idleExpiresAt), cancellationToken);

    public Task<bool> RevokeSessionAsync(Guid sessionId, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _identity.RevokeSession(sessionId), cancellationToken);

    public Task<int> RevokeSessionsAsync(Guid userId, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _identity.RevokeSessions(userId), cancellationToken);

    public Task<int> DeleteExpiredSessionsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _identity.DeleteExpiredSessions(now), cancellationToken);

    public Task<bool> AddPasskeyAsync(PasskeyCredential credential, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _identity.AddPasskey(credential), cancellationToken);

    public Task<PasskeyCredential?> FindPasskeyAsync(byte[] credentialId, CancellationToken cancellationToken) =>
        ReadAsync(connection => IdentityReads.FindPasskeyAsync(connection, credentialId, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<PasskeyCredential>> ListPasskeysAsync(Guid userId, CancellationToken cancellationToken) =>
        ReadAsync(connection => IdentityReads.ListPasskeysAsync(connection, userId, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<PasskeyCredential>> ListPasskeysByUserHandleAsync(byte[] userHandle, CancellationToken cancellationToken) =>
        ReadAsync(connection => IdentityReads.ListPasskeysByUserHandleAsync(connection, userHandle, cancellationToken), cancellationToken);

    public Task<bool> RecordPasskeyUseAsync(byte[] credentialId, long signCount, bool backedUp, DateTimeOffset at, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _identity.RecordPasskeyUse(credentialId, signCount, backedUp, at), cancellationToken);

    public Task<bool> RemovePasskeyAsync(Guid userId, byte[] credentialId, DateTimeOffset at, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _identity.RemovePasskey(userId, credentialId, at), cancellationToken);
}
