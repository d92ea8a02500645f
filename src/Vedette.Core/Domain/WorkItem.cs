namespace Vedette.Domain;

/// <summary>
/// What alerts and incidents share: an owner, a lifecycle whose every step is kept, and a version for optimistic
/// concurrency (two analysts acting on one item must not silently overwrite each other).
/// </summary>
public abstract class WorkItem
{
    private Lifecycle _lifecycle;

    protected WorkItem(Guid id, DateTimeOffset createdAt)
    {
        Id = id;
        CreatedAt = createdAt;
        _lifecycle = new Lifecycle();
    }

    public Guid Id { get; }

    /// <summary>When Vedette created it (processing time, unlike the event times it covers).</summary>
    public DateTimeOffset CreatedAt { get; }

    public string? Assignee { get; private set; }

    public int Version { get; set; }

    public CaseStatus Status => _lifecycle.Status;

    public Verdict? Verdict => _lifecycle.Verdict;

    public IReadOnlyList<Transition> Transitions => _lifecycle.Transitions;

    public DateTimeOffset? AcknowledgedAt => _lifecycle.FirstTimeIn(CaseStatus.Acknowledged);

    public DateTimeOffset? ClosedAt => Status == CaseStatus.Closed ? _lifecycle.Transitions[^1].At : null;

    protected abstract string Subject { get; }

    public Transition Acknowledge(Actor by, DateTimeOffset at) => _lifecycle.Move(Subject, CaseStatus.Acknowledged, by, at);

    public Transition Investigate(Actor by, DateTimeOffset at) => _lifecycle.Move(Subject, CaseStatus.Investigating, by, at);

    public Transition Escalate(Actor by, DateTimeOffset at, string? note = null) => _lifecycle.Move(Subject, CaseStatus.Escalated, by, at, note: note);

    public Transition Close(Verdict verdict, Actor by, DateTimeOffset at, string? note = null) => _lifecycle.Move(Subject, CaseStatus.Closed, by, at, verdict, note);

    public Transition Reopen(Actor by, DateTimeOffset at, string? note = null) => _lifecycle.Move(Subject, CaseStatus.Investigating, by, at, note: note);

    /// <summary>Moves to any status by name; the lifecycle refuses what the workflow does not allow.</summary>
    public Transition MoveTo(CaseStatus status, Actor by, DateTimeOffset at, Verdict? verdict = null, string? note = null) =>
        _lifecycle.Move(Subject, status, by, at, verdict, note);

    public void Assign(string? assignee) => Assignee = string.IsNullOrWhiteSpace(assignee) ? null : assignee.Trim();

    /// <summary>Restores the persisted lifecycle; only stores call this.</summary>
    public void RestoreLifecycle(CaseStatus status, Verdict? verdict, IEnumerable<Transition> transitions, string? assignee)
    {
        _lifecycle = new Lifecycle(status, verdict, transitions);
        Assignee = assignee;
    }
}
