using System.Globalization;
using Microsoft.Data.Sqlite;
using Vedette.Domain;

namespace Vedette.Storage.Sqlite;

/// <summary>
/// Retention: one planning function, run by the dry run on a reader and by the real run inside its write transaction,
/// and an executor that deletes exactly the planned rows or, if any count differs, throws to have it all rolled back.
/// The safety rules live in <see cref="Plan"/> alone.
/// </summary>
internal static class RetentionRows
{
    private const long Closed = (long)CaseStatus.Closed;

    // Incidents that go: closed long enough, not held, not merged (a merged incident goes with the one it was merged
    // into, through the recursion, unless it is held itself). Anything not closed is never picked, whatever its age.
    private const string Doomed = """
        WITH RECURSIVE doomed (id) AS (
            SELECT id FROM incidents
            WHERE merged_into IS NULL AND status = @closed AND closed_at < @incidents_before AND held_at IS NULL
            UNION
            SELECT incidents.id FROM incidents JOIN doomed ON incidents.merged_into = doomed.id WHERE incidents.held_at IS NULL
        )
        """;

    private static readonly string DoomedIncidents = Doomed + "SELECT id FROM doomed ORDER BY id";

    // An incident's alerts go with it, whatever their own status.
    private static readonly string AlertsOfDoomed = Doomed + """
        SELECT alerts.id, (SELECT count(*) FROM alert_evidence WHERE alert_evidence.alert_id = alerts.id)
        FROM alerts WHERE alerts.incident_id IN (SELECT id FROM doomed) ORDER BY alerts.id
        """;

    // Alerts in no incident follow the alert policy; an open one is never picked.
    private const string LoneAlerts = """
        SELECT id, (SELECT count(*) FROM alert_evidence WHERE alert_evidence.alert_id = alerts.id)
        FROM alerts WHERE incident_id IS NULL AND status = @closed AND closed_at < @alerts_before ORDER BY id
        """;

    // Evidence goes early only from alerts nobody works on any more: closed alerts in no incident, and alerts of a
    // closed incident that is not held. An alert whose incident_id names no stored incident (triage wrote the alert
    // first) counts as open. Age: the later of the alert's creation (our clock) and its last event (the source's), so
    // that neither a source clock running behind nor a late alert on old events lets evidence go early.
    private const string StaleEvidence = """
        SELECT alerts.id, count(*) FROM alerts JOIN alert_evidence ON alert_evidence.alert_id = alerts.id
        WHERE max(alerts.created_at, alerts.last_seen) < @events_before
          AND ((alerts.incident_id IS NULL AND alerts.status = @closed)
               OR EXISTS (SELECT 1 FROM incidents WHERE incidents.id = alerts.incident_id AND incidents.status = @closed AND incidents.held_at IS NULL))
        GROUP BY alerts.id ORDER BY alerts.id
        """;

    /// <summary>What the policy deletes at <paramref name="now"/>, read in the caller's transaction (one snapshot).</summary>
    public static RetentionPlan Plan(SqliteConnection connection, SqliteTransaction transaction, RetentionPolicy policy, DateTimeOffset now)
    {
        var incidents = new List<Guid>();
        var alerts = new List<AlertPurge>();
        if (policy.Incidents is { } incidentAge)
        {
            using var command = Command(connection, transaction, DoomedIncidents, ("@incidents_before", now - incidentAge));
            using var rows = command.ExecuteReader();
            while (rows.Read())
            {
                incidents.Add(Guid.Parse(rows.GetString(0)));
            }
            using var ofDoomed = Command(connection, transaction, AlertsOfDoomed, ("@incidents_before", now - incidentAge));
            ReadPurges(ofDoomed, alerts);
        }
        if (policy.Alerts is { } alertAge)
        {
            using var command = Command(connection, transaction, LoneAlerts, ("@alerts_before", now - alertAge));
            ReadPurges(command, alerts);
        }
        var evidence = new List<AlertPurge>();
        if (policy.Events is { } eventAge)
        {
            var going = alerts.Select(a => a.Id).ToHashSet();
            using var command = Command(connection, transaction, StaleEvidence, ("@events_before", now - eventAge));
            ReadPurges(command, evidence);
            evidence.RemoveAll(e => going.Contains(e.Id));
        }
        alerts.Sort((a, b) => a.Id.CompareTo(b.Id));
        return new RetentionPlan(policy, now, incidents, alerts, evidence);
    }

    /// <summary>Deletes the plan's rows in the caller's write transaction; a count that differs from the plan throws.</summary>
    public static void Execute(SqliteConnection writer, SqliteTransaction transaction, RetentionPlan plan)
    {
        if (plan.IsEmpty)
        {
            return;
        }
        Run(writer, transaction, "CREATE TEMP TABLE IF NOT EXISTS retention_ids (kind TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID");
        Run(writer, transaction, "DELETE FROM temp.retention_ids");
        Remember(writer, transaction, "incident", plan.Incidents);
        Remember(writer, transaction, "alert", plan.Alerts.Select(a => a.Id));
        Remember(writer, transaction, "evidence", plan.Evidence.Select(a => a.Id));

        // Evidence of deleted alerts goes by ON DELETE CASCADE, which no change count reports: count it first.
        Expect("evidence events of deleted alerts", plan.Alerts.Sum(a => a.Events),
            Scalar(writer, transaction, "SELECT count(*) FROM alert_evidence WHERE alert_id IN (SELECT id FROM temp.retention_ids WHERE kind = 'alert')"));
        Run(writer, transaction, "DELETE FROM alert_observables WHERE alert_id IN (SELECT id FROM temp.retention_ids WHERE kind = 'alert')");
        Run(writer, transaction, "DELETE FROM transitions WHERE entity_kind = 'alert' AND entity_id IN (SELECT id FROM temp.retention_ids WHERE kind = 'alert')");
        Expect("alerts", plan.Alerts.Count, Run(writer, transaction, "DELETE FROM alerts WHERE id IN (SELECT id FROM temp.retention_ids WHERE kind = 'alert')"));
        Expect("evidence events of kept alerts", plan.Evidence.Sum(a => a.Events),
            Run(writer, transaction, "DELETE FROM alert_evidence WHERE alert_id IN (SELECT id FROM temp.retention_ids WHERE kind = 'evidence')"));
        Run(writer, transaction, "DELETE FROM transitions WHERE entity_kind = 'incident' AND entity_id IN (SELECT id FROM temp.retention_ids WHERE kind = 'incident')");
        Expect("incidents", plan.Incidents.Count, Run(writer, transaction, "DELETE FROM incidents WHERE id IN (SELECT id FROM temp.retention_ids WHERE kind = 'incident')"));
        Run(writer, transaction, "DELETE FROM temp.retention_ids");
    }

    private static void ReadPurges(SqliteCommand command, List<AlertPurge> into)
    {
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            into.Add(new AlertPurge(Guid.Parse(rows.GetString(0)), rows.GetInt64(1)));
        }
    }

    private static void Remember(SqliteConnection writer, SqliteTransaction transaction, string kind, IEnumerable<Guid> ids)
    {
        using var insert = Command(writer, transaction, "INSERT INTO temp.retention_ids (kind, id) VALUES (@kind, @id)");
        insert.Parameters.AddWithValue("@kind", kind);
        var id = insert.Parameters.Add("@id", SqliteType.Text);
        insert.Prepare();
        foreach (var value in ids)
        {
            id.Value = Columns.Id(value);
            insert.ExecuteNonQuery();
        }
    }

    private static void Expect(string what, long planned, long actual)
    {
        if (planned != actual)
        {
            throw new InvalidOperationException($"retention planned {planned} {what} but would delete {actual}: nothing was deleted");
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, DateTimeOffset Before)[] cutoffs)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        if (sql.Contains("@closed", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("@closed", Closed);
        }
        foreach (var (name, before) in cutoffs)
        {
            command.Parameters.AddWithValue(name, Columns.Time(before));
        }
        return command;
    }

    private static int Run(SqliteConnection writer, SqliteTransaction transaction, string sql)
    {
        using var command = Command(writer, transaction, sql);
        return command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection writer, SqliteTransaction transaction, string sql)
    {
        using var command = Command(writer, transaction, sql);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
