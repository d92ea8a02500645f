using Microsoft.Data.Sqlite;
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

    private async Task<SqliteConnection> OpenRawAsync()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadWrite;Pooling=False");
        await connection.OpenAsync(Ct);
        return connection;
    }
}
