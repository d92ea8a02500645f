using Vedette.Domain;

namespace Vedette.Triage;

/// <summary>
/// The entities a low or informational rule fired on, each with when it was last seen, and on how many of them it
/// fired within the window. Alerts come in time order, so the count is kept as they come (a queue of sightings, oldest
/// first, leaves the count as the window moves past them) rather than counted over every entity for each alert. An
/// alert out of order, or a prune, stops that until the next prune rebuilds it; meanwhile every entity is counted.
/// Also keeps the words of the rule's last noise grouping, which repeat while the count does.
/// </summary>
internal sealed class RuleSpread
{
    private readonly Queue<(Observable Entity, long Ticks)> _sightings = new();
    private long _since = long.MinValue;
    private long _newest = long.MinValue;
    private int _live;
    private bool _tracked = true;

    /// <summary>Each entity the rule fired on and when it was last seen there.</summary>
    public Dictionary<Observable, DateTimeOffset> Entities { get; } = [];

    public string? Reason { get; set; }

    public int ReasonSpread { get; set; }

    /// <summary>
    /// Records that the rule fired on <paramref name="entity"/>, last seen at <paramref name="lastSeen"/>; returns on how
    /// many entities it was last seen no longer than <paramref name="window"/> before <paramref name="firstSeen"/>.
    /// </summary>
    public int Spread(Observable entity, DateTimeOffset lastSeen, DateTimeOffset firstSeen, TimeSpan window)
    {
        var existed = Entities.TryGetValue(entity, out var old);
        Entities[entity] = lastSeen;
        // Live means firstSeen - lastSeen <= window, that is lastSeen >= since, in ticks.
        var since = firstSeen.UtcTicks - window.Ticks;
        var ticks = lastSeen.UtcTicks;
        if (_tracked && (ticks < _newest || since < _since))
        {
            _tracked = false;
        }
        if (!_tracked)
        {
            var live = 0;
            foreach (var (_, seen) in Entities)
            {
                if (firstSeen - seen <= window)
                {
                    live++;
                }
            }
            return live;
        }
        if (!existed || old.UtcTicks != ticks)
        {
            if (existed && old.UtcTicks >= _since)
            {
                _live--;
            }
            if (ticks >= _since)
            {
                _live++;
            }
            _sightings.Enqueue((entity, ticks));
            _newest = ticks;
        }
        while (_sightings.TryPeek(out var oldest) && oldest.Ticks < since)
        {
            _sightings.Dequeue();
            // A sighting counts only while it is the entity's latest: a later one took its place in the count.
            if (oldest.Ticks >= _since && Entities.TryGetValue(oldest.Entity, out var latest) && latest.UtcTicks == oldest.Ticks)
            {
                _live--;
            }
        }
        _since = since;
        return _live;
    }

    /// <summary>Drops the entities last seen longer than the window before <paramref name="now"/>; returns how many are left.</summary>
    public int Prune(DateTimeOffset now, TimeSpan window)
    {
        foreach (var (entity, lastSeen) in Entities)
        {
            if (now - lastSeen > window)
            {
                Entities.Remove(entity);
            }
        }
        // Start counting again from what is left, oldest first; the next alert moves the window to where it is.
        var left = Entities.Select(e => (e.Key, e.Value.UtcTicks)).ToArray();
        Array.Sort(left, static (a, b) => a.UtcTicks.CompareTo(b.UtcTicks));
        _sightings.Clear();
        foreach (var sighting in left)
        {
            _sightings.Enqueue(sighting);
        }
        (_since, _newest, _live, _tracked) = (long.MinValue, left.Length > 0 ? left[^1].UtcTicks : long.MinValue, left.Length, true);
        return Entities.Count;
    }
}
