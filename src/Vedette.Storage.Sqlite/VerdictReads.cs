using Microsoft.Data.Sqlite;
using Vedette.Domain;

namespace Vedette.Storage.Sqlite;

/// <summary>What learning and rule statistics read: the verdicts alerts and incidents are closed with, and alerts per rule.</summary>
internal static class VerdictReads
{
    /// <summary>
    /// The last transition of each alert and incident, when it is a close with a verdict at or after @since (the
    /// status index finds the closes, the key finds each item's last step); an incident's verdict is repeated for each
    /// of its alerts.
    /// </summary>
    private const string Verdicts = """
        SELECT a.rule_id, a.id, t.verdict, t.at, t.is_system, 0
        FROM transitions t JOIN alerts a ON a.id = t.entity_id
        WHERE t.entity_kind = 'alert' AND t.to_status = @closed AND t.at >= @since AND t.verdict IS NOT NULL
          AND t.seq = (SELECT max(l.seq) FROM transitions l WHERE l.entity_kind = 'alert' AND l.entity_id = t.entity_id)
        UNION ALL
        SELECT a.rule_id, a.id, t.verdict, t.at, t.is_system, 1
        FROM transitions t JOIN alerts a ON a.incident_id = t.entity_id
        WHERE t.entity_kind = 'incident' AND t.to_status = @closed AND t.at >= @since AND t.verdict IS NOT NULL
          AND t.seq = (SELECT max(l.seq) FROM transitions l WHERE l.entity_kind = 'incident' AND l.entity_id = t.entity_id)
        """;

    public static async Task<IReadOnlyList<RuleVerdict>> ReadAsync(SqliteConnection connection, DateTimeOffset since, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Verdicts;
        command.Parameters.AddWithValue("@closed", (int)CaseStatus.Closed);
        command.Parameters.AddWithValue("@since", Columns.Time(since));
        var verdicts = new List<RuleVerdict>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            verdicts.Add(new RuleVerdict(
                reader.GetString(0),
                Guid.Parse(reader.GetString(1)),
                (Verdict)reader.GetInt32(2),
                Columns.ParseTime(reader.GetString(3)),
                reader.GetInt64(4) != 0,
                reader.GetInt64(5) != 0));
        }
        return verdicts;
    }

    /// <summary>Alerts per rule over the rule index; the title and time are read from each rule's newest alert only.</summary>
    public static async Task<IReadOnlyList<RuleAlertCount>> CountAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT g.rule_id, g.alerts, g.open, newest.doc ->> '$.title', newest.created_at
            FROM (SELECT rule_id, count(*) AS alerts, sum(status <> @closed) AS open, max(id) AS newest_id FROM alerts GROUP BY rule_id) g
            JOIN alerts newest ON newest.id = g.newest_id
            ORDER BY g.rule_id
            """;
        command.Parameters.AddWithValue("@closed", (int)CaseStatus.Closed);
        var counts = new List<RuleAlertCount>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new RuleAlertCount(reader.GetString(0), reader.GetString(3), reader.GetInt64(1), reader.GetInt64(2), Columns.ParseTime(reader.GetString(4))));
        }
        return counts;
    }
}
