using System.Buffers.Text;
using System.Text;
using Microsoft.Data.Sqlite;
using Vedette.Domain;

namespace Vedette.Storage.Sqlite;

/// <summary>
/// What the KPIs read: columns only, never the alert documents, so that a report over a million alerts reads a few
/// hundred bytes per alert rather than its whole JSON. The ranges are read from covering indexes by creation time
/// (migration 7), named in the queries so that the planner never falls back to a scan of the tables.
/// </summary>
internal static class KpiReads
{
    // Suppressed alerts are left out: nobody is meant to acknowledge or close them, so they would only skew the figures.
    internal const string Timings = """
        SELECT a.id, a.rule_id, a.severity, a.first_seen, a.created_at, a.acknowledged_at, a.closed_at, a.verdict,
               i.acknowledged_at, i.closed_at, i.verdict, a.source, a.attack_tags
        FROM alerts a INDEXED BY alerts_by_created LEFT JOIN incidents i ON i.id = a.incident_id
        WHERE a.created_at >= @from AND a.created_at < @to AND a.suppressed_by IS NULL
        """;

    internal const string IncidentTimings = """
        SELECT id, severity, created_at, acknowledged_at, closed_at, verdict, due_at
        FROM incidents INDEXED BY incidents_by_created
        WHERE created_at >= @from AND created_at < @to AND merged_into IS NULL
        """;

    // The rule index finds a rule's newest alert directly (it is rare to step back past suppressed ones): its title
    // names the rule, as in the rule statistics.
    private const string NewestTitle = "SELECT doc ->> '$.title' FROM alerts WHERE rule_id = @rule_id AND suppressed_by IS NULL ORDER BY id DESC LIMIT 1";

    public static Task<IReadOnlyList<AlertTiming>> ReadTimingsAsync(SqliteConnection connection, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var timings = new List<AlertTiming>();
        var strings = new SharedStrings();
        using var titles = new RuleTitles(connection);
        // Bound and read through SQLitePCL: Microsoft.Data.Sqlite would make a string of every column of every row
        // and parse each time with a culture-aware pattern, several times the cost of the query itself.
        using var statement = new Statement(connection, Timings);
        statement.Set("@from", Columns.Time(from));
        statement.Set("@to", Columns.Time(to));
        try
        {
            while (statement.Step())
            {
                if ((timings.Count & 4095) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
                var ruleId = strings.Get(statement.Utf8(1));
                timings.Add(new AlertTiming(
                    Id(statement, 0),
                    ruleId,
                    titles.Of(ruleId),
                    (Severity)statement.Int64(2),
                    Columns.ParseTime(statement.Utf8(3)),
                    Columns.ParseTime(statement.Utf8(4)),
                    Time(statement, 5),
                    Time(statement, 6),
                    Verdict(statement, 7),
                    Time(statement, 8),
                    Time(statement, 9),
                    Verdict(statement, 10),
                    strings.Get(statement.Utf8(11)),
                    statement.IsNull(12) ? null : strings.Get(statement.Utf8(12))));
            }
        }
        finally
        {
            statement.Reset();
        }
        return Task.FromResult<IReadOnlyList<AlertTiming>>(timings);
    }

    public static async Task<IReadOnlyList<OpenIncident>> ReadOpenIncidentsAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, severity, status, created_at, first_seen, due_at FROM incidents WHERE status <> @closed AND merged_into IS NULL";
        command.Parameters.AddWithValue("@closed", (int)CaseStatus.Closed);
        var incidents = new List<OpenIncident>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            incidents.Add(new OpenIncident(
                Guid.Parse(reader.GetString(0)),
                (Severity)reader.GetInt32(1),
                (CaseStatus)reader.GetInt32(2),
                Columns.ParseTime(reader.GetString(3)),
                Columns.ParseTime(reader.GetString(4)),
                Time(reader, 5)));
        }
        return incidents;
    }

    public static Task<IReadOnlyList<IncidentTiming>> ReadIncidentTimingsAsync(SqliteConnection connection, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var incidents = new List<IncidentTiming>();
        using var statement = new Statement(connection, IncidentTimings);
        statement.Set("@from", Columns.Time(from));
        statement.Set("@to", Columns.Time(to));
        try
        {
            while (statement.Step())
            {
                if ((incidents.Count & 4095) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
                incidents.Add(new IncidentTiming(
                    Id(statement, 0),
                    (Severity)statement.Int64(1),
                    Columns.ParseTime(statement.Utf8(2)),
                    Time(statement, 3),
                    Time(statement, 4),
                    Verdict(statement, 5),
                    Columns.ParseTime(statement.Utf8(6))));
            }
        }
        finally
        {
            statement.Reset();
        }
        return Task.FromResult<IReadOnlyList<IncidentTiming>>(incidents);
    }

    private static Guid Id(Statement statement, int column) =>
        Utf8Parser.TryParse(statement.Utf8(column), out Guid id, out var used) && used == 36 ? id : throw new FormatException($"'{statement.Text(column)}' is not an id");

    private static DateTimeOffset? Time(Statement statement, int column) => statement.IsNull(column) ? null : Columns.ParseTime(statement.Utf8(column));

    private static Verdict? Verdict(Statement statement, int column) => statement.IsNull(column) ? null : (Verdict)statement.Int64(column);

    /// <summary>
    /// One string for every row that has the same text, looked up from the column's bytes: rule ids, sources and tag
    /// lists repeat a million times over, and each would otherwise be a string of its own.
    /// </summary>
    private sealed class SharedStrings
    {
        private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

        public string Get(ReadOnlySpan<byte> utf8)
        {
            Span<char> buffer = utf8.Length <= 256 ? stackalloc char[256] : new char[utf8.Length];
            var chars = buffer[..Encoding.UTF8.GetChars(utf8, buffer)];
            var lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(chars, out var shared))
            {
                return shared;
            }
            var text = new string(chars);
            _strings.Add(text, text);
            return text;
        }
    }

    /// <summary>
    /// Each rule's title, looked up the first time a row names the rule (SQLite runs the lookup beside the statement
    /// being stepped), so that the rows become timings as they are read.
    /// </summary>
    private sealed class RuleTitles : IDisposable
    {
        private readonly Dictionary<string, string> _titles = new(StringComparer.Ordinal);
        private readonly SqliteCommand _command;
        private readonly SqliteParameter _rule;

        public RuleTitles(SqliteConnection connection)
        {
            _command = connection.CreateCommand();
            _command.CommandText = NewestTitle;
            _rule = _command.Parameters.Add("@rule_id", SqliteType.Text);
        }

        public string Of(string ruleId)
        {
            if (!_titles.TryGetValue(ruleId, out var title))
            {
                _rule.Value = ruleId;
                title = _command.ExecuteScalar() as string ?? ruleId;
                _titles.Add(ruleId, title);
            }
            return title;
        }

        public void Dispose() => _command.Dispose();
    }

    private static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Columns.ParseTime(reader.GetString(ordinal));

    private static Verdict? Verdict(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : (Verdict)reader.GetInt32(ordinal);
}
