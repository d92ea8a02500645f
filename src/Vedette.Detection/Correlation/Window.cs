using Vedette.Domain;

namespace Vedette.Detection.Correlation;

/// <summary>
/// The entries of one group's window in time order, the newest events as evidence, and whether they all happened
/// on one host. Compact by design: a number of entries that only grows to the group's cap, and twenty events.
/// </summary>
internal sealed class Window
{
    public const int MaxEvidence = 20;

    private readonly List<Event> _evidence = new(1);
    private Entry[] _entries = new Entry[2];
    private int _start;
    private int _count;
    private string? _host;
    private bool _mixedHosts;

    public int Count => _count;

    public ref readonly Entry this[int index] => ref _entries[_start + index];

    public ref readonly Entry Last => ref _entries[_start + _count - 1];

    /// <summary>The host every event of the window happened on; null when they differ or none said.</summary>
    public string? CommonHost => _mixedHosts ? null : _host;

    /// <summary>The time of the earliest event the window has seen, merged into an entry or not.</summary>
    public long FirstTicks { get; private set; } = long.MaxValue;

    /// <summary>Up to <see cref="MaxEvidence"/> of the newest events, oldest first.</summary>
    public IReadOnlyList<Event> Evidence => _evidence;

    /// <summary>Adds the entry at its place in time (late events go back from the end, where they usually belong); returns its index.</summary>
    public int Insert(in Entry entry)
    {
        var index = _count;
        while (index > 0 && entry.IsBefore(this[index - 1]))
        {
            index--;
        }
        if (_start + _count == _entries.Length)
        {
            MakeRoom();
        }
        var at = _start + index;
        Array.Copy(_entries, at, _entries, at + 1, _count - index);
        _entries[at] = entry;
        _count++;
        return index;
    }

    public void ReplaceLast(in Entry entry) => _entries[_start + _count - 1] = entry;

    /// <summary>Folds the oldest entry into the next one (see <see cref="CorrelationOptions.MaxEventsPerGroup"/>); returns the merged entry.</summary>
    public Entry FoldOldest()
    {
        var merged = this[1].Absorb(this[0]);
        RemoveFirst(1);
        _entries[_start] = merged;
        return merged;
    }

    public void RemoveFirst(int count)
    {
        _start += count;
        _count -= count;
        if (_count == 0)
        {
            _start = 0;
        }
    }

    /// <summary>How many entries at the front are older than <paramref name="ticks"/>.</summary>
    public int CountBefore(long ticks)
    {
        var count = 0;
        while (count < _count && this[count].Ticks < ticks)
        {
            count++;
        }
        return count;
    }

    /// <summary>How many events the entries from <paramref name="from"/> to <paramref name="to"/> stand for.</summary>
    public long Events(int from, int to)
    {
        long events = 0;
        for (var i = from; i <= to; i++)
        {
            events += this[i].Weight;
        }
        return events;
    }

    /// <summary>Keeps the event as evidence if it is among the newest, and notes its host.</summary>
    public void Remember(Event e)
    {
        FirstTicks = Math.Min(FirstTicks, e.Timestamp.UtcTicks);
        if (_evidence.Count == 0)
        {
            _host = e.Host;
        }
        else if (!_mixedHosts && !string.Equals(_host, e.Host, StringComparison.OrdinalIgnoreCase))
        {
            _mixedHosts = true;
        }
        if (_evidence.Count == MaxEvidence)
        {
            if (e.Timestamp < _evidence[0].Timestamp)
            {
                return;
            }
            _evidence.RemoveAt(0);
        }
        var index = _evidence.Count;
        while (index > 0 && e.Timestamp < _evidence[index - 1].Timestamp)
        {
            index--;
        }
        // Kept past this event's detection: a reader's reused buffers would be overwritten by the next record.
        _evidence.Insert(index, e.Retain());
    }

    private void MakeRoom()
    {
        // Shift down only when that frees a good part of the array, so that appends stay amortised O(1).
        if (_start > 0 && _start >= _count / 2)
        {
            Array.Copy(_entries, _start, _entries, 0, _count);
            _start = 0;
            return;
        }
        Array.Resize(ref _entries, _entries.Length * 2);
    }
}
