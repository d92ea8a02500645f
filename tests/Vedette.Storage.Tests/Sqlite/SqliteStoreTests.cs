using Microsoft.Data.Sqlite;
using Vedette.Identity;
using Vedette.Storage.Sqlite;
using Vedette.Storage.Sqlite.Schema;

namespace Vedette.Storage.Tests.Sqlite;

public sealed class SqliteStoreTests : StoreContract
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "vedette-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_folder, "data", "vedette.db");

    protected override async Task<IStore> OpenStoreAsync() => await SqliteStore.OpenAsync(DatabasePath, Time, Ct);

    protected override async Task<IReadOnlyList<long>> AppliedMigrationsAsync()
    {
        await using var connection = await OpenRawAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_migrations ORDER BY rowid";
        var versions = new List<long>();
        using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            versions.Add(reader.GetInt64(0));
        }
        return versions;
    }

    protected override async Task ClaimSchemaVersionAsync(long version)
    {
        await using var connection = await OpenRawAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, '2099-01-01T00:00:00.0000000Z')";
        command.Parameters.AddWithValue("@version", version);
        await command.ExecuteNonQueryAsync(Ct);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Writes_are_durable_on_commit_through_wal_and_full_sync()
    {
        var store = (SqliteStore)Store;

        Assert.Equal("wal", await store.WriterPragmaAsync("journal_mode", Ct));
        Assert.Equal("2", await store.WriterPragmaAsync("synchronous", Ct)); // 2 = FULL
        Assert.Equal("1", await store.WriterPragmaAsync("foreign_keys", Ct));
        Assert.NotEqual("0", await store.WriterPragmaAsync("busy_timeout", Ct));
        Assert.True(File.Exists(DatabasePath + "-wal"));
    }

    [Fact]
    public async Task A_write_is_visible_to_another_connection_as_soon_as_it_returns()
    {
        var alert = Some.Alert(Time);

        await Store.WriteAsync(Some.Batch(alert), Ct);

        await using var connection = await OpenRawAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT event_count FROM alerts WHERE id = @id";
        command.Parameters.AddWithValue("@id", alert.Id.ToString());
        Assert.Equal(1L, await command.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task Opening_a_file_that_is_not_sqlite_names_the_file()
    {
        var path = Path.Combine(_folder, "notes.txt");
        await File.WriteAllTextAsync(path, string.Concat(Enumerable.Repeat("these are not the pages you are looking for\n", 200)), Ct);

        var error = await Assert.ThrowsAsync<StoreFileException>(() => SqliteStore.OpenAsync(path, Time, Ct));

        Assert.Equal(path, error.Path);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a SQLite database", error.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(error.InnerException);
    }

    [Fact]
    public async Task Opening_another_applications_sqlite_database_is_refused()
    {
        var path = Path.Combine(_folder, "other.db");
        await using (var other = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await other.OpenAsync(Ct);
            using var create = other.CreateCommand();
            create.CommandText = "CREATE TABLE bookmarks (url TEXT)";
            await create.ExecuteNonQueryAsync(Ct);
        }

        var error = await Assert.ThrowsAsync<StoreFileException>(() => SqliteStore.OpenAsync(path, Time, Ct));

        Assert.Contains("not a Vedette store", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_items_audit_entries_are_found_through_the_target_index_not_by_walking_the_log()
    {
        await using var connection = await OpenRawAsync();
        using var command = AuditLog.SearchCommand(connection, new AuditQuery { Target = "incident/1", Action = "incident.comment", Limit = 500 });
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        var plan = new List<string>();
        using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            plan.Add(reader.GetString(3));
        }

        Assert.Contains(plan, step => step.StartsWith("SEARCH audit USING INDEX audit_by_target (target=?", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_later_binary_applies_only_its_new_migrations_once_and_an_older_one_refuses_the_result()
    {
        var alert = Some.Alert(Time);
        await Store.WriteAsync(Some.Batch(alert), Ct);
        await CloseAsync();
        Migration[] later = [.. Migrations.All, new(Migrations.All[^1].Version + 1, "notes on alerts", "CREATE TABLE alert_notes (alert_id TEXT NOT NULL, note TEXT NOT NULL)")];

        await (await SqliteStore.OpenAsync(DatabasePath, Time, later, Ct)).DisposeAsync();
        await using (var again = await SqliteStore.OpenAsync(DatabasePath, Time, later, Ct))
        {
            Assert.NotNull(await again.GetAlertAsync(alert.Id, Ct));
        }

        Assert.Equal(later.Select(m => (long)m.Version), await AppliedMigrationsAsync());
        var error = await Assert.ThrowsAsync<StoreFileException>(() => SqliteStore.OpenAsync(DatabasePath, Time, Ct));
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_audit_log_refuses_to_be_rewritten_in_place()
    {
        await Store.AppendAuditAsync("ana", "login", "session", "", Some.Start, Ct);

        await using var connection = await OpenRawAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE audit SET actor = 'mallory'";
        var error = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync(Ct));

        Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_and_a_running_server_can_change_identities_in_one_file_at_the_same_time()
    {
        // Two stores on one file, as `vedette users ...` beside `vedette serve`: each sees the other's writes at once.
        await using var cli = await SqliteStore.OpenAsync(DatabasePath, Time, Ct);
        var server = (SqliteStore)Store;
        Assert.True(await cli.AddUserAsync(new NewUser(Guid.CreateVersion7(Time.GetUtcNow()), "ana", Role.Analyst, "h", Time.GetUtcNow()), Ct));
        var ana = (await server.FindUserAsync("ana", Ct))!;

        var writes = Enumerable.Range(0, 20).Select(i => i % 2 == 0
            ? cli.AppendAuditAsync("cli", "user.role", "user/ana", "{}", Time.GetUtcNow(), Ct).ContinueWith(_ => true, Ct)
            : server.TryAcceptTotpStepAsync(ana.Id, i, Ct));
        await Task.WhenAll(writes);
        await cli.SetDisabledAsync(ana.Id, true, Time.GetUtcNow(), Ct);

        Assert.True((await server.GetUserAsync(ana.Id, Ct))!.Disabled);
        Assert.Equal(10, (await server.ReadAuditAsync(0, 100, Ct)).Count);
        Assert.True((await AuditChain.VerifyAsync(server, Ct)).Intact);
    }

    [Fact]
    public async Task No_token_session_id_or_recovery_code_is_written_to_the_database_files()
    {
        var identity = (IIdentityStore)Store;
        Assert.True(await identity.AddUserAsync(new NewUser(Guid.CreateVersion7(Time.GetUtcNow()), "ana", Role.Admin, "h", Time.GetUtcNow()), Ct));
        var ana = (await identity.FindUserAsync("ana", Ct))!;
        var codes = RecoveryCodes.Generate();
        await identity.EnableTotpAsync(ana.Id, Totp.GenerateSecret(), [.. codes.Select(RecoveryCodes.Hash)], Time.GetUtcNow(), Ct);
        var token = ApiTokens.Issue(ana, Role.Viewer, "t", Guid.CreateVersion7(Time.GetUtcNow()), Time.GetUtcNow(), null);
        await identity.AddTokenAsync(token.Record, Ct);
        var session = Sessions.Issue((await identity.GetCredentialsAsync(ana.Id, Ct))!, Guid.NewGuid(), Time.GetUtcNow(), SessionOptions.Default);
        await identity.AddSessionAsync(session.Record, Ct);

        var bytes = (await File.ReadAllBytesAsync(DatabasePath, Ct)).Concat(File.Exists(DatabasePath + "-wal") ? await ReadSharedAsync(DatabasePath + "-wal") : []).ToArray();

        foreach (var secret in new[] { token.Token, token.Token[4..], session.Token, RecoveryCodes.Normalize(codes[0]), codes[0] })
        {
            Assert.Equal(-1, bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(secret)));
        }
        Assert.NotEqual(-1, bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(token.Record.TokenHash)));
    }

    private async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, Ct);
        return buffer.ToArray();
    }

    private async Task<SqliteConnection> OpenRawAsync()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadWrite;Pooling=False");
        await connection.OpenAsync(Ct);
        return connection;
    }
}
