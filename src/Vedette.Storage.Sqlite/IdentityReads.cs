using Microsoft.Data.Sqlite;
using Vedette.Identity;

namespace Vedette.Storage.Sqlite;

/// <summary>
/// Identity reads on pooled reader connections. Summaries select no secret column at all; only
/// <see cref="GetCredentialsAsync"/> reads the password hash, the TOTP secret and the stamp.
/// </summary>
internal static class IdentityReads
{
    private const string SummaryColumns = """
        u.id, u.name, u.role, u.disabled, u.totp_secret IS NOT NULL,
        (SELECT count(*) FROM recovery_codes r WHERE r.user_id = u.id),
        (SELECT count(*) FROM passkeys p WHERE p.user_id = u.id),
        u.created_at, u.updated_at
        """;

    private const string TokenColumns = """
        SELECT t.id, t.user_id, u.name, t.role, t.name, t.created_at, t.expires_at, t.revoked_at, t.revoked_by
        FROM api_tokens t JOIN users u ON u.id = t.user_id
        """;

    private const string SessionColumns =
        "SELECT id, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, security_stamp FROM sessions";

    private const string PasskeyColumns = """
        SELECT credential_id, user_id, public_key, sign_count, user_handle, aaguid, name, transports, backup_eligible, backed_up, created_at, last_used_at
        FROM passkeys
        """;

    public static async Task<UserSummary?> FindUserAsync(SqliteConnection connection, string name, CancellationToken cancellationToken) =>
        (await ListAsync(connection, $"SELECT {SummaryColumns} FROM users u WHERE u.name = @key", ("@key", name), ReadSummary, cancellationToken)).FirstOrNull();

    public static async Task<UserSummary?> GetUserAsync(SqliteConnection connection, Guid id, CancellationToken cancellationToken) =>
        (await ListAsync(connection, $"SELECT {SummaryColumns} FROM users u WHERE u.id = @key", ("@key", Columns.Id(id)), ReadSummary, cancellationToken)).FirstOrNull();

    public static Task<IReadOnlyList<UserSummary>> ListUsersAsync(SqliteConnection connection, CancellationToken cancellationToken) =>
        ListAsync(connection, $"SELECT {SummaryColumns} FROM users u ORDER BY u.name", null, ReadSummary, cancellationToken);

    public static async Task<UserCredentials?> GetCredentialsAsync(SqliteConnection connection, Guid id, CancellationToken cancellationToken) =>
        (await ListAsync(connection, $"SELECT {SummaryColumns}, u.password_hash, u.totp_secret, u.totp_last_step, u.security_stamp FROM users u WHERE u.id = @key",
            ("@key", Columns.Id(id)),
            reader => new UserCredentials(
                ReadSummary(reader),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : (byte[])reader.GetValue(10),
                reader.IsDBNull(11) ? null : reader.GetInt64(11),
                reader.GetString(12)),
            cancellationToken)).FirstOrNull();

    public static async Task<ApiToken?> FindTokenAsync(SqliteConnection connection, string tokenHash, CancellationToken cancellationToken) =>
        (await ListAsync(connection, $"{TokenColumns} WHERE t.token_hash = @key", ("@key", tokenHash), ReadToken, cancellationToken)).FirstOrNull();

    public static async Task<ApiToken?> GetTokenAsync(SqliteConnection connection, Guid id, CancellationToken cancellationToken) =>
        (await ListAsync(connection, $"{TokenColumns} WHERE t.id = @key", ("@key", Columns.Id(id)), ReadToken, cancellationToken)).FirstOrNull();

    public static Task<IReadOnlyList<ApiToken>> ListTokensAsync(SqliteConnection connection, Guid? userId, CancellationToken cancellationToken) =>
        userId is { } id
            ? ListAsync(connection, $"{TokenColumns} WHERE t.user_id = @key ORDER BY t.created_at, t.id", ("@key", Columns.Id(id)), ReadToken, cancellationToken)
            : ListAsync(connection, $"{TokenColumns} ORDER BY t.created_at, t.id", null, ReadToken, cancellationToken);

    public static async Task<Session?> FindSessionAsync(SqliteConnection connection, string tokenHash, CancellationToken cancellationToken) =>
        (await ListAsync(connection, $"{SessionColumns} WHERE token_hash = @key", ("@key", tokenHash), ReadSession, cancellationToken)).FirstOrNull();

    public static Task<IReadOnlyList<Session>> ListSessionsAsync(SqliteConnection connection, Guid userId, CancellationToken cancellationToken) =>
        ListAsync(connection, $"{SessionColumns} WHERE user_id = @key ORDER BY created_at, id", ("@key", Columns.Id(userId)), ReadSession, cancellationToken);

    public static async Task<PasskeyCredential?> FindPasskeyAsync(SqliteConnection connection, byte[] credentialId, CancellationToken cancellationToken) =>
        (await ListAsync(connection, $"{PasskeyColumns} WHERE credential_id = @key", ("@key", credentialId), ReadPasskey, cancellationToken)).FirstOrNull();

    public static Task<IReadOnlyList<PasskeyCredential>> ListPasskeysAsync(SqliteConnection connection, Guid userId, CancellationToken cancellationToken) =>
        ListAsync(connection, $"{PasskeyColumns} WHERE user_id = @key ORDER BY created_at", ("@key", Columns.Id(userId)), ReadPasskey, cancellationToken);

    public static Task<IReadOnlyList<PasskeyCredential>> ListPasskeysByUserHandleAsync(SqliteConnection connection, byte[] userHandle, CancellationToken cancellationToken) =>
        ListAsync(connection, $"{PasskeyColumns} WHERE user_handle = @key ORDER BY created_at", ("@key", userHandle), ReadPasskey, cancellationToken);

    private static T? FirstOrNull<T>(this IReadOnlyList<T> items)
        where T : class => items.Count > 0 ? items[0] : null;

    private static async Task<IReadOnlyList<T>> ListAsync<T>(
        SqliteConnection connection, string sql, (string Name, object Value)? parameter, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (parameter is { } p)
        {
            command.Parameters.AddWithValue(p.Name, p.Value);
        }
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(read(reader));
        }
        return items;
    }

    private static UserSummary ReadSummary(SqliteDataReader reader) => new(
        Guid.Parse(reader.GetString(0)),
        reader.GetString(1),
        ReadRole(reader, 2),
        reader.GetInt64(3) != 0,
        reader.GetInt64(4) != 0,
        (int)reader.GetInt64(5),
        (int)reader.GetInt64(6),
        Columns.ParseTime(reader.GetString(7)),
        Columns.ParseTime(reader.GetString(8)));

    private static ApiToken ReadToken(SqliteDataReader reader) => new(
        Guid.Parse(reader.GetString(0)),
        Guid.Parse(reader.GetString(1)),
        reader.GetString(2),
        ReadRole(reader, 3),
        reader.GetString(4),
        Columns.ParseTime(reader.GetString(5)),
        Time(reader, 6),
        Time(reader, 7),
        reader.IsDBNull(8) ? null : reader.GetString(8));

    private static Session ReadSession(SqliteDataReader reader) => new(
        Guid.Parse(reader.GetString(0)),
        Guid.Parse(reader.GetString(1)),
        Columns.ParseTime(reader.GetString(2)),
        Columns.ParseTime(reader.GetString(3)),
        Columns.ParseTime(reader.GetString(4)),
        Columns.ParseTime(reader.GetString(5)),
        reader.GetString(6));

    private static PasskeyCredential ReadPasskey(SqliteDataReader reader) => new(
        (byte[])reader.GetValue(0),
        Guid.Parse(reader.GetString(1)),
        (byte[])reader.GetValue(2),
        reader.GetInt64(3),
        (byte[])reader.GetValue(4),
        Guid.Parse(reader.GetString(5)),
        reader.GetString(6),
        reader.GetString(7).Split(',', StringSplitOptions.RemoveEmptyEntries),
        reader.GetInt64(8) != 0,
        reader.GetInt64(9) != 0,
        Columns.ParseTime(reader.GetString(10)),
        Time(reader, 11));

    private static Role ReadRole(SqliteDataReader reader, int column)
    {
        var value = reader.GetInt64(column);
        return value is >= (long)Role.Viewer and <= (long)Role.Admin
            ? (Role)value
            : throw new InvalidDataException($"the identity tables hold an unknown role {value}");
    }

    private static DateTimeOffset? Time(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : Columns.ParseTime(reader.GetString(column));
}
