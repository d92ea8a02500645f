using Microsoft.Data.Sqlite;
using Vedette.Domain;

namespace Vedette.Storage.Sqlite;

/// <summary>
/// Saves analyst changes with optimistic concurrency: the row changes only if its version is the one the analyst
/// read. What the pipeline keeps changing meanwhile (an alert's event count and last seen; an incident's alerts,
/// score and entities) is kept from the stored row, so an analyst's save never undoes the pipeline's work.
/// </summary>
internal sealed class WorkItemUpdater : IDisposable
{
    private readonly DocWriter _docs;
    private readonly TransitionRows _transitions;
    private readonly Statement _updateAlert;
    private readonly Statement _alertExists;
    private readonly Statement _updateIncident;
    private readonly Statement _incidentExists;

    public WorkItemUpdater(SqliteConnection writer, DocWriter docs, TransitionRows transitions)
    {
        _docs = docs;
        _transitions = transitions;
        _updateAlert = new Statement(writer, """
            UPDATE alerts SET
                severity = @severity, score = @score, incident_id = @incident_id,
                status = @status, verdict = @verdict, assignee = @assignee,
                acknowledged_at = @acknowledged_at, closed_at = @closed_at,
                version = version + 1,
                doc = json_set(@doc, '$.eventCount', doc -> '$.eventCount', '$.lastSeen', doc -> '$.lastSeen')
            WHERE id = @id AND version = @version
            """);
        _alertExists = new Statement(writer, "SELECT count(*) FROM alerts WHERE id = @id");
        _updateIncident = new Statement(writer, """
            UPDATE incidents SET
                status = @status, verdict = @verdict, assignee = @assignee,
                acknowledged_at = @acknowledged_at, closed_at = @closed_at,
                version = version + 1,
                doc = json_set(doc,
                    '$.status', @doc -> '$.status',
                    '$.verdict', @doc -> '$.verdict',
                    '$.assignee', @doc -> '$.assignee',
                    '$.version', version + 1,
                    '$.transitions', @doc -> '$.transitions')
            WHERE id = @id AND version = @version
            """);
        _incidentExists = new Statement(writer, "SELECT count(*) FROM incidents WHERE id = @id");
    }

    public UpdateResult Update(Alert alert)
    {
        _updateAlert.Set("@severity", (long)alert.Severity);
        _updateAlert.Set("@score", alert.Risk?.Total);
        _updateAlert.Set("@incident_id", Columns.Id(alert.IncidentId));
        return Update(alert, "alert", _updateAlert, _alertExists, () => _docs.Alert(alert));
    }

    public UpdateResult Update(Incident incident) =>
        Update(incident, "incident", _updateIncident, _incidentExists, () => _docs.Incident(incident));

    /// <summary>Bumps the item's version to the one the row gets; the caller restores it if nothing is committed.</summary>
    private UpdateResult Update(WorkItem item, string kind, Statement update, Statement exists, Func<ReadOnlyMemory<byte>> document)
    {
        var id = Columns.Id(item.Id);
        update.Set("@id", id);
        update.Set("@version", item.Version);
        update.SetWorkflow(item);
        item.Version++;
        update.Set("@doc", document().Span);
        if (update.Execute() == 1)
        {
            _transitions.Insert(kind, item.Id, item.Transitions);
            return UpdateResult.Updated;
        }
        exists.Set("@id", id);
        return exists.ExecuteInt64() == 0 ? UpdateResult.NotFound : UpdateResult.Conflict;
    }

    public void Dispose()
    {
        _updateAlert.Dispose();
        _alertExists.Dispose();
        _updateIncident.Dispose();
        _incidentExists.Dispose();
    }
}
