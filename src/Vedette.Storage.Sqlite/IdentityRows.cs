using Microsoft.Data.Sqlite;
using Vedette.Identity;

namespace Vedette.Storage.Sqlite;

/// <summary>
/// Identity writes on the writer connection, each run inside the store's write transaction. Every change that
/// matters to security (password, role, disabled, MFA, passkeys) also gives the user a new security stamp and deletes
/// their sessions, in that same transaction: no session outlives the state it was opened in.
/// </summary>
internal sealed class IdentityRows(SqliteConnection writer) : IDisposable
{
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    private readonly Statement _insertUser = new(writer, """
        INSERT INTO users (id, name, role, password_hash, disabled, security_stamp, created_at, updated_at)
        VALUES (@id, @name, @role, @password_hash, 0, @stamp, @at, @at)
        """);

    private readonly Statement _stamp = new(writer, "UPDATE users SET security_stamp = @stamp, updated_at = @at WHERE id = @id");
    private readonly Statement _endSessions = new(writer, "DELETE FROM sessions WHERE user_id = @id");
    private readonly Statement _setPassword = new(writer, "UPDATE users SET password_hash = @hash WHERE id = @id");
    private readonly Statement _rehash = new(writer, "UPDATE users SET password_hash = @new WHERE id = @id AND password_hash = @old");
    private readonly Statement _setRole = new(writer, "UPDATE users SET role = @role WHERE id = @id");
    private readonly Statement _setDisabled = new(writer, "UPDATE users SET disabled = @disabled WHERE id = @id");
    private readonly Statement _setTotp = new(writer, "UPDATE users SET totp_secret = @secret, totp_last_step = NULL WHERE id = @id");
    private readonly Statement _userExists = new(writer, "SELECT count(*) FROM users WHERE id = @id");
    private readonly Statement _deleteCodes = new(writer, "DELETE FROM recovery_codes WHERE user_id = @id");
    private readonly Statement _insertCode = new(writer, "INSERT OR IGNORE INTO recovery_codes (user_id, code_hash) VALUES (@id, @hash)");
    private readonly Statement _useCode = new(writer, "DELETE FROM recovery_codes WHERE user_id = @id AND code_hash = @hash");
    private readonly Statement _deletePasskeys = new(writer, "DELETE FROM passkeys WHERE user_id = @id");

    // Conditional on the stored step: two sign-ins racing with one code cannot both win.
    private readonly Statement _acceptStep = new(writer, """
        UPDATE users SET totp_last_step = @step
        WHERE id = @id AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < @step)
        """);

    private readonly Statement _insertToken = new(writer, """
        INSERT INTO api_tokens (id, token_hash, user_id, role, name, created_at, expires_at)
        VALUES (@id, @hash, @user_id, @role, @name, @created_at, @expires_at)
        """);

    private readonly Statement _revokeToken = new(writer, "UPDATE api_tokens SET revoked_at = @at, revoked_by = @by WHERE id = @id AND revoked_at IS NULL");

    private readonly Statement _insertSession = new(writer, """
        INSERT INTO sessions (id, token_hash, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, security_stamp)
        VALUES (@id, @hash, @user_id, @created_at, @last_seen_at, @idle_expires_at, @absolute_expires_at, @stamp)
        """);

    private readonly Statement _touchSession = new(writer, """
        UPDATE sessions SET last_seen_at = @last_seen_at, idle_expires_at = min(@idle_expires_at, absolute_expires_at) WHERE id = @id
        """);

    private readonly Statement _deleteSession = new(writer, "DELETE FROM sessions WHERE id = @id");
    private readonly Statement _deleteExpired = new(writer, "DELETE FROM sessions WHERE idle_expires_at <= @now OR absolute_expires_at <= @now");

    private readonly Statement _insertPasskey = new(writer, """
        INSERT INTO passkeys (credential_id, user_id, public_key, sign_count, user_handle, aaguid, name, transports, backup_eligible, backed_up, created_at, last_used_at)
        VALUES (@credential_id, @user_id, @public_key, @sign_count, @user_handle, @aaguid, @name, @transports, @backup_eligible, @backed_up, @created_at, @last_used_at)
        """);

    private readonly Statement _usePasskey = new(writer, """
        UPDATE passkeys SET sign_count = @sign_count, backed_up = @backed_up, last_used_at = @at WHERE credential_id = @credential_id
        """);

    private readonly Statement _deletePasskey = new(writer, "DELETE FROM passkeys WHERE user_id = @id AND credential_id = @credential_id");

    public bool AddUser(NewUser user)
    {
        _insertUser.Set("@id", Columns.Id(user.Id));
        _insertUser.Set("@name", user.Name);
        _insertUser.Set("@role", (long)user.Role);
        _insertUser.Set("@password_hash", user.PasswordHash);
        _insertUser.Set("@stamp", NewStamp());
        _insertUser.Set("@at", Columns.Time(user.CreatedAt));
        try
        {
            _insertUser.Execute();
            return true;
        }
        catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteConstraintUnique)
        {
            return false;
        }
    }

    public bool SetPassword(Guid userId, string passwordHash, DateTimeOffset at)
    {
        _setPassword.Set("@id", Columns.Id(userId));
        _setPassword.Set("@hash", passwordHash);
        return _setPassword.Execute() > 0 && Restamp(userId, at);
    }

    public bool Rehash(Guid userId, string currentHash, string newHash)
    {
        _rehash.Set("@id", Columns.Id(userId));
        _rehash.Set("@old", currentHash);
        _rehash.Set("@new", newHash);
        return _rehash.Execute() > 0;
    }

    public bool SetRole(Guid userId, Role role, DateTimeOffset at)
    {
        _setRole.Set("@id", Columns.Id(userId));
        _setRole.Set("@role", (long)role);
        return _setRole.Execute() > 0 && Restamp(userId, at);
    }

    public bool SetDisabled(Guid userId, bool disabled, DateTimeOffset at)
    {
        _setDisabled.Set("@id", Columns.Id(userId));
        _setDisabled.Set("@disabled", disabled ? 1L : 0L);
        return _setDisabled.Execute() > 0 && Restamp(userId, at);
    }

    public bool EnableTotp(Guid userId, byte[] secret, IReadOnlyCollection<string> codeHashes, DateTimeOffset at)
    {
        _setTotp.Set("@id", Columns.Id(userId));
        _setTotp.Set("@secret", secret);
        if (_setTotp.Execute() == 0)
        {
            return false;
        }
        ReplaceCodes(userId, codeHashes);
        return Restamp(userId, at);
    }

    public bool ReplaceRecoveryCodes(Guid userId, IReadOnlyCollection<string> codeHashes)
    {
        _userExists.Set("@id", Columns.Id(userId));
        if (_userExists.ExecuteInt64() == 0)
        {
            return false;
        }
        // New codes for the same factor change nobody's access: sessions stay.
        ReplaceCodes(userId, codeHashes);
        return true;
    }

    public bool ResetMfa(Guid userId, DateTimeOffset at)
    {
        _setTotp.Set("@id", Columns.Id(userId));
        _setTotp.Set("@secret", (byte[]?)null);
        if (_setTotp.Execute() == 0)
        {
            return false;
        }
        ReplaceCodes(userId, []);
        _deletePasskeys.Set("@id", Columns.Id(userId));
        _deletePasskeys.Execute();
        return Restamp(userId, at);
    }

    public bool AcceptTotpStep(Guid userId, long step)
    {
        _acceptStep.Set("@id", Columns.Id(userId));
        _acceptStep.Set("@step", step);
        return _acceptStep.Execute() > 0;
    }

    public bool UseRecoveryCode(Guid userId, string codeHash)
    {
        _useCode.Set("@id", Columns.Id(userId));
        _useCode.Set("@hash", codeHash);
        return _useCode.Execute() > 0;
    }

    public void AddToken(NewApiToken token)
    {
        _insertToken.Set("@id", Columns.Id(token.Id));
        _insertToken.Set("@hash", token.TokenHash);
        _insertToken.Set("@user_id", Columns.Id(token.UserId));
        _insertToken.Set("@role", (long)token.Role);
        _insertToken.Set("@name", token.Name);
        _insertToken.Set("@created_at", Columns.Time(token.CreatedAt));
        _insertToken.Set("@expires_at", Columns.Time(token.ExpiresAt));
        _insertToken.Execute();
    }

    public bool RevokeToken(Guid tokenId, string by, DateTimeOffset at)
    {
        _revokeToken.Set("@id", Columns.Id(tokenId));
        _revokeToken.Set("@by", by);
        _revokeToken.Set("@at", Columns.Time(at));
        return _revokeToken.Execute() > 0;
    }

    public void AddSession(NewSession record)
    {
        var session = record.Session;
        _insertSession.Set("@id", Columns.Id(session.Id));
        _insertSession.Set("@hash", record.TokenHash);
        _insertSession.Set("@user_id", Columns.Id(session.UserId));
        _insertSession.Set("@created_at", Columns.Time(session.CreatedAt));
        _insertSession.Set("@last_seen_at", Columns.Time(session.LastSeenAt));
        _insertSession.Set("@idle_expires_at", Columns.Time(session.IdleExpiresAt));
        _insertSession.Set("@absolute_expires_at", Columns.Time(session.AbsoluteExpiresAt));
        _insertSession.Set("@stamp", session.SecurityStamp);
        _insertSession.Execute();
    }

    public bool TouchSession(Guid sessionId, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt)
    {
        _touchSession.Set("@id", Columns.Id(sessionId));
        _touchSession.Set("@last_seen_at", Columns.Time(lastSeenAt));
        _touchSession.Set("@idle_expires_at", Columns.Time(idleExpiresAt));
        return _touchSession.Execute() > 0;
    }

    public bool RevokeSession(Guid sessionId)
    {
        _deleteSession.Set("@id", Columns.Id(sessionId));
        return _deleteSession.Execute() > 0;
    }

    public int RevokeSessions(Guid userId)
    {
        _endSessions.Set("@id", Columns.Id(userId));
        return _endSessions.Execute();
    }

    public int DeleteExpiredSessions(DateTimeOffset now)
    {
        _deleteExpired.Set("@now", Columns.Time(now));
        return _deleteExpired.Execute();
    }

    public bool AddPasskey(PasskeyCredential credential)
    {
        _insertPasskey.Set("@credential_id", credential.CredentialId);
        _insertPasskey.Set("@user_id", Columns.Id(credential.UserId));
        _insertPasskey.Set("@public_key", credential.PublicKey);
        _insertPasskey.Set("@sign_count", credential.SignCount);
        _insertPasskey.Set("@user_handle", credential.UserHandle);
        _insertPasskey.Set("@aaguid", Columns.Id(credential.Aaguid));
        _insertPasskey.Set("@name", credential.Name);
        _insertPasskey.Set("@transports", string.Join(',', credential.Transports));
        _insertPasskey.Set("@backup_eligible", credential.BackupEligible ? 1L : 0L);
        _insertPasskey.Set("@backed_up", credential.BackedUp ? 1L : 0L);
        _insertPasskey.Set("@created_at", Columns.Time(credential.CreatedAt));
        _insertPasskey.Set("@last_used_at", Columns.Time(credential.LastUsedAt));
        try
        {
            _insertPasskey.Execute();
        }
        catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteConstraintPrimaryKey)
        {
            return false;
        }
        return Restamp(credential.UserId, credential.CreatedAt);
    }

    public bool RecordPasskeyUse(byte[] credentialId, long signCount, bool backedUp, DateTimeOffset at)
    {
        _usePasskey.Set("@credential_id", credentialId);
        _usePasskey.Set("@sign_count", signCount);
        _usePasskey.Set("@backed_up", backedUp ? 1L : 0L);
        _usePasskey.Set("@at", Columns.Time(at));
        return _usePasskey.Execute() > 0;
    }

    public bool RemovePasskey(Guid userId, byte[] credentialId, DateTimeOffset at)
    {
        _deletePasskey.Set("@id", Columns.Id(userId));
        _deletePasskey.Set("@credential_id", credentialId);
        return _deletePasskey.Execute() > 0 && Restamp(userId, at);
    }

    public void Dispose()
    {
        foreach (var statement in new[]
        {
            _insertUser, _stamp, _endSessions, _setPassword, _rehash, _setRole, _setDisabled, _setTotp, _userExists, _deleteCodes,
            _insertCode, _useCode, _deletePasskeys, _acceptStep, _insertToken, _revokeToken, _insertSession, _touchSession,
            _deleteSession, _deleteExpired, _insertPasskey, _usePasskey, _deletePasskey,
        })
        {
            statement.Dispose();
        }
    }

    private void ReplaceCodes(Guid userId, IReadOnlyCollection<string> codeHashes)
    {
        _deleteCodes.Set("@id", Columns.Id(userId));
        _deleteCodes.Execute();
        foreach (var hash in codeHashes)
        {
            _insertCode.Set("@id", Columns.Id(userId));
            _insertCode.Set("@hash", hash);
            _insertCode.Execute();
        }
    }

    private bool Restamp(Guid userId, DateTimeOffset at)
    {
        _stamp.Set("@id", Columns.Id(userId));
        _stamp.Set("@stamp", NewStamp());
        _stamp.Set("@at", Columns.Time(at));
        var changed = _stamp.Execute() > 0;
        _endSessions.Set("@id", Columns.Id(userId));
        _endSessions.Execute();
        return changed;
    }

    private static string NewStamp() => Secrets.Random(16);
}
