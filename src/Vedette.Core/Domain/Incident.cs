namespace Vedette.Domain;

/// <summary>Why an alert joined an incident: the entity it shares with alerts already there.</summary>
public sealed record GroupingReason(Guid AlertId, Observable? Via, string Explanation);

/// <summary>Who placed a legal hold on an incident, when and why: retention keeps it and its alerts until it is released.</summary>
public sealed record LegalHold(string By, DateTimeOffset At, string Reason);

/// <summary>Alerts that belong together: shared entities within a time window.</summary>
public sealed class Incident : WorkItem
{
    public Incident(Guid id, DateTimeOffset createdAt, string title, DateTimeOffset firstSeen)
        : base(id, createdAt)
    {
        Title = title;
        FirstSeen = firstSeen;
        LastSeen = firstSeen;
    }

    public string Title { get; set; }

    public Severity Severity { get; set; }

    public int Score { get; set; }

    /// <summary>How the score adds up: the strongest alert, the other rules, the tactic progression.</summary>
    public RiskScore? Risk { get; set; }

    /// <summary>When the SLA for its severity runs out; the queue takes incidents of equal score by this.</summary>
    public DateTimeOffset DueAt { get; set; }

    /// <summary>Set when an analyst (or triage) merged this incident into another: its alerts are there now.</summary>
    public Guid? MergedInto { get; set; }

    public DateTimeOffset FirstSeen { get; set; }

    public DateTimeOffset LastSeen { get; set; }

    /// <summary>Set while the incident is under legal hold; the store sets and releases it, nothing else does.</summary>
    public LegalHold? Hold { get; set; }

    public List<Guid> AlertIds { get; } = [];

    public List<Observable> Entities { get; } = [];

    public List<GroupingReason> Grouping { get; } = [];

    /// <summary>Distinct rules among the incident's alerts.</summary>
    public List<string> RuleIds { get; } = [];

    protected override string Subject => $"incident {Id}";

    public Incident Clone()
    {
        var copy = new Incident(Id, CreatedAt, Title, FirstSeen)
        {
            Severity = Severity,
            Score = Score,
            LastSeen = LastSeen,
            Version = Version,
            Risk = Risk,
            DueAt = DueAt,
            MergedInto = MergedInto,
            Hold = Hold,
        };
        copy.RestoreLifecycle(Status, Verdict, Transitions, Assignee);
        copy.AlertIds.AddRange(AlertIds);
        copy.Entities.AddRange(Entities);
        copy.Grouping.AddRange(Grouping);
        copy.RuleIds.AddRange(RuleIds);
        return copy;
    }
}
