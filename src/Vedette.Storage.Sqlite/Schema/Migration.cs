using Microsoft.Data.Sqlite;

namespace Vedette.Storage.Sqlite.Schema;

/// <summary>One step of the schema; released steps never change, a new version adds a step.</summary>
internal sealed record Migration(int Version, string Name, string Sql);

/// <summary>Brings a database up to the binary's schema at open, one transaction per step.</summary>
internal static class Migrator
{
    public static async Task ApplyAsync(SqliteConnection connection, string path, IReadOnlyList<Migration> migrations, TimeProvider time, CancellationToken cancellationToken)
    {
        await RefuseForeignDatabaseAsync(connection, path, cancellationToken);
        await ExecuteAsync(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)", cancellationToken);
        var known = migrations[^1].Version;
        RefuseNewer(path, await CurrentVersionAsync(connection, null, cancellationToken), known);
        foreach (var migration in migrations)
        {
            // IMMEDIATE takes the write lock before reading the version, so two processes opening one new
            // database cannot both apply the same step.
            using var transaction = connection.BeginTransaction(deferred: false);
            var current = await CurrentVersionAsync(connection, transaction, cancellationToken);
            RefuseNewer(path, current, known);
            if (current >= migration.Version)
            {
                continue;
            }
            try
            {
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            }
            catch (SqliteException ex)
            {
                throw new StoreFileException(path, $"schema migration {migration.Version} ({migration.Name}) failed: {ex.Message}", ex);
            }
            using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @at)";
                record.Parameters.AddWithValue("@version", migration.Version);
                record.Parameters.AddWithValue("@at", Columns.Time(time.GetUtcNow()));
                await record.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
    }

    private static void RefuseNewer(string path, long current, int known)
    {
        if (current > known)
        {
            throw new StoreFileException(path, $"the database has schema version {current}, newer than the {known} this Vedette knows; use a newer Vedette");
        }
    }

    /// <summary>Migrating someone else's database would mix our tables into it; refuse instead.</summary>
    private static async Task RefuseForeignDatabaseAsync(SqliteConnection connection, string path, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT count(*) FILTER (WHERE name NOT LIKE 'sqlite%'), count(*) FILTER (WHERE name = 'schema_migrations')
            FROM sqlite_schema WHERE type = 'table'
            """;
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.GetInt64(0) > 0 && reader.GetInt64(1) == 0)
        {
            throw new StoreFileException(path, "this SQLite database is not a Vedette store (it has tables but no schema_migrations)");
        }
    }

    private static async Task<long> CurrentVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT coalesce(max(version), 0) FROM schema_migrations";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
