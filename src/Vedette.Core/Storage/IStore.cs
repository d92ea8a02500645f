using Vedette.Domain;
using Vedette.Enrich.Intel;
using Vedette.Triage;

namespace Vedette.Storage;

/// <summary>
/// The persistence seam. Every implementation (SQLite now, PostgreSQL later) passes the same contract test suite.
/// Writes are durable when the returned task completes: that is what "acknowledged" means to the pipeline.
/// </summary>
public interface IStore : IAsyncDisposable
{
    /// <summary>Writes one pipeline batch atomically: new alerts with their evidence, updates to alerts, incident snapshots.</summary>
    Task WriteAsync(StoreBatch batch, CancellationToken cancellationToken);

    Task<Alert?> GetAlertAsync(Guid id, CancellationToken cancellationToken);

    Task<Page<Alert>> ListAlertsAsync(AlertQuery query, CancellationToken cancellationToken);

    /// <summary>Saves an analyst's change to an alert (status, assignee) if nobody changed it since it was read.</summary>
    Task<UpdateResult> UpdateAlertAsync(Alert alert, CancellationToken cancellationToken);

    Task<Incident?> GetIncidentAsync(Guid id, CancellationToken cancellationToken);

    Task<Page<Incident>> ListIncidentsAsync(IncidentQuery query, CancellationToken cancellationToken);

    Task<UpdateResult> UpdateIncidentAsync(Incident incident, CancellationToken cancellationToken);

    /// <summary>
    /// Saves an analyst's merge or split in one transaction: the changed incidents (each only if nobody changed it
    /// since it was read), the incident a split created, and the alerts that moved. All of it, or none of it.
    /// </summary>
    Task<UpdateResult> RegroupAsync(Regrouping regrouping, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces everything the feed listed with what it lists now and records the update, in one transaction: a
    /// reader sees the old list or the new one, never a mix.
    /// </summary>
    Task ReplaceFeedAsync(FeedStatus status, IReadOnlyCollection<FeedIndicator> indicators, CancellationToken cancellationToken);

    /// <summary>
    /// Records an attempt that changed no indicators (a failure, or "not modified"): its time, error and fetch state.
    /// The feed's indicators, their count and the time of its last real update stay as they were.
    /// </summary>
    Task SaveFeedStatusAsync(FeedStatus status, CancellationToken cancellationToken);

    Task<IReadOnlyList<FeedStatus>> ListFeedsAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<FeedIndicator>> ReadFeedIndicatorsAsync(string feed, CancellationToken cancellationToken);

    /// <summary>Appends to the hash-chained audit log and returns the entry as stored.</summary>
    Task<AuditEntry> AppendAuditAsync(string actor, string action, string target, string details, DateTimeOffset at, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>Audit entries matching the query, newest first (the console's audit page, an item's activity).</summary>
    Task<IReadOnlyList<AuditEntry>> SearchAuditAsync(AuditQuery query, CancellationToken cancellationToken);

    Task<StoreCounts> CountAsync(CancellationToken cancellationToken);

    /// <summary>Alerts and incidents (merged ones left out) counted by status and severity, for the metrics summary.</summary>
    Task<WorkItemCounts> CountWorkItemsAsync(CancellationToken cancellationToken);

    /// <summary>Records a new suppression; a pipeline applies it from the next time it loads the suppressions.</summary>
    Task AddSuppressionAsync(Suppression suppression, CancellationToken cancellationToken);

    /// <summary>
    /// Suppressions oldest first, each with <see cref="Suppression.Hits"/> set to the stored alerts it silenced;
    /// removed ones only when <paramref name="includeRemoved"/>. Expired ones are listed: expiry depends on when one asks.
    /// </summary>
    Task<IReadOnlyList<Suppression>> ListSuppressionsAsync(bool includeRemoved, CancellationToken cancellationToken);

    /// <summary>Lifts a suppression (kept, marked removed); false when there is no such suppression or it was removed already.</summary>
    Task<bool> RemoveSuppressionAsync(Guid id, string by, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Places a legal hold on an incident: retention keeps it and its alerts until the hold is released. A second hold
    /// is refused (<see cref="HoldResult.AlreadyHeld"/>), so the first one's who, when and why are never overwritten.
    /// </summary>
    Task<HoldResult> PlaceHoldAsync(Guid incidentId, LegalHold hold, CancellationToken cancellationToken);

    Task<HoldResult> ReleaseHoldAsync(Guid incidentId, CancellationToken cancellationToken);

    /// <summary>What a retention run with this policy would delete at <paramref name="now"/>; deletes nothing (the dry run).</summary>
    Task<RetentionPlan> PlanRetentionAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Computes the plan as <see cref="PlanRetentionAsync"/> does and deletes exactly its rows, with an audit entry of the
    /// counts by <paramref name="actor"/>, all in one transaction; returns the plan it carried out.
    /// </summary>
    Task<RetentionPlan> ApplyRetentionAsync(RetentionPolicy policy, DateTimeOffset now, string actor, CancellationToken cancellationToken);

    /// <summary>
    /// The verdict each alert is closed with now, by a transition at or after <paramref name="since"/>: the last
    /// transition of the alert, and the last of its incident for each of the incident's alerts, when that transition
    /// closed it with a verdict. A reopened item has no verdict until it is closed again.
    /// </summary>
    Task<IReadOnlyList<RuleVerdict>> ReadVerdictsAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Alerts per rule, for rule statistics.</summary>
    Task<IReadOnlyList<RuleAlertCount>> ReadRuleCountsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The times and outcome of every alert created in [<paramref name="from"/>, <paramref name="to"/>), with those of
    /// its incident, in no particular order: what the KPIs need and nothing more, read without the alert documents.
    /// </summary>
    Task<IReadOnlyList<AlertTiming>> ReadAlertTimingsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Every incident that is not closed (merged ones left out), with what its age and severity need.</summary>
    Task<IReadOnlyList<OpenIncident>> ReadOpenIncidentsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The times, outcome and due time of every incident created in [<paramref name="from"/>, <paramref name="to"/>)
    /// (merged ones left out), in no particular order, read without the incident documents.
    /// </summary>
    Task<IReadOnlyList<IncidentTiming>> ReadIncidentTimingsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

/// <summary>What the pipeline hands the store in one transaction.</summary>
public sealed class StoreBatch
{
    public List<Alert> NewAlerts { get; } = [];

    public List<AlertUpdate> AlertUpdates { get; } = [];

    /// <summary>Snapshots of incidents created or changed by this batch (the triage stage owns the live objects).</summary>
    public List<Incident> Incidents { get; } = [];

    public bool IsEmpty => NewAlerts.Count == 0 && AlertUpdates.Count == 0 && Incidents.Count == 0;
}

public enum UpdateResult
{
    Updated,
    NotFound,

    /// <summary>Someone else changed it since it was read; re-read and retry.</summary>
    Conflict,
}

/// <summary>A page of results and an opaque cursor for the next page (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

/// <summary>Alert filters; results are newest first.</summary>
public sealed record AlertQuery
{
    public CaseStatus? Status { get; init; }

    public Severity? MinSeverity { get; init; }

    public string? RuleId { get; init; }

    public Guid? IncidentId { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public int Limit { get; init; } = 50;

    public string? After { get; init; }
}

/// <summary>Audit filters, each exact; results are newest first, before the sequence <see cref="Before"/> when given.</summary>
public sealed record AuditQuery
{
    public string? Actor { get; init; }

    /// <summary>An action name, or a prefix ending in '.' ("incident." for every incident action).</summary>
    public string? Action { get; init; }

    public string? Target { get; init; }

    public long? Before { get; init; }

    public int Limit { get; init; } = 50;
}

/// <summary>Incident filters; results are in priority order: score, then severity, then oldest first.</summary>
public sealed record IncidentQuery
{
    public CaseStatus? Status { get; init; }

    public Severity? MinSeverity { get; init; }

    /// <summary>Incidents with at least one alert of this rule.</summary>
    public string? RuleId { get; init; }

    /// <summary>Exact assignee name; <see cref="Unassigned"/> for incidents nobody owns.</summary>
    public string? Assignee { get; init; }

    /// <summary>Incidents whose activity overlaps [From, To): last seen at or after From, first seen before To.</summary>
    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    /// <summary>Case-insensitive substring of the title or of an entity's value.</summary>
    public string? Text { get; init; }

    public int Limit { get; init; } = 50;

    public string? After { get; init; }

    /// <summary>The <see cref="Assignee"/> value that asks for unassigned incidents.</summary>
    public const string Unassigned = "-";
}

/// <summary>How many work items have one status and severity.</summary>
public sealed record StatusCount(CaseStatus Status, Severity Severity, long Count);

/// <summary>Alerts and incidents by status and severity; combinations with none are left out.</summary>
public sealed record WorkItemCounts(IReadOnlyList<StatusCount> Alerts, IReadOnlyList<StatusCount> Incidents);

/// <summary>Rows in the store; <see cref="Suppressed"/> is the part of <see cref="Alerts"/> that suppressions silenced.</summary>
public sealed record StoreCounts(long Alerts, long Incidents, long Indicators, long AuditEntries, long EvidenceEvents, long Suppressed);

/// <summary>
/// One alert's times and outcome, and those of the incident it belongs to (null when it has none, or the incident has
/// not got there): analysts mostly act on incidents, so the KPIs count an alert handled when its incident is.
/// <see cref="RuleTitle"/> is the title of the rule's newest alert, one string shared by all of the rule's timings.
/// <see cref="Source"/> is what raised the alert: the producer of an external alert (suricata, edr), else its origin
/// (rule, correlation, indicator). <see cref="AttackTags"/> holds the alert's ATT&amp;CK tags (attack.*), lower case and
/// space-separated, null when it has none; alerts with the same tags share one string.
/// </summary>
public sealed record AlertTiming(
    Guid Id,
    string RuleId,
    string RuleTitle,
    Severity Severity,
    DateTimeOffset FirstSeen,
    DateTimeOffset CreatedAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? ClosedAt,
    Verdict? Verdict,
    DateTimeOffset? IncidentAcknowledgedAt = null,
    DateTimeOffset? IncidentClosedAt = null,
    Verdict? IncidentVerdict = null,
    string Source = "rule",
    string? AttackTags = null);

/// <summary>An incident still open: its severity, when Vedette created it, the time of its first event, and when its SLA runs out.</summary>
public sealed record OpenIncident(Guid Id, Severity Severity, CaseStatus Status, DateTimeOffset CreatedAt, DateTimeOffset FirstSeen, DateTimeOffset? DueAt = null);

/// <summary>One incident's times and outcome, and when its SLA ran (or runs) out.</summary>
public sealed record IncidentTiming(
    Guid Id,
    Severity Severity,
    DateTimeOffset CreatedAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? ClosedAt,
    Verdict? Verdict,
    DateTimeOffset DueAt);
