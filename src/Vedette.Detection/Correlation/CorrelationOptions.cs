namespace Vedette.Detection.Correlation;

/// <summary>How much disorder and state the correlation engine accepts.</summary>
public sealed record CorrelationOptions
{
    /// <summary>
    /// How far behind the newest event time seen (the watermark) an event may arrive and still count. Covers agents
    /// that batch for seconds and hosts whose clocks disagree a little; older events are dropped and counted.
    /// </summary>
    public TimeSpan Lateness { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Groups one correlation tracks at most; an event that would open one more is not counted.</summary>
    public int MaxGroups { get; init; } = 100_000;

    /// <summary>
    /// Entries one group's window stores at most (repeats of a value, a rule or a timestamp share one entry).
    /// Beyond it the two oldest are merged: counts and sums stay, a value or rule seen only in the older one is
    /// forgotten, and a percentile treats both as their mean.
    /// </summary>
    public int MaxEventsPerGroup { get; init; } = 1_000;
}

/// <summary>What the correlations dropped and hold, for the pipeline to report. Written by the detector's thread only.</summary>
public sealed class CorrelationCounters
{
    private readonly Func<long> _openGroups;
    private long _groupsDropped;
    private long _lateEventsDropped;
    private long _eventsWithoutFields;
    private long _eventsCompacted;

    internal CorrelationCounters(Func<long> openGroups) => _openGroups = openGroups;

    /// <summary>Events not counted because their correlation already tracked <see cref="CorrelationOptions.MaxGroups"/> groups.</summary>
    public long GroupsDropped => Volatile.Read(ref _groupsDropped);

    /// <summary>Events older than the watermark minus <see cref="CorrelationOptions.Lateness"/>.</summary>
    public long LateEventsDropped => Volatile.Read(ref _lateEventsDropped);

    /// <summary>Events without a group-by field or the measured field (or, for sums and averages, not a number there).</summary>
    public long EventsWithoutFields => Volatile.Read(ref _eventsWithoutFields);

    /// <summary>Entries merged into a neighbour, or forgotten, because a window held <see cref="CorrelationOptions.MaxEventsPerGroup"/> already.</summary>
    public long EventsCompacted => Volatile.Read(ref _eventsCompacted);

    /// <summary>Groups with an open window or an open alert episode, over all correlations: the state held now.</summary>
    public long OpenGroups => _openGroups();

    internal void GroupDropped() => _groupsDropped++;

    internal void LateEventDropped() => _lateEventsDropped++;

    internal void EventWithoutFields() => _eventsWithoutFields++;

    internal void EventCompacted() => _eventsCompacted++;
}
