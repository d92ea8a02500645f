using Microsoft.Data.Sqlite;
using Vedette.Domain;
using Vedette.Enrich.Intel;
using Vedette.Identity;
using Vedette.Storage.Sqlite.Schema;
using Vedette.Triage;

namespace Vedette.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. One writer connection, guarded by a lock, runs every write in
/// a transaction with prepared statements; reads use pooled connections of their own, which WAL lets run beside the
/// writer. synchronous=FULL makes a completed write durable, which is what "acknowledged" means to the pipeline.
/// </summary>
public sealed partial class SqliteStore : IStore, IIdentityStore
{
    private const int SqliteCorrupt = 11;
    private const int SqliteCantOpen = 14;
    private const int SqliteNotADatabase = 26;

    private readonly SqliteConnection _writer;
    private readonly string _readerConnectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly DocWriter _docs;
    private readonly TransitionRows _transitions;
    private readonly BatchWriter _batches;
    private readonly WorkItemUpdater _updater;
    private readonly FeedRows _feeds;
    private readonly AuditLog _audit;
    private readonly RegroupWriter _regroup;
    private readonly SuppressionRows _suppressions;
    private readonly IdentityRows _identity;
    private bool _disposed;

    private SqliteStore(string path, SqliteConnection writer)
    {
        DatabasePath = path;
        _writer = writer;
        _readerConnectionString = ConnectionString(path, SqliteOpenMode.ReadWrite, pooling: true);
        _docs = new DocWriter();
        _transitions = new TransitionRows(writer);
        _batches = new BatchWriter(writer, _docs, _transitions);
        _updater = new WorkItemUpdater(writer, _docs, _transitions);
        _feeds = new FeedRows(writer, _docs);
        _audit = new AuditLog(writer);
        _regroup = new RegroupWriter(writer, _docs, _batches);
        _suppressions = new SuppressionRows(writer, _docs);
        _identity = new IdentityRows(writer);
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Opens the store at <paramref name="path"/>, creating the folder and the file if needed and bringing the schema up to date.</summary>
    public static Task<SqliteStore> OpenAsync(string path, TimeProvider time, CancellationToken cancellationToken) =>
        OpenAsync(path, time, Migrations.All, cancellationToken);

    internal static async Task<SqliteStore> OpenAsync(string path, TimeProvider time, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var writer = new SqliteConnection(ConnectionString(fullPath, SqliteOpenMode.ReadWriteCreate, pooling: false));
        try
        {
            await writer.OpenAsync(cancellationToken);
            await ConfigureWriterAsync(writer, fullPath, cancellationToken);
            await Migrator.ApplyAsync(writer, fullPath, migrations, time, cancellationToken);
            return new SqliteStore(fullPath, writer);
        }
        catch (SqliteException ex)
        {
            await writer.DisposeAsync();
            throw new StoreFileException(fullPath, Describe(ex), ex);
        }
        catch
        {
            await writer.DisposeAsync();
            throw;
        }
    }

    public async Task WriteAsync(StoreBatch batch, CancellationToken cancellationToken)
    {
        if (!batch.IsEmpty)
        {
            await InWriteTransactionAsync(() => _batches.Write(batch, cancellationToken), cancellationToken);
        }
    }

    public Task<Alert?> GetAlertAsync(Guid id, CancellationToken cancellationToken) =>
        ReadAsync(connection => AlertReads.GetAsync(connection, id, cancellationToken), cancellationToken);

    public Task<Page<Alert>> ListAlertsAsync(AlertQuery query, CancellationToken cancellationToken) =>
        ReadAsync(connection => AlertReads.ListAsync(connection, query, cancellationToken), cancellationToken);

    public Task<UpdateResult> UpdateAlertAsync(Alert alert, CancellationToken cancellationToken) =>
        UpdateAsync(alert, () => _updater.Update(alert), cancellationToken);

    public Task<Incident?> GetIncidentAsync(Guid id, CancellationToken cancellationToken) =>
        ReadAsync(connection => IncidentReads.GetAsync(connection, id, cancellationToken), cancellationToken);

    public Task<Page<Incident>> ListIncidentsAsync(IncidentQuery query, CancellationToken cancellationToken) =>
        ReadAsync(connection => IncidentReads.ListAsync(connection, query, cancellationToken), cancellationToken);

    public Task<UpdateResult> UpdateIncidentAsync(Incident incident, CancellationToken cancellationToken) =>
        UpdateAsync(incident, () => _updater.Update(incident), cancellationToken);

    public async Task<UpdateResult> RegroupAsync(Regrouping regrouping, CancellationToken cancellationToken)
    {
        var versions = regrouping.Changed.Select(i => i.Version).ToList();
        try
        {
            await InWriteTransactionAsync(() => _regroup.Write(regrouping), cancellationToken);
            return UpdateResult.Updated;
        }
        catch (RegroupConflictException conflict)
        {
            // Rolled back: every incident keeps the version it was read with, so the analyst can re-read and retry.
            for (var i = 0; i < versions.Count; i++)
            {
                regrouping.Changed[i].Version = versions[i];
            }
            return conflict.Result;
        }
    }

    public Task ReplaceFeedAsync(FeedStatus status, IReadOnlyCollection<FeedIndicator> indicators, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() =>
        {
            _feeds.Replace(status, indicators, cancellationToken);
            return true;
        }, cancellationToken);

    public Task SaveFeedStatusAsync(FeedStatus status, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() =>
        {
            _feeds.SaveAttempt(status);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<FeedStatus>> ListFeedsAsync(CancellationToken cancellationToken) =>
        ReadAsync(connection => FeedRows.ListAsync(connection, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<FeedIndicator>> ReadFeedIndicatorsAsync(string feed, CancellationToken cancellationToken) =>
        ReadAsync(connection => FeedRows.ReadAsync(connection, feed, cancellationToken), cancellationToken);

    public Task<AuditEntry> AppendAuditAsync(string actor, string action, string target, string details, DateTimeOffset at, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _audit.Append(actor, action, target, details, at), cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        ReadAsync(connection => AuditLog.ReadAsync(connection, afterSequence, limit, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> SearchAuditAsync(AuditQuery query, CancellationToken cancellationToken) =>
        ReadAsync(connection => AuditLog.SearchAsync(connection, query, cancellationToken), cancellationToken);

    public Task<StoreCounts> CountAsync(CancellationToken cancellationToken) =>
        ReadAsync(connection => CountAsync(connection, cancellationToken), cancellationToken);

    public Task<WorkItemCounts> CountWorkItemsAsync(CancellationToken cancellationToken) =>
        ReadAsync(connection => WorkItemCountReads.ReadAsync(connection, cancellationToken), cancellationToken);

    public Task AddSuppressionAsync(Suppression suppression, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _suppressions.Insert(suppression), cancellationToken);

    public Task<IReadOnlyList<Suppression>> ListSuppressionsAsync(bool includeRemoved, CancellationToken cancellationToken) =>
        ReadAsync(connection => SuppressionRows.ListAsync(connection, includeRemoved, cancellationToken), cancellationToken);

    public Task<bool> RemoveSuppressionAsync(Guid id, string by, DateTimeOffset at, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(() => _suppressions.Remove(id, by, at), cancellationToken);

    public Task<IReadOnlyList<RuleVerdict>> ReadVerdictsAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        ReadAsync(connection => VerdictReads.ReadAsync(connection, since, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<RuleAlertCount>> ReadRuleCountsAsync(CancellationToken cancellationToken) =>
        ReadAsync(connection => VerdictReads.CountAsync(connection, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<AlertTiming>> ReadAlertTimingsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        ReadAsync(connection => KpiReads.ReadTimingsAsync(connection, from, to, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<OpenIncident>> ReadOpenIncidentsAsync(CancellationToken cancellationToken) =>
        ReadAsync(connection => KpiReads.ReadOpenIncidentsAsync(connection, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<IncidentTiming>> ReadIncidentTimingsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        ReadAsync(connection => KpiReads.ReadIncidentTimingsAsync(connection, from, to, cancellationToken), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        // Waiting for the lock lets a write in progress commit before the connection closes.
        await _writeLock.WaitAsync();
        try
        {
            _disposed = true;
            _batches.Dispose();
            _updater.Dispose();
            _feeds.Dispose();
            _audit.Dispose();
            _regroup.Dispose();
            _suppressions.Dispose();
            _identity.Dispose();
            _transitions.Dispose();
            _docs.Dispose();
            using (var reader = new SqliteConnection(_readerConnectionString))
            {
                SqliteConnection.ClearPool(reader);
            }
            // The last connection to close checkpoints the WAL into the database file.
            await _writer.DisposeAsync();
        }
        finally
        {
            _writeLock.Release();
        }
        _writeLock.Dispose();
    }

    /// <summary>A pragma's value as the writer connection sees it; lets tests check durability settings.</summary>
    internal async Task<string> WriterPragmaAsync(string pragma, CancellationToken cancellationToken)
    {
        if (pragma is not ("journal_mode" or "synchronous" or "foreign_keys" or "busy_timeout"))
        {
            throw new ArgumentOutOfRangeException(nameof(pragma), pragma, "not a pragma the store sets");
        }
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            using var command = _writer.CreateCommand();
            command.CommandText = $"PRAGMA {pragma}";
            return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture)!;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<UpdateResult> UpdateAsync(WorkItem item, Func<UpdateResult> update, CancellationToken cancellationToken)
    {
        var readVersion = item.Version;
        try
        {
            var result = await InWriteTransactionAsync(update, cancellationToken);
            if (result != UpdateResult.Updated)
            {
                item.Version = readVersion;
            }
            return result;
        }
        catch
        {
            item.Version = readVersion;
            throw;
        }
    }

    /// <summary>
    /// Runs writer-connection work in one IMMEDIATE transaction: all of it commits, or none of it. SQLite's I/O is
    /// synchronous, so the work runs on the calling thread while it holds the lock; the commit returns once durable.
    /// </summary>
    private Task<T> InWriteTransactionAsync<T>(Func<T> work, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(_ => work(), cancellationToken);

    /// <summary>For work that runs <see cref="SqliteCommand"/>s, which must name the transaction they run in.</summary>
    private async Task<T> InWriteTransactionAsync<T>(Func<SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _writer.BeginTransaction(deferred: false);
            var result = work(transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task InWriteTransactionAsync(Action work, CancellationToken cancellationToken) =>
        await InWriteTransactionAsync(() =>
        {
            work();
            return true;
        }, cancellationToken);

    /// <summary>Runs a query on a pooled reader connection of its own, so that reads never wait for the writer.</summary>
    private async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await using var connection = new SqliteConnection(_readerConnectionString);
        await connection.OpenAsync(cancellationToken);
        return await read(connection);
    }

    private static async Task<StoreCounts> CountAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT count(*) FROM alerts), (SELECT count(*) FROM incidents WHERE merged_into IS NULL), (SELECT count(*) FROM feed_indicators),
                   (SELECT count(*) FROM audit), (SELECT count(*) FROM alert_evidence),
                   (SELECT count(*) FROM alerts WHERE suppressed_by IS NOT NULL)
            """;
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new StoreCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
    }

    private static async Task ConfigureWriterAsync(SqliteConnection writer, string path, CancellationToken cancellationToken)
    {
        using var command = writer.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL";
        var mode = await command.ExecuteScalarAsync(cancellationToken) as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new StoreFileException(path, $"cannot switch to WAL mode (journal mode stays '{mode}'); is the file on a network share?");
        }
        // FULL: the WAL is synced at every commit, so an acknowledged batch survives a crash or power loss.
        // A 64 MiB page cache keeps the indexes' hot pages in memory while batches append to them, and checkpointing
        // every 16384 pages (64 MiB of WAL) rather than 1000 copies a page rewritten by many batches only once.
        command.CommandText = """
            PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;
            PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 16384
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string ConnectionString(string path, SqliteOpenMode mode, bool pooling) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        Pooling = pooling,
        ForeignKeys = true,
    }.ToString();

    private static string Describe(SqliteException ex) => ex.SqliteErrorCode switch
    {
        SqliteNotADatabase => $"not a SQLite database ({ex.Message})",
        SqliteCorrupt => $"the database is corrupt ({ex.Message})",
        SqliteCantOpen => $"cannot open the database file ({ex.Message})",
        _ => $"cannot open the database ({ex.Message})",
    };
}
