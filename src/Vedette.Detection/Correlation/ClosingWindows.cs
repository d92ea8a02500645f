using Vedette.Detect;
using Vedette.Domain;

namespace Vedette.Detection.Correlation;

/// <summary>
/// For conditions only a whole window can decide (an upper bound, eq, neq; averages and percentiles): fixed windows
/// of the timespan's length, aligned to multiples of it since 1970-01-01 UTC, start included and end excluded, as
/// SIEMs bucket time. A window is decided once the watermark has passed its end by the lateness, when no event
/// that belongs to it can still come; a group with no event in a window has no window to decide.
/// </summary>
internal sealed class ClosingWindows(CorrelationEngine engine) : Windowing
{
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private readonly Accumulator _scratch = engine.Measure.NewAccumulator();
    private long _firstEnd = long.MaxValue;

    public override int Groups => _groups.Count;

    public override long NextDue => _firstEnd == long.MaxValue ? long.MaxValue : _firstEnd + engine.Lateness;

    public override bool Observe(string key, bool mayOpen, int input, Event e, in Entry entry, long watermark, DetectionOutput output)
    {
        if (!_groups.TryGetValue(key, out var group))
        {
            if (!mayOpen)
            {
                return false;
            }
            _groups[key] = group = new Group(engine.GroupValues(input, e));
        }
        var start = StartOf(entry.Ticks);
        var window = group.WindowAt(start);
        window.Remember(e);
        if (window.Count > 0 && !entry.IsBefore(window.Last) && engine.Measure.CanMerge(window.Last, entry, sliding: false))
        {
            window.ReplaceLast(entry.Absorb(window.Last));
        }
        else
        {
            if (window.Count == engine.MaxEntries)
            {
                engine.Counters.EventCompacted();
                window.FoldOldest();
            }
            window.Insert(entry);
        }
        _firstEnd = Math.Min(_firstEnd, start + engine.Span);
        return true;
    }

    public override void Advance(long watermark, DetectionOutput output)
    {
        if (watermark - engine.Lateness >= _firstEnd)
        {
            Close(watermark - engine.Lateness, watermark, output);
        }
    }

    public override void Flush(DetectionOutput output) => Close(long.MaxValue, engine.Watermark, output);

    /// <summary>Decides every window that ends at or before <paramref name="upTo"/>.</summary>
    private void Close(long upTo, long watermark, DetectionOutput output)
    {
        _firstEnd = long.MaxValue;
        foreach (var (key, group) in _groups)
        {
            var windows = group.Windows;
            while (windows.Count > 0 && windows[0].Start + engine.Span <= upTo)
            {
                var (start, window) = windows[0];
                windows.RemoveAt(0);
                // The watermark may have jumped far past the window's end; the hit was decidable when it passed end plus lateness.
                Decide(key, group, start, window, Math.Min(watermark, start + engine.Span + engine.Lateness), output);
            }
            if (windows.Count == 0)
            {
                _groups.Remove(key);
            }
            else
            {
                _firstEnd = Math.Min(_firstEnd, windows[0].Start + engine.Span);
            }
        }
    }

    private void Decide(string key, Group group, long start, Window window, long decidedAt, DetectionOutput output)
    {
        _scratch.Clear();
        for (var i = 0; i < window.Count; i++)
        {
            _scratch.Add(window[i]);
        }
        var value = _scratch.Value;
        if (!double.IsNaN(value) && engine.Condition.IsMet(value))
        {
            engine.Hit(key, group.Values, new HitWindow(window, 0, window.Count - 1, value, start), window.Evidence[^1], decidedAt, output);
        }
    }

    private long StartOf(long ticks)
    {
        var offset = (ticks - DateTime.UnixEpoch.Ticks) % engine.Span;
        return ticks - (offset < 0 ? offset + engine.Span : offset);
    }

    private sealed class Group(string[] values)
    {
        public string[] Values { get; } = values;

        /// <summary>The open windows by start, oldest first: one, or two while the lateness spans a window's end.</summary>
        public List<(long Start, Window Window)> Windows { get; } = new(1);

        public Window WindowAt(long start)
        {
            var index = Windows.Count;
            while (index > 0 && Windows[index - 1].Start >= start)
            {
                if (Windows[index - 1].Start == start)
                {
                    return Windows[index - 1].Window;
                }
                index--;
            }
            var window = new Window();
            Windows.Insert(index, (start, window));
            return window;
        }
    }
}
