namespace Vedette.Storage.Sqlite.Schema;

/// <summary>
/// Migration 7: what a report counts alerts by, as columns, and covering indexes by creation time, so that KPIs over
/// any range read index entries only, never the alert or incident documents (which a full scan drags in page by page).
/// </summary>
internal static class ReportColumns
{
    public const string Name = "reports: alert source and ATT&CK tags, covering indexes by creation time";

    // Suppressed alerts and merged incidents are never counted, so the partial indexes leave them out; SQLite counts an
    // index as covering only when it holds every column the query names, those of its WHERE clause too (always NULL
    // here, so they cost nothing). Existing alerts get their facets from their documents, as AlertFacets computes them.
    public const string Sql = """
        ALTER TABLE alerts ADD COLUMN source TEXT NOT NULL DEFAULT 'rule';
        ALTER TABLE alerts ADD COLUMN attack_tags TEXT;
        UPDATE alerts SET
            source = coalesce(doc ->> '$.producer', doc ->> '$.origin', 'rule'),
            attack_tags = (SELECT group_concat(lower(value), ' ') FROM json_each(alerts.doc, '$.tags') WHERE value LIKE 'attack.%');
        CREATE INDEX alerts_by_created ON alerts (created_at, rule_id, severity, first_seen, acknowledged_at, closed_at, verdict,
            incident_id, source, attack_tags, id, suppressed_by) WHERE suppressed_by IS NULL;
        CREATE INDEX incidents_by_created ON incidents (created_at, severity, acknowledged_at, closed_at, verdict, due_at, id, merged_into)
            WHERE merged_into IS NULL;
        """;
}
