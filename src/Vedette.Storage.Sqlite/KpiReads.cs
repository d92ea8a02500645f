using Microsoft.Data.Sqlite;
using Vedette.Domain;

namespace Vedette.Storage.Sqlite;

/// <summary>
/// What the KPIs read: columns only, never the alert documents, so that a report over a million alerts reads a few
/// hundred bytes per alert rather than its whole JSON.
/// </summary>
internal static class KpiReads
{
    // Suppressed alerts are left out: nobody is meant to acknowledge or close them, so they would only skew the figures.
    private const string Timings = """
        SELECT a.id, a.rule_id, a.severity, a.first_seen, a.created_at, a.acknowledged_at, a.closed_at, a.verdict,
               i.acknowledged_at, i.closed_at, i.verdict
        FROM alerts a LEFT JOIN incidents i ON i.id = a.incident_id
        WHERE a.created_at >= @from AND a.created_at < @to AND a.suppressed_by IS NULL
        """;

    // The rule index finds a rule's newest alert directly (it is rare to step back past suppressed ones): its title
    // names the rule, as in the rule statistics.
    private const string NewestTitle = "SELECT doc ->> '$.title' FROM alerts WHERE rule_id = @rule_id AND suppressed_by IS NULL ORDER BY id DESC LIMIT 1";

    public static async Task<IReadOnlyList<AlertTiming>> ReadTimingsAsync(SqliteConnection connection, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        var rules = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = Timings;
            command.Parameters.AddWithValue("@from", Columns.Time(from));
            command.Parameters.AddWithValue("@to", Columns.Time(to));
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var ruleId = reader.GetString(1);
                // One string per rule rather than one per alert: a million timings share a few hundred.
                if (!rules.TryGetValue(ruleId, out var shared))
                {
                    rules.Add(ruleId, ruleId);
                    shared = ruleId;
                }
                rows.Add(new Row(
                    Guid.Parse(reader.GetString(0)),
                    shared,
                    (Severity)reader.GetInt32(2),
                    Columns.ParseTime(reader.GetString(3)),
                    Columns.ParseTime(reader.GetString(4)),
                    Time(reader, 5),
                    Time(reader, 6),
                    Verdict(reader, 7),
                    Time(reader, 8),
                    Time(reader, 9),
                    Verdict(reader, 10)));
            }
        }
        var titles = await TitlesAsync(connection, rules.Keys, cancellationToken);
        var timings = new AlertTiming[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            timings[i] = new AlertTiming(r.Id, r.RuleId, titles[r.RuleId], r.Severity, r.FirstSeen, r.CreatedAt, r.AcknowledgedAt, r.ClosedAt, r.Verdict,
                r.IncidentAcknowledgedAt, r.IncidentClosedAt, r.IncidentVerdict);
        }
        return timings;
    }

    public static async Task<IReadOnlyList<OpenIncident>> ReadOpenIncidentsAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, severity, status, created_at, first_seen FROM incidents WHERE status <> @closed AND merged_into IS NULL";
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
                Columns.ParseTime(reader.GetString(4))));
        }
        return incidents;
    }

    private static async Task<Dictionary<string, string>> TitlesAsync(SqliteConnection connection, IEnumerable<string> ruleIds, CancellationToken cancellationToken)
    {
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        using var command = connection.CreateCommand();
        command.CommandText = NewestTitle;
        var rule = command.Parameters.Add("@rule_id", SqliteType.Text);
        foreach (var ruleId in ruleIds)
        {
            rule.Value = ruleId;
            titles[ruleId] = await command.ExecuteScalarAsync(cancellationToken) as string ?? ruleId;
        }
        return titles;
    }

    private static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Columns.ParseTime(reader.GetString(ordinal));

    private static Verdict? Verdict(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : (Verdict)reader.GetInt32(ordinal);

    /// <summary>A timing before its rule's title is known.</summary>
    private readonly record struct Row(
        Guid Id, string RuleId, Severity Severity, DateTimeOffset FirstSeen, DateTimeOffset CreatedAt, DateTimeOffset? AcknowledgedAt,
        DateTimeOffset? ClosedAt, Verdict? Verdict, DateTimeOffset? IncidentAcknowledgedAt, DateTimeOffset? IncidentClosedAt, Verdict? IncidentVerdict);
}
