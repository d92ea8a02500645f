namespace Vedette.Simulation;

/// <summary>One planned event: when it happens, which scenario (if any) wrote it, and how it writes itself.</summary>
internal abstract class SimEvent(long ticks)
{
    /// <summary>UTC ticks; whole milliseconds except for Suricata, whose timestamps carry microseconds.</summary>
    public long Ticks { get; set; } = ticks;

    public int Sequence { get; set; }

    public string? Scenario { get; set; }

    /// <summary>
    /// Whether the source writes sub-millisecond time. Every other event is kept on a whole millisecond, so that its
    /// millisecond timestamp never reads earlier than a microsecond one sorted before it.
    /// </summary>
    public virtual bool HasMicroseconds => false;

    public abstract void Write(EventWriter writer);
}

/// <summary>
/// The planned events of one run. Episodes are planned one after another, out of time order, and sorted once at the end;
/// the planning order breaks ties so that simultaneous events of one episode keep their causal order.
/// </summary>
internal sealed class Timeline
{
    // Relative activity over the working day in twentieths of the span: people arrive, work, lunch, work, leave.
    private static readonly Weighted<int> Profile = new(
        (0, 3), (1, 5), (2, 8), (3, 10), (4, 10), (5, 10), (6, 10), (7, 9), (8, 7), (9, 8),
        (10, 10), (11, 10), (12, 10), (13, 9), (14, 8), (15, 7), (16, 5), (17, 4), (18, 3), (19, 3));

    private const int ProfileBuckets = 20;

    private readonly List<SimEvent> _events = [];

    public Timeline(DateTimeOffset start, TimeSpan span)
    {
        Start = start.UtcTicks - (start.UtcTicks % TimeSpan.TicksPerMillisecond);
        End = Start + span.Ticks - (span.Ticks % TimeSpan.TicksPerMillisecond);
    }

    public long Start { get; }

    public long End { get; }

    public int Count => _events.Count;

    /// <summary>The id of the scenario being planned; every event added meanwhile is labelled with it.</summary>
    public string? Scenario { get; set; }

    public void Add(SimEvent simEvent)
    {
        // Nothing spills past the end of the simulated day; an episode cut short keeps its order through the tie-break.
        if (simEvent.Ticks > End)
        {
            simEvent.Ticks = End;
        }
        if (!simEvent.HasMicroseconds)
        {
            simEvent.Ticks -= simEvent.Ticks % TimeSpan.TicksPerMillisecond;
        }
        simEvent.Sequence = _events.Count;
        simEvent.Scenario = Scenario;
        _events.Add(simEvent);
    }

    /// <summary>The time at the given fraction of the span, on a whole millisecond.</summary>
    public long At(double fraction)
    {
        var ticks = Start + (long)((End - Start) * fraction);
        return ticks - (ticks % TimeSpan.TicksPerMillisecond);
    }

    /// <summary>A time drawn from the working-day profile, when ordinary activity happens.</summary>
    public long Busy(Dice dice) => At((Profile.Pick(dice) + dice.Fraction()) / ProfileBuckets);

    /// <summary>The first and last time among the events planned since the given count.</summary>
    public (long First, long Last) Window(int from)
    {
        var first = long.MaxValue;
        var last = long.MinValue;
        for (var i = from; i < _events.Count; i++)
        {
            first = Math.Min(first, _events[i].Ticks);
            last = Math.Max(last, _events[i].Ticks);
        }
        return (first, last);
    }

    /// <summary>Sorts the plan into writing order; call once, after all planning.</summary>
    public IReadOnlyList<SimEvent> Sorted()
    {
        _events.Sort(static (a, b) => a.Ticks != b.Ticks ? a.Ticks.CompareTo(b.Ticks) : a.Sequence.CompareTo(b.Sequence));
        return _events;
    }
}

/// <summary>Durations as ticks, so that episodes read as "t + Seconds(5)".</summary>
internal static class Durations
{
    public static long Ms(long milliseconds) => milliseconds * TimeSpan.TicksPerMillisecond;

    public static long Seconds(long seconds) => seconds * TimeSpan.TicksPerSecond;

    public static long Minutes(long minutes) => minutes * TimeSpan.TicksPerMinute;
}
