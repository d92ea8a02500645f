namespace Vedette.Storage.Sqlite.Schema;

/// <summary>The schema's history, oldest first; SCHEMA.md explains the design.</summary>
internal static class Migrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "initial schema", Initial),
        new(2, "threat-intel feeds", Feeds),
    ];

    // Indicators are kept per feed, so that an update replaces one feed's list and nothing else.
    private const string Feeds = """
        DROP TABLE indicators;

        CREATE TABLE feeds (
            name            TEXT PRIMARY KEY,
            kind            TEXT NOT NULL,
            location        TEXT NOT NULL,
            updated_at      INTEGER,
            attempted_at    INTEGER,
            last_error      TEXT,
            indicator_count INTEGER NOT NULL,
            fetch_state     TEXT,
            half_life       INTEGER
        );

        CREATE TABLE feed_indicators (
            feed        TEXT NOT NULL REFERENCES feeds (name) ON DELETE CASCADE,
            type        TEXT NOT NULL,
            value       TEXT NOT NULL,
            score       INTEGER,
            first_seen  INTEGER,
            last_seen   INTEGER,
            valid_until INTEGER,
            subdomains  INTEGER NOT NULL,
            tags        TEXT,
            PRIMARY KEY (feed, type, value)
        ) WITHOUT ROWID;
        """;

    private const string Initial = """
        CREATE TABLE alerts (
            id              TEXT PRIMARY KEY,
            rule_id         TEXT NOT NULL,
            severity        INTEGER NOT NULL,
            status          INTEGER NOT NULL,
            verdict         INTEGER,
            assignee        TEXT,
            score           INTEGER,
            incident_id     TEXT,
            first_seen      TEXT NOT NULL,
            last_seen       TEXT NOT NULL,
            created_at      TEXT NOT NULL,
            acknowledged_at TEXT,
            closed_at       TEXT,
            event_count     INTEGER NOT NULL,
            version         INTEGER NOT NULL,
            doc             TEXT NOT NULL
        );
        CREATE INDEX alerts_by_status ON alerts (status, id);
        CREATE INDEX alerts_by_rule ON alerts (rule_id, id);
        CREATE INDEX alerts_by_incident ON alerts (incident_id, id) WHERE incident_id IS NOT NULL;

        CREATE TABLE alert_observables (
            type     TEXT NOT NULL,
            value    TEXT NOT NULL,
            alert_id TEXT NOT NULL,
            PRIMARY KEY (type, value, alert_id)
        ) WITHOUT ROWID;

        CREATE TABLE alert_evidence (
            alert_id  TEXT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
            seq       INTEGER NOT NULL,
            origin    TEXT NOT NULL,
            line      INTEGER NOT NULL,
            timestamp TEXT NOT NULL,
            json      TEXT NOT NULL,
            PRIMARY KEY (alert_id, seq)
        );

        CREATE TABLE incidents (
            id              TEXT PRIMARY KEY,
            severity        INTEGER NOT NULL,
            score           INTEGER NOT NULL,
            status          INTEGER NOT NULL,
            verdict         INTEGER,
            assignee        TEXT,
            first_seen      TEXT NOT NULL,
            last_seen       TEXT NOT NULL,
            created_at      TEXT NOT NULL,
            acknowledged_at TEXT,
            closed_at       TEXT,
            alert_count     INTEGER NOT NULL,
            version         INTEGER NOT NULL,
            doc             TEXT NOT NULL
        );
        CREATE INDEX incidents_by_priority ON incidents (score DESC, severity DESC, first_seen, id);
        CREATE INDEX incidents_by_status ON incidents (status);

        CREATE TABLE transitions (
            entity_kind TEXT NOT NULL CHECK (entity_kind IN ('alert', 'incident')),
            entity_id   TEXT NOT NULL,
            seq         INTEGER NOT NULL,
            from_status INTEGER NOT NULL,
            to_status   INTEGER NOT NULL,
            at          TEXT NOT NULL,
            actor       TEXT NOT NULL,
            is_system   INTEGER NOT NULL,
            verdict     INTEGER,
            note        TEXT,
            PRIMARY KEY (entity_kind, entity_id, seq)
        ) WITHOUT ROWID;
        CREATE INDEX transitions_by_status ON transitions (entity_kind, to_status, at);

        CREATE TABLE indicators (
            type       TEXT NOT NULL,
            value      TEXT NOT NULL,
            score      INTEGER NOT NULL,
            feeds      TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen  TEXT NOT NULL,
            expires_at TEXT,
            tags       TEXT NOT NULL,
            PRIMARY KEY (type, value)
        ) WITHOUT ROWID;

        CREATE TABLE audit (
            sequence  INTEGER PRIMARY KEY,
            at        TEXT NOT NULL,
            actor     TEXT NOT NULL,
            action    TEXT NOT NULL,
            target    TEXT NOT NULL,
            details   TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash      TEXT NOT NULL
        );
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """;
}
