using Microsoft.Data.Sqlite;
using Vedette.Domain;
using Vedette.Triage;

namespace Vedette.Storage.Sqlite;

/// <summary>
/// Writes an analyst's merge or split: whole incident rows (their alerts, entities and score changed, not only the
/// workflow), each under its version check, and the moved alerts' incident. A conflict on any incident undoes all.
/// </summary>
internal sealed class RegroupWriter(SqliteConnection writer, DocWriter docs, BatchWriter batches) : IDisposable
{
    // A hold placed after the analyst read the incident does not change its version: keep the stored one.
    private readonly Statement _updateIncident = new(writer, """
        UPDATE incidents SET
            severity = @severity, score = @score, first_seen = @first_seen, last_seen = @last_seen,
            alert_count = @alert_count, due_at = @due_at, merged_into = @merged_into,
            version = version + 1, doc = json_set(@doc, '$.hold', doc -> '$.hold')
        WHERE id = @id AND version = @version
        """);

    private readonly Statement _incidentExists = new(writer, "SELECT count(*) FROM incidents WHERE id = @id");

    private readonly Statement _moveAlert = new(writer, """
        UPDATE alerts SET incident_id = @incident_id, doc = json_set(doc, '$.incidentId', @incident_id) WHERE id = @id
        """);

    private readonly Statement _countAlerts = new(writer, "SELECT count(*) FROM alerts WHERE incident_id = @id");

    /// <summary>Runs inside the caller's transaction; throws <see cref="RegroupConflictException"/> to have it rolled back.</summary>
    public void Write(Regrouping regrouping)
    {
        foreach (var incident in regrouping.Changed)
        {
            var id = Columns.Id(incident.Id);
            _updateIncident.Set("@id", id);
            _updateIncident.Set("@version", incident.Version);
            _updateIncident.Set("@severity", (long)incident.Severity);
            _updateIncident.Set("@score", incident.Score);
            _updateIncident.Set("@first_seen", Columns.Time(incident.FirstSeen));
            _updateIncident.Set("@last_seen", Columns.Time(incident.LastSeen));
            _updateIncident.Set("@alert_count", incident.MergedInto is null ? incident.AlertIds.Count : 0);
            _updateIncident.Set("@due_at", Columns.Time(incident.DueAt));
            _updateIncident.Set("@merged_into", Columns.Id(incident.MergedInto));
            incident.Version++;
            _updateIncident.Set("@doc", docs.Incident(incident).Span);
            if (_updateIncident.Execute() != 1)
            {
                incident.Version--;
                _incidentExists.Set("@id", id);
                throw new RegroupConflictException(_incidentExists.ExecuteInt64() == 0 ? UpdateResult.NotFound : UpdateResult.Conflict);
            }
        }
        if (regrouping.Created is { } created)
        {
            var batch = new StoreBatch();
            batch.Incidents.Add(created);
            batches.Write(batch, CancellationToken.None);
        }
        foreach (var (alertId, incidentId) in regrouping.Moves)
        {
            _moveAlert.Set("@id", Columns.Id(alertId));
            _moveAlert.Set("@incident_id", Columns.Id(incidentId));
            _moveAlert.Execute();
        }
        // The pipeline adds alerts to an incident without changing its version. One that joined after the analyst read
        // the incident would be dropped from its list, or left behind in an incident that leaves the queue: the
        // stored alerts must be exactly those the regrouping gives each incident.
        foreach (var incident in regrouping.Changed)
        {
            _countAlerts.Set("@id", Columns.Id(incident.Id));
            if (_countAlerts.ExecuteInt64() != (incident.MergedInto is null ? incident.AlertIds.Count : 0))
            {
                throw new RegroupConflictException(UpdateResult.Conflict);
            }
        }
    }

    public void Dispose()
    {
        _updateIncident.Dispose();
        _incidentExists.Dispose();
        _moveAlert.Dispose();
        _countAlerts.Dispose();
    }
}

/// <summary>An incident changed since the analyst read it (or is gone): the whole regrouping is rolled back.</summary>
internal sealed class RegroupConflictException(UpdateResult result) : Exception($"regrouping refused: {result}")
{
    public UpdateResult Result { get; } = result;
}
