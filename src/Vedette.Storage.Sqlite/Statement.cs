using Microsoft.Data.Sqlite;
using SQLitePCL;
using Vedette.Domain;

namespace Vedette.Storage.Sqlite;

/// <summary>
/// A statement prepared once on the writer connection and bound through SQLitePCL directly. Microsoft.Data.Sqlite
/// looks every parameter up by name and converts every value on each execution, which on the batch path costs as
/// much as the insert itself; here names are resolved once and documents are bound as the UTF-8 bytes they were
/// written in. Errors still surface as <see cref="SqliteException"/>.
/// </summary>
internal sealed class Statement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly Dictionary<string, int> _parameters = new(StringComparer.Ordinal);

    public Statement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        var count = raw.sqlite3_bind_parameter_count(_statement);
        for (var index = 1; index <= count; index++)
        {
            _parameters[raw.sqlite3_bind_parameter_name(_statement, index).utf8_to_string()] = index;
        }
    }

    public void Set(string name, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_statement, Index(name)) : raw.sqlite3_bind_text(_statement, Index(name), value));

    public void Set(string name, ReadOnlySpan<byte> utf8) =>
        // An empty span reaches SQLite as a null pointer, which it would store as NULL rather than as ''.
        Check(utf8.IsEmpty ? raw.sqlite3_bind_text(_statement, Index(name), "") : raw.sqlite3_bind_text(_statement, Index(name), utf8));

    public void Set(string name, byte[]? blob) =>
        Check(blob is null ? raw.sqlite3_bind_null(_statement, Index(name)) : raw.sqlite3_bind_blob(_statement, Index(name), blob));

    public void Set(string name, long value) => Check(raw.sqlite3_bind_int64(_statement, Index(name), value));

    public void Set(string name, long? value) =>
        Check(value is { } number ? raw.sqlite3_bind_int64(_statement, Index(name), number) : raw.sqlite3_bind_null(_statement, Index(name)));

    /// <summary>The columns every work item shares: its place in the workflow and its owner.</summary>
    public void SetWorkflow(WorkItem item)
    {
        Set("@status", (long)item.Status);
        Set("@verdict", (long?)item.Verdict);
        Set("@assignee", item.Assignee);
        Set("@acknowledged_at", Columns.Time(item.AcknowledgedAt));
        Set("@closed_at", Columns.Time(item.ClosedAt));
    }

    /// <summary>Runs the statement to completion and returns how many rows it changed.</summary>
    public int Execute()
    {
        try
        {
            while (Step())
            {
            }
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Runs a query for one integer (a count, a next sequence number).</summary>
    public long ExecuteInt64()
    {
        try
        {
            return Step() ? raw.sqlite3_column_int64(_statement, 0) : throw new InvalidOperationException("the query returned no row");
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Advances to the next row; false once the statement is done. Call <see cref="Reset"/> when finished.</summary>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc is raw.SQLITE_ROW)
        {
            return true;
        }
        if (rc is not raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
        return false;
    }

    public void Reset() => raw.sqlite3_reset(_statement);

    public bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    public string Text(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string();

    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    public byte[] Blob(int column) => raw.sqlite3_column_blob(_statement, column).ToArray();

    /// <summary>A text column's UTF-8 bytes as SQLite holds them, valid until the next step: read without a string.</summary>
    public ReadOnlySpan<byte> Utf8(int column) => raw.sqlite3_column_blob(_statement, column);

    public void Dispose() => _statement.Dispose();

    private int Index(string name) =>
        _parameters.TryGetValue(name, out var index) ? index : throw new ArgumentException($"the statement has no parameter {name}", nameof(name));

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
