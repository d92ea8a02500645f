namespace Vedette.Domain;

/// <summary>How an alert came to be.</summary>
public enum AlertOrigin
{
    /// <summary>A Sigma rule matched one event.</summary>
    Rule,

    /// <summary>A Sigma correlation rule matched a group of events within its time span.</summary>
    Correlation,

    /// <summary>An event touched a known-bad indicator.</summary>
    Indicator,

    /// <summary>Received from another tool (IDS, EDR, SIEM).</summary>
    External,
}

/// <summary>An event kept as evidence behind an alert: where it came from and its fields as JSON.</summary>
public sealed record EvidenceEvent(RecordRef Ref, DateTimeOffset Timestamp, string Json);

/// <summary>A threat-intelligence match on one of the alert's observables, with why it matched.</summary>
public sealed record IntelHit(Observable Observable, string Indicator, string Feed, int Score, string Match);

/// <summary>One factor of a risk score: what it was, how many points, and why.</summary>
public sealed record ScorePart(string Factor, int Points, string Reason);

/// <summary>A 0–100 risk score with the parts it adds up from, so that an analyst can see why.</summary>
public sealed record RiskScore(int Total, IReadOnlyList<ScorePart> Parts);

/// <summary>One detection: from a rule, a correlation, an indicator match, or another tool.</summary>
public sealed class Alert : WorkItem
{
    public Alert(Guid id, DateTimeOffset createdAt, string ruleId, string title, Severity severity, AlertOrigin origin, DateTimeOffset firstSeen, DateTimeOffset lastSeen)
        : base(id, createdAt)
    {
        RuleId = ruleId;
        Title = title;
        Severity = severity;
        Origin = origin;
        FirstSeen = firstSeen;
        LastSeen = lastSeen;
    }

    public string RuleId { get; }

    public string Title { get; }

    public AlertOrigin Origin { get; }

    public Severity Severity { get; set; }

    public string? Description { get; set; }

    /// <summary>The tool an external alert came from (suricata, edr, ...); null for Vedette's own detections.</summary>
    public string? Producer { get; set; }

    /// <summary>Time of the first and last event behind the alert, by the source's clock.</summary>
    public DateTimeOffset FirstSeen { get; set; }

    public DateTimeOffset LastSeen { get; set; }

    public int EventCount { get; set; } = 1;

    public List<string> Tags { get; } = [];

    public List<Observable> Observables { get; } = [];

    public List<EvidenceEvent> Evidence { get; } = [];

    public List<IntelHit> IntelHits { get; } = [];

    /// <summary>A correlation's group-by values (field → value): what the counted events had in common.</summary>
    public Dictionary<string, string> GroupBy { get; } = new(StringComparer.Ordinal);

    /// <summary>Asset and identity criticality found for the alert's entities (host/user → criticality).</summary>
    public Dictionary<string, string> Context { get; } = new(StringComparer.Ordinal);

    public RiskScore? Risk { get; set; }

    public Guid? IncidentId { get; set; }

    /// <summary>The suppression that silenced the alert: it is stored and counted, but joins no incident.</summary>
    public Guid? SuppressedBy { get; set; }

    protected override string Subject => $"alert {Id}";

    /// <summary>
    /// What the alert is mainly about: its first observable that is not a process or file (the host for host events,
    /// the source address for network alerts); repeats and noise are counted per rule and this entity.
    /// </summary>
    public Observable? PrimaryEntity
    {
        get
        {
            foreach (var observable in Observables)
            {
                if (observable.Type is not (ObservableType.Process or ObservableType.File))
                {
                    return observable;
                }
            }
            return Observables.Count > 0 ? Observables[0] : null;
        }
    }

    public void AddObservable(Observable observable)
    {
        if (!Observables.Contains(observable))
        {
            Observables.Add(observable);
        }
    }
}

/// <summary>A later change to an alert already emitted: more events folded into it (correlation episodes, repeats).</summary>
public sealed record AlertUpdate(Guid AlertId, int EventCount, DateTimeOffset LastSeen, IReadOnlyList<EvidenceEvent> NewEvidence);
