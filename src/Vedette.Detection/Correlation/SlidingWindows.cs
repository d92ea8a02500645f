using Vedette.Detect;
using Vedette.Domain;

namespace Vedette.Detection.Correlation;

/// <summary>How a correlation keeps its groups' windows and decides hits.</summary>
internal abstract class Windowing
{
    public abstract int Groups { get; }

    /// <summary>Event time (ticks) at which <see cref="Advance"/> has something to close; MaxValue when nothing waits.</summary>
    public abstract long NextDue { get; }

    /// <summary>Counts the entry in its group's window; false when that needs a new group and <paramref name="mayOpen"/> is false.</summary>
    public abstract bool Observe(string key, bool mayOpen, int input, Event e, in Entry entry, long watermark, DetectionOutput output);

    /// <summary>Event time has reached <paramref name="watermark"/>: decides and forgets what no later event can change.</summary>
    public abstract void Advance(long watermark, DetectionOutput output);

    /// <summary>The input has ended: decides every open window and forgets all.</summary>
    public abstract void Flush(DetectionOutput output);
}

/// <summary>
/// For conditions with lower bounds only (gt, gte) on measures that grow with events: a hit as soon as any span
/// of the timespan's length, both ends included, holds enough. Each group keeps its entries back to the watermark
/// minus lateness minus the timespan, so that a late event still meets every event it shares a window with; the
/// measure of the window that ends at the newest entry is kept up to date as entries come and expire.
/// </summary>
internal sealed class SlidingWindows(CorrelationEngine engine) : Windowing
{
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private readonly Accumulator _scratch = engine.Measure.NewAccumulator();
    private readonly bool _ordered = engine.Measure.Type == Rules.CorrelationType.TemporalOrdered;

    public override int Groups => _groups.Count;

    // Expiry rides on the engine's periodic sweep; nothing is due in between.
    public override long NextDue => long.MaxValue;

    public override bool Observe(string key, bool mayOpen, int input, Event e, in Entry entry, long watermark, DetectionOutput output)
    {
        if (!_groups.TryGetValue(key, out var group))
        {
            if (!mayOpen)
            {
                return false;
            }
            _groups[key] = group = new Group(engine.GroupValues(input, e), engine.Measure.NewAccumulator());
        }
        Prune(group, watermark - engine.Lateness - engine.Span);
        group.Window.Remember(e);
        if (Add(group, entry, out var from, out var to, out var value))
        {
            // A hit starts the group afresh; what follows within the timespan folds into the alert (the engine's episode).
            _groups.Remove(key);
            engine.Hit(key, group.Values, new HitWindow(group.Window, from, to, value, Start: null), e, watermark, output);
        }
        return true;
    }

    public override void Advance(long watermark, DetectionOutput output)
    {
        var cutoff = watermark - engine.Lateness - engine.Span;
        foreach (var (key, group) in _groups)
        {
            Prune(group, cutoff);
            if (group.Window.Count == 0)
            {
                _groups.Remove(key);
            }
        }
    }

    public override void Flush(DetectionOutput output) => _groups.Clear();

    private bool Add(Group group, in Entry entry, out int from, out int to, out double value)
    {
        var window = group.Window;
        var span = engine.Span;
        if (window.Count == 0 || !entry.IsBefore(window.Last))
        {
            if (window.Count > group.Head && engine.Measure.CanMerge(window.Last, entry, sliding: true))
            {
                var merged = entry.Absorb(window.Last);
                group.Trail.Remove(window.Last);
                window.ReplaceLast(merged);
                group.Trail.Add(merged);
            }
            else
            {
                MakeRoom(group);
                window.Insert(entry);
                group.Trail.Add(entry);
            }
            while (group.Head < window.Count && window[group.Head].Ticks < entry.Ticks - span)
            {
                group.Trail.Remove(window[group.Head]);
                group.Head++;
            }
            (from, to, value) = (group.Head, window.Count - 1, group.Trail.Value);
            return engine.Condition.IsMet(value);
        }

        MakeRoom(group);
        var index = window.Insert(entry);
        if (entry.Ticks < window.Last.Ticks - span)
        {
            group.Head++;
        }
        else if (_ordered)
        {
            // Order is judged by time: the run has to be worked out again with the late event in its place.
            group.Trail.Clear();
            for (var i = group.Head; i < window.Count; i++)
            {
                group.Trail.Add(window[i]);
            }
        }
        else
        {
            group.Trail.Add(entry);
        }
        return Sweep(window, index, out from, out to, out value);
    }

    /// <summary>
    /// A late entry changes every window that contains it: those ending at the entries from it to a timespan after
    /// it. Checks them in time order, as they would have been checked had the entry come in time.
    /// </summary>
    private bool Sweep(Window window, int index, out int from, out int to, out double value)
    {
        var span = engine.Span;
        var late = window[index].Ticks;
        var low = index;
        while (low > 0 && window[low - 1].Ticks >= late - span)
        {
            low--;
        }
        _scratch.Clear();
        var next = low;
        for (var end = index; end < window.Count && window[end].Ticks <= late + span; end++)
        {
            for (; next <= end; next++)
            {
                _scratch.Add(window[next]);
            }
            for (; window[low].Ticks < window[end].Ticks - span; low++)
            {
                _scratch.Remove(window[low]);
            }
            if (engine.Condition.IsMet(_scratch.Value))
            {
                (from, to, value) = (low, end, _scratch.Value);
                return true;
            }
        }
        (from, to, value) = (0, 0, 0);
        return false;
    }

    private void MakeRoom(Group group)
    {
        var window = group.Window;
        if (window.Count < engine.MaxEntries)
        {
            return;
        }
        engine.Counters.EventCompacted();
        if (group.Head > 0)
        {
            // The oldest entry has left the current window already; only a late event could still have met it.
            window.RemoveFirst(1);
            group.Head--;
            return;
        }
        group.Trail.Remove(window[0]);
        group.Trail.Remove(window[1]);
        group.Trail.Add(window.FoldOldest());
    }

    private static void Prune(Group group, long cutoff)
    {
        var window = group.Window;
        var count = window.CountBefore(cutoff);
        if (count == 0)
        {
            return;
        }
        for (var i = group.Head; i < count; i++)
        {
            group.Trail.Remove(window[i]);
        }
        window.RemoveFirst(count);
        group.Head = Math.Max(0, group.Head - count);
    }

    private sealed class Group(string[] values, Accumulator trail)
    {
        public string[] Values { get; } = values;

        public Window Window { get; } = new();

        /// <summary>The measure of the entries from <see cref="Head"/> on: the window that ends at the newest entry.</summary>
        public Accumulator Trail { get; } = trail;

        public int Head { get; set; }
    }
}
