namespace Vedette.Domain;

/// <summary>Where an alert or incident is in the analyst workflow.</summary>
public enum CaseStatus
{
    New = 0,
    Acknowledged = 1,
    Investigating = 2,
    Escalated = 3,
    Closed = 4,
}

/// <summary>An analyst's conclusion when closing an alert or incident.</summary>
public enum Verdict
{
    TruePositive = 1,
    BenignPositive = 2,
    FalsePositive = 3,
}

/// <summary>Who made a change: an analyst, or the system itself (automatic closes never feed learning).</summary>
public readonly record struct Actor(string Name, bool IsSystem)
{
    public static Actor System { get; } = new("system", true);

    public static Actor Analyst(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new Actor(name, false);
    }

    public override string ToString() => Name;
}

/// <summary>One step of a lifecycle, kept forever: it feeds MTTA/MTTR and the audit log.</summary>
public sealed record Transition(CaseStatus From, CaseStatus To, DateTimeOffset At, Actor By, Verdict? Verdict = null, string? Note = null);

public sealed class InvalidTransitionException(string subject, CaseStatus from, CaseStatus to, string reason)
    : InvalidOperationException($"{subject}: cannot go from {LifecycleNames.ToName(from)} to {LifecycleNames.ToName(to)}: {reason}")
{
    public CaseStatus From { get; } = from;
    public CaseStatus To { get; } = to;
}

/// <summary>
/// The one lifecycle shared by alerts and incidents: new → acknowledged → investigating → (escalated) → closed.
/// Closing is allowed from any open state because analysts close obvious false positives straight from the queue.
/// </summary>
public sealed class Lifecycle
{
    private readonly List<Transition> _transitions;

    public Lifecycle() => _transitions = [];

    public Lifecycle(CaseStatus status, Verdict? verdict, IEnumerable<Transition> transitions)
    {
        Status = status;
        Verdict = verdict;
        _transitions = [.. transitions];
    }

    public CaseStatus Status { get; private set; }
    public Verdict? Verdict { get; private set; }
    public IReadOnlyList<Transition> Transitions => _transitions;

    public DateTimeOffset? FirstTimeIn(CaseStatus status)
    {
        foreach (var t in _transitions)
        {
            if (t.To == status)
            {
                return t.At;
            }
        }
        return null;
    }

    public static bool IsAllowed(CaseStatus from, CaseStatus to) => (from, to) switch
    {
        (CaseStatus.New, CaseStatus.Acknowledged) => true,
        (CaseStatus.Acknowledged, CaseStatus.Investigating) => true,
        (CaseStatus.Acknowledged, CaseStatus.Escalated) => true,
        (CaseStatus.Investigating, CaseStatus.Escalated) => true,
        (CaseStatus.Escalated, CaseStatus.Investigating) => true,
        (CaseStatus.Closed, CaseStatus.Investigating) => true,
        (not CaseStatus.Closed, CaseStatus.Closed) => true,
        _ => false,
    };

    internal Transition Move(string subject, CaseStatus to, Actor by, DateTimeOffset at, Verdict? verdict = null, string? note = null)
    {
        if (to == CaseStatus.Closed && verdict is null)
        {
            throw new InvalidTransitionException(subject, Status, to, "closing needs a verdict (true positive, benign positive or false positive)");
        }
        if (to != CaseStatus.Closed && verdict is not null)
        {
            throw new InvalidTransitionException(subject, Status, to, "only closing takes a verdict");
        }
        if (!IsAllowed(Status, to))
        {
            var reason = Status == to ? "it is already there" : "that step is not part of the workflow";
            throw new InvalidTransitionException(subject, Status, to, reason);
        }
        if (_transitions.Count > 0 && at < _transitions[^1].At)
        {
            throw new InvalidTransitionException(subject, Status, to, $"time {at:O} is before the previous transition at {_transitions[^1].At:O}");
        }
        var transition = new Transition(Status, to, at, by, verdict, note);
        _transitions.Add(transition);
        Status = to;
        Verdict = to == CaseStatus.Closed ? verdict : null;
        return transition;
    }
}

public static class LifecycleNames
{
    public static string ToName(CaseStatus status) => status switch
    {
        CaseStatus.New => "new",
        CaseStatus.Acknowledged => "acknowledged",
        CaseStatus.Investigating => "investigating",
        CaseStatus.Escalated => "escalated",
        CaseStatus.Closed => "closed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string ToName(Verdict verdict) => verdict switch
    {
        Verdict.TruePositive => "true-positive",
        Verdict.BenignPositive => "benign-positive",
        Verdict.FalsePositive => "false-positive",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, null),
    };

    public static bool TryParseStatus(string text, out CaseStatus status)
    {
        foreach (var candidate in Enum.GetValues<CaseStatus>())
        {
            if (string.Equals(ToName(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }
        status = default;
        return false;
    }

    public static bool TryParseVerdict(string text, out Verdict verdict)
    {
        var normalized = text.Replace('_', '-').Replace(' ', '-');
        foreach (var candidate in Enum.GetValues<Verdict>())
        {
            if (string.Equals(ToName(candidate), normalized, StringComparison.OrdinalIgnoreCase))
            {
                verdict = candidate;
                return true;
            }
        }
        verdict = default;
        return false;
    }
}
