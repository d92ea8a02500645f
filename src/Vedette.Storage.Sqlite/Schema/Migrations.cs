namespace Vedette.Storage.Sqlite.Schema;

/// <summary>The schema's history, oldest first; SCHEMA.md explains the design.</summary>
internal static class Migrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "initial schema", Initial),
        new(2, "threat-intel feeds", Feeds),
        new(3, "suppressions", Suppressions),
        new(4, "incident queue: SLA due time and merges", Queue),
        new(5, "identity: users, API tokens, sessions, passkeys", Identity),
        new(6, "legal hold on incidents", LegalHold),
        new(7, ReportColumns.Name, ReportColumns.Sql),
        new(8, "audit entries by target", AuditByTarget),
    ];

    // A held incident is kept by retention however old; who placed the hold, when and why are columns so that the
    // retention query filters on them, and the same hold is in the document so that reads show it.
    private const string LegalHold = """
        ALTER TABLE incidents ADD COLUMN held_by TEXT;
        ALTER TABLE incidents ADD COLUMN held_at TEXT;
        ALTER TABLE incidents ADD COLUMN hold_reason TEXT;
        """;

    // Every alert and incident page shows the audit entries about it (its comments among them), newest first: without
    // this the search walks the whole log, which grows with every sign-in and action.
    private const string AuditByTarget = """
        CREATE INDEX audit_by_target ON audit (target, sequence);
        """;

    // Secrets are stored as SHA-256 hashes (tokens, session ids, recovery codes) or PHC strings (passwords); the TOTP
    // secret is kept as it is, since verifying a code needs it. Users are never deleted (disabled instead), so audit
    // entries and tokens always name someone; sessions are deleted when they end.
    private const string Identity = """
        CREATE TABLE users (
            id             TEXT PRIMARY KEY,
            name           TEXT NOT NULL COLLATE NOCASE UNIQUE,
            role           INTEGER NOT NULL CHECK (role BETWEEN 0 AND 4),
            password_hash  TEXT,
            disabled       INTEGER NOT NULL DEFAULT 0,
            totp_secret    BLOB,
            totp_last_step INTEGER,
            security_stamp TEXT NOT NULL,
            created_at     TEXT NOT NULL,
            updated_at     TEXT NOT NULL
        );

        CREATE TABLE recovery_codes (
            user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            code_hash TEXT NOT NULL,
            PRIMARY KEY (user_id, code_hash)
        ) WITHOUT ROWID;

        CREATE TABLE api_tokens (
            id         TEXT PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            user_id    TEXT NOT NULL REFERENCES users (id),
            role       INTEGER NOT NULL CHECK (role BETWEEN 0 AND 4),
            name       TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT,
            revoked_at TEXT,
            revoked_by TEXT
        );
        CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

        CREATE TABLE sessions (
            id                  TEXT PRIMARY KEY,
            token_hash          TEXT NOT NULL UNIQUE,
            user_id             TEXT NOT NULL REFERENCES users (id),
            created_at          TEXT NOT NULL,
            last_seen_at        TEXT NOT NULL,
            idle_expires_at     TEXT NOT NULL,
            absolute_expires_at TEXT NOT NULL,
            security_stamp      TEXT NOT NULL
        );
        CREATE INDEX sessions_by_user ON sessions (user_id);

        CREATE TABLE passkeys (
            credential_id   BLOB PRIMARY KEY,
            user_id         TEXT NOT NULL REFERENCES users (id),
            public_key      BLOB NOT NULL,
            sign_count      INTEGER NOT NULL,
            user_handle     BLOB NOT NULL,
            aaguid          TEXT NOT NULL,
            name            TEXT NOT NULL,
            transports      TEXT NOT NULL,
            backup_eligible INTEGER NOT NULL,
            backed_up       INTEGER NOT NULL,
            created_at      TEXT NOT NULL,
            last_used_at    TEXT
        );
        CREATE INDEX passkeys_by_user ON passkeys (user_id);
        CREATE INDEX passkeys_by_handle ON passkeys (user_handle);
        """;

    // The queue orders open incidents by score, then by when their SLA runs out; a merged incident stays for the
    // record but leaves the queue, so the index covers only the others.
    private const string Queue = """
        ALTER TABLE incidents ADD COLUMN due_at TEXT;
        ALTER TABLE incidents ADD COLUMN merged_into TEXT;
        UPDATE incidents SET due_at = created_at;
        DROP INDEX incidents_by_priority;
        CREATE INDEX incidents_by_queue ON incidents (score DESC, due_at, id) WHERE merged_into IS NULL;
        """;

    // Suppressions are never deleted (removal is soft, for the audit trail). A suppressed alert names its suppression;
    // the partial index holds only those, so counting them stays cheap however many alerts are stored.
    private const string Suppressions = """
        CREATE TABLE suppressions (
            id           TEXT PRIMARY KEY,
            rule_id      TEXT,
            entity_type  TEXT,
            entity_value TEXT,
            fields       TEXT,
            expires_at   TEXT,
            reason       TEXT NOT NULL,
            author       TEXT NOT NULL,
            created_at   TEXT NOT NULL,
            removed_at   TEXT,
            removed_by   TEXT,
            CHECK (rule_id IS NOT NULL OR entity_type IS NOT NULL OR fields IS NOT NULL),
            CHECK ((entity_type IS NULL) = (entity_value IS NULL))
        );

        ALTER TABLE alerts ADD COLUMN suppressed_by TEXT;
        CREATE INDEX alerts_by_suppression ON alerts (suppressed_by) WHERE suppressed_by IS NOT NULL;
        """;

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
