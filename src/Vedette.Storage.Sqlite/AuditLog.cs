using Microsoft.Data.Sqlite;
using Vedette.Domain;
using Vedette.Serialization;

namespace Vedette.Storage.Sqlite;

/// <summary>
/// The append-only audit table. Each entry's hash covers the previous hash, so changing or removing an entry breaks
/// every hash after it; triggers refuse UPDATE and DELETE as a first line of defence.
/// </summary>
internal sealed class AuditLog(SqliteConnection writer) : IDisposable
{
    private readonly Statement _last = new(writer, "SELECT sequence, hash FROM audit ORDER BY sequence DESC LIMIT 1");

    private readonly Statement _insert = new(writer, """
        INSERT INTO audit (sequence, at, actor, action, target, details, prev_hash, hash)
        VALUES (@sequence, @at, @actor, @action, @target, @details, @prev_hash, @hash)
        """);

    /// <summary>Appends inside the caller's write transaction, which keeps the read of the last hash and the insert together.</summary>
    public AuditEntry Append(string actor, string action, string target, string details, DateTimeOffset at)
    {
        long sequence = 1;
        var previousHash = AuditHash.Genesis;
        try
        {
            if (_last.Step())
            {
                sequence = _last.Int64(0) + 1;
                previousHash = _last.Text(1);
            }
        }
        finally
        {
            _last.Reset();
        }
        // Returned in UTC: that is what is hashed and stored, so a later read gives back an equal entry.
        var entry = new AuditEntry(sequence, at.ToUniversalTime(), actor, action, target, details, previousHash,
            AuditHash.Compute(previousHash, sequence, at, actor, action, target, details));
        _insert.Set("@sequence", entry.Sequence);
        _insert.Set("@at", Columns.Time(entry.At));
        _insert.Set("@actor", actor);
        _insert.Set("@action", action);
        _insert.Set("@target", target);
        _insert.Set("@details", details);
        _insert.Set("@prev_hash", previousHash);
        _insert.Set("@hash", entry.Hash);
        _insert.Execute();
        return entry;
    }

    public static async Task<IReadOnlyList<AuditEntry>> ReadAsync(SqliteConnection reader, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        using var command = reader.CreateCommand();
        command.CommandText = """
            SELECT sequence, at, actor, action, target, details, prev_hash, hash FROM audit
            WHERE sequence > @after ORDER BY sequence LIMIT @limit
            """;
        command.Parameters.AddWithValue("@after", afterSequence);
        command.Parameters.AddWithValue("@limit", Paging.Clamp(limit));
        return await ReadEntriesAsync(command, cancellationToken);
    }

    /// <summary>
    /// Newest first. By target (an item's activity and comments, on every alert and incident page) through the
    /// audit_by_target index; otherwise walking the primary key backwards until a page is full.
    /// </summary>
    public static async Task<IReadOnlyList<AuditEntry>> SearchAsync(SqliteConnection reader, AuditQuery query, CancellationToken cancellationToken)
    {
        using var command = SearchCommand(reader, query);
        return await ReadEntriesAsync(command, cancellationToken);
    }

    /// <summary>The search as a command (tests read its query plan).</summary>
    internal static SqliteCommand SearchCommand(SqliteConnection reader, AuditQuery query)
    {
        var command = reader.CreateCommand();
        var filter = new SqlFilter(command)
            .Where("actor = @actor", "@actor", query.Actor)
            .Where("target = @target", "@target", query.Target)
            .Where("sequence < @before", "@before", query.Before);
        if (query.Action is { } action)
        {
            // A prefix ("incident.") matches by range, so that '%' or '_' in it mean nothing special.
            if (action.EndsWith('.'))
            {
                filter.Where("action >= @action", "@action", action).Where("action < @action_end", "@action_end", action[..^1] + "/");
            }
            else
            {
                filter.Where("action = @action", "@action", action);
            }
        }
        command.CommandText = $"SELECT sequence, at, actor, action, target, details, prev_hash, hash FROM audit{filter} ORDER BY sequence DESC LIMIT @limit";
        command.Parameters.AddWithValue("@limit", Paging.Clamp(query.Limit));
        return command;
    }

    private static async Task<IReadOnlyList<AuditEntry>> ReadEntriesAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var entries = new List<AuditEntry>();
        using var rows = await command.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(
                rows.GetInt64(0), Columns.ParseTime(rows.GetString(1)), rows.GetString(2), rows.GetString(3), rows.GetString(4), rows.GetString(5), rows.GetString(6), rows.GetString(7)));
        }
        return entries;
    }

    public void Dispose()
    {
        _last.Dispose();
        _insert.Dispose();
    }
}
