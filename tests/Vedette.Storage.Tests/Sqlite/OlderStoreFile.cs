using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Vedette.Storage.Sqlite.Schema;

namespace Vedette.Storage.Tests.Sqlite;

/// <summary>
/// A store file as an older Vedette wrote it, for migration tests. Today's store prepares statements over today's
/// columns, so the old file is written as that Vedette wrote it: its schema up to a version, then rows by hand.
/// </summary>
public abstract class OlderStoreFile : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "vedette-tests", Guid.NewGuid().ToString("N"));

    protected FakeTimeProvider Clock { get; } = new(Some.Start);

    protected CancellationToken Ct { get; } = new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;

    protected string DatabasePath => Path.Combine(_folder, "vedette.db");

    /// <summary>The folder for a store that today's Vedette creates itself.</summary>
    protected void CreateFolder() => Directory.CreateDirectory(_folder);

    /// <summary>Creates the file with the schema of <paramref name="version"/>, then lets the test insert its rows.</summary>
    protected async Task WriteAtVersionAsync(int version, Func<SqliteConnection, Task> insertRows)
    {
        Directory.CreateDirectory(_folder);
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await Migrator.ApplyAsync(connection, DatabasePath, [.. Migrations.All.Where(m => m.Version <= version)], Clock, Ct);
        await insertRows(connection);
    }

    /// <summary>A time column as the store writes it.</summary>
    protected static string Column(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
        GC.SuppressFinalize(this);
    }
}
