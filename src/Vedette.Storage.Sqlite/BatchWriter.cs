using Microsoft.Data.Sqlite;
using Vedette.Domain;
using Vedette.Metrics;

namespace Vedette.Storage.Sqlite;

/// <summary>
/// Writes pipeline batches on the writer connection with statements prepared once. The pipeline owns what it
/// computes (counts, evidence, an incident's alerts, score and entities); the analyst workflow owns status, verdict,
/// assignee and version, which only <see cref="WorkItemUpdater"/> changes once a row exists.
/// </summary>
internal sealed class BatchWriter : IDisposable
{
    private const int SqliteConstraintPrimaryKey = 1555;

    private readonly DocWriter _docs;
    private readonly TransitionRows _transitions;
    private readonly Statement _insertAlert;
    private readonly Statement _insertObservable;
    private readonly Statement _insertEvidence;
    private readonly Statement _nextEvidenceSeq;
    private readonly Statement _updateAlert;
    private readonly Statement _incidentExists;
    private readonly Statement _upsertIncident;

    public BatchWriter(SqliteConnection writer, DocWriter docs, TransitionRows transitions)
    {
        _docs = docs;
        _transitions = transitions;
        _insertAlert = new Statement(writer, """
            INSERT INTO alerts (id, rule_id, severity, status, verdict, assignee, score, incident_id, first_seen, last_seen,
                                created_at, acknowledged_at, closed_at, event_count, version, doc, suppressed_by, source, attack_tags)
            VALUES (@id, @rule_id, @severity, @status, @verdict, @assignee, @score, @incident_id, @first_seen, @last_seen,
                    @created_at, @acknowledged_at, @closed_at, @event_count, @version, @doc, @suppressed_by, @source, @attack_tags)
            """);
        _insertObservable = new Statement(writer, "INSERT OR IGNORE INTO alert_observables (type, value, alert_id) VALUES (@type, @value, @alert_id)");
        _insertEvidence = new Statement(writer, """
            INSERT INTO alert_evidence (alert_id, seq, origin, line, timestamp, json)
            VALUES (@alert_id, @seq, @origin, @line, @timestamp, @json)
            """);
        _nextEvidenceSeq = new Statement(writer, "SELECT coalesce(max(seq) + 1, 0) FROM alert_evidence WHERE alert_id = @alert_id");
        // Absolute count (replaying an update is harmless); last seen never moves back when updates arrive out of order.
        _updateAlert = new Statement(writer, """
            UPDATE alerts SET
                event_count = @event_count,
                last_seen = max(last_seen, @last_seen),
                doc = CASE WHEN @last_seen > last_seen
                    THEN json_set(doc, '$.eventCount', @event_count, '$.lastSeen', @last_seen_doc)
                    ELSE json_set(doc, '$.eventCount', @event_count) END
            WHERE id = @id
            """);
        _incidentExists = new Statement(writer, "SELECT count(*) FROM incidents WHERE id = @id");
        // Triage's snapshot replaces what triage computes; the workflow fields stay as stored, because analysts change
        // them through UpdateIncidentAsync and triage's copy may predate their change. A legal hold is the store's own:
        // only a new incident (a split of a held one) brings its hold.
        _upsertIncident = new Statement(writer, """
            INSERT INTO incidents (id, severity, score, status, verdict, assignee, first_seen, last_seen, created_at,
                                   acknowledged_at, closed_at, alert_count, version, due_at, doc, held_by, held_at, hold_reason)
            VALUES (@id, @severity, @score, @status, @verdict, @assignee, @first_seen, @last_seen, @created_at,
                    @acknowledged_at, @closed_at, @alert_count, @version, @due_at, @doc, @held_by, @held_at, @hold_reason)
            ON CONFLICT (id) DO UPDATE SET
                severity = excluded.severity,
                score = excluded.score,
                first_seen = excluded.first_seen,
                last_seen = excluded.last_seen,
                alert_count = excluded.alert_count,
                due_at = excluded.due_at,
                doc = json_set(excluded.doc,
                    '$.status', incidents.doc -> '$.status',
                    '$.verdict', incidents.doc -> '$.verdict',
                    '$.assignee', incidents.doc -> '$.assignee',
                    '$.version', incidents.version,
                    '$.transitions', incidents.doc -> '$.transitions',
                    '$.mergedInto', incidents.doc -> '$.mergedInto',
                    '$.hold', incidents.doc -> '$.hold')
            """);
    }

    /// <summary>Writes the batch inside the caller's transaction; any failure leaves the whole batch to be rolled back.</summary>
    public void Write(StoreBatch batch, CancellationToken cancellationToken)
    {
        foreach (var alert in batch.NewAlerts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            InsertAlert(alert);
        }
        foreach (var update in batch.AlertUpdates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            UpdateAlert(update);
        }
        foreach (var incident in batch.Incidents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            UpsertIncident(incident);
        }
    }

    private void InsertAlert(Alert alert)
    {
        var id = Columns.Id(alert.Id);
        var command = _insertAlert;
        command.Set("@id", id);
        command.Set("@rule_id", alert.RuleId);
        command.Set("@severity", (long)alert.Severity);
        command.SetWorkflow(alert);
        command.Set("@score", alert.Risk?.Total);
        command.Set("@incident_id", Columns.Id(alert.IncidentId));
        command.Set("@first_seen", Columns.Time(alert.FirstSeen));
        command.Set("@last_seen", Columns.Time(alert.LastSeen));
        command.Set("@created_at", Columns.Time(alert.CreatedAt));
        command.Set("@event_count", alert.EventCount);
        command.Set("@version", alert.Version);
        command.Set("@doc", _docs.Alert(alert).Span);
        command.Set("@suppressed_by", Columns.Id(alert.SuppressedBy));
        command.Set("@source", AlertFacets.Source(alert));
        command.Set("@attack_tags", AlertFacets.AttackTags(alert.Tags));
        try
        {
            command.Execute();
        }
        catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteConstraintPrimaryKey)
        {
            throw new InvalidOperationException($"alert {alert.Id} ({alert.RuleId}) is already stored", ex);
        }

        _insertObservable.Set("@alert_id", id);
        foreach (var observable in alert.Observables)
        {
            _insertObservable.Set("@type", ObservableTypes.ToName(observable.Type));
            _insertObservable.Set("@value", observable.Value);
            _insertObservable.Execute();
        }
        InsertEvidence(id, 0, alert.Evidence);
        _transitions.Insert("alert", alert.Id, alert.Transitions);
    }

    private void UpdateAlert(AlertUpdate update)
    {
        var id = Columns.Id(update.AlertId);
        _updateAlert.Set("@id", id);
        _updateAlert.Set("@event_count", update.EventCount);
        _updateAlert.Set("@last_seen", Columns.Time(update.LastSeen));
        _updateAlert.Set("@last_seen_doc", Columns.RoundTripTime(update.LastSeen));
        if (_updateAlert.Execute() == 0)
        {
            // The pipeline emitted this alert earlier; an update without it is a bug upstream, not something to drop.
            throw new InvalidOperationException($"update of alert {update.AlertId}: no such alert is stored");
        }
        if (update.NewEvidence.Count > 0)
        {
            _nextEvidenceSeq.Set("@alert_id", id);
            InsertEvidence(id, _nextEvidenceSeq.ExecuteInt64(), update.NewEvidence);
        }
    }

    private void InsertEvidence(string alertId, long firstSeq, IReadOnlyList<EvidenceEvent> evidence)
    {
        _insertEvidence.Set("@alert_id", alertId);
        for (var i = 0; i < evidence.Count; i++)
        {
            var e = evidence[i];
            _insertEvidence.Set("@seq", firstSeq + i);
            _insertEvidence.Set("@origin", e.Ref.Origin);
            _insertEvidence.Set("@line", e.Ref.Line);
            _insertEvidence.Set("@timestamp", Columns.RoundTripTime(e.Timestamp));
            _insertEvidence.Set("@json", e.Json);
            _insertEvidence.Execute();
        }
    }

    private void UpsertIncident(Incident incident)
    {
        var id = Columns.Id(incident.Id);
        _incidentExists.Set("@id", id);
        var isNew = _incidentExists.ExecuteInt64() == 0;

        var command = _upsertIncident;
        command.Set("@id", id);
        command.Set("@severity", (long)incident.Severity);
        command.Set("@score", incident.Score);
        command.SetWorkflow(incident);
        command.Set("@first_seen", Columns.Time(incident.FirstSeen));
        command.Set("@last_seen", Columns.Time(incident.LastSeen));
        command.Set("@created_at", Columns.Time(incident.CreatedAt));
        command.Set("@alert_count", incident.AlertIds.Count);
        command.Set("@due_at", Columns.Time(incident.DueAt));
        command.Set("@version", incident.Version);
        command.Set("@held_by", incident.Hold?.By);
        command.Set("@held_at", Columns.Time(incident.Hold?.At));
        command.Set("@hold_reason", incident.Hold?.Reason);
        command.Set("@doc", _docs.Incident(incident).Span);
        command.Execute();
        if (isNew)
        {
            _transitions.Insert("incident", incident.Id, incident.Transitions);
        }
    }

    public void Dispose()
    {
        _insertAlert.Dispose();
        _insertObservable.Dispose();
        _insertEvidence.Dispose();
        _nextEvidenceSeq.Dispose();
        _updateAlert.Dispose();
        _incidentExists.Dispose();
        _upsertIncident.Dispose();
    }
}
