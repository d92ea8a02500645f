using Vedette.Domain;

namespace Vedette.Detect;

/// <summary>
/// Folds repeats into the alert that is already out: while events for one key keep coming within the gap, they
/// raise that alert's count instead of opening new alerts. When the episode ends, one <see cref="AlertUpdate"/>
/// carries the final count, last time and the extra evidence.
/// </summary>
public sealed class Episodes<TKey> where TKey : notnull
{
    private readonly Dictionary<TKey, Episode> _open = [];
    private readonly List<TKey> _ended = [];
    private readonly TimeSpan _gap;
    private readonly int _maxEvidence;
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    public Episodes(TimeSpan gap, int maxEvidence)
    {
        _gap = gap;
        _maxEvidence = maxEvidence;
    }

    public int OpenCount => _open.Count;

    /// <summary>Adds the event to the key's open episode; false when there is none (or it ended), so the caller may open one.</summary>
    public bool TryFold(TKey key, Event e, DetectionOutput output) =>
        TryFold(key, e.Timestamp, 1, output, e, static (evidence, room, e) => evidence.Add(new EvidenceEvent(e.Ref, e.Timestamp, e.ToJson())));

    /// <summary>Folds a repeated alert (its count, time and evidence) into the key's open episode.</summary>
    public bool TryFold(TKey key, Alert repeat, DetectionOutput output) =>
        TryFold(key, repeat.LastSeen, repeat.EventCount, output, repeat, static (evidence, room, repeat) =>
        {
            for (var i = 0; i < room && i < repeat.Evidence.Count; i++)
            {
                evidence.Add(repeat.Evidence[i]);
            }
        });

    // The evidence to add comes as a static delegate and its state, so that folding a repeat allocates no closure.
    private bool TryFold<TState>(TKey key, DateTimeOffset at, int count, DetectionOutput output, TState state, Action<List<EvidenceEvent>, int, TState> addEvidence)
    {
        SweepIfDue(at, output);
        if (!_open.TryGetValue(key, out var episode))
        {
            return false;
        }
        if (at - episode.LastSeen > _gap)
        {
            Close(episode, output);
            _open.Remove(key);
            return false;
        }
        episode.Count += count;
        if (at > episode.LastSeen)
        {
            episode.LastSeen = at;
        }
        var room = _maxEvidence - (episode.Evidence?.Count ?? 0) - episode.EmittedEvidence;
        if (room > 0)
        {
            addEvidence(episode.Evidence ??= [], room, state);
        }
        return true;
    }

    /// <summary>Starts an episode for an alert the caller has just emitted.</summary>
    public void Open(TKey key, Alert alert) =>
        _open[key] = new Episode(alert.Id, alert.EventCount, alert.LastSeen, alert.Evidence.Count);

    /// <summary>Closes the episodes that ended before <paramref name="now"/>, so that a key gone quiet need not wait for the next event.</summary>
    public void Sweep(DateTimeOffset now, DetectionOutput output) => SweepIfDue(now, output);

    public void CloseAll(DetectionOutput output)
    {
        foreach (var episode in _open.Values)
        {
            Close(episode, output);
        }
        _open.Clear();
    }

    private void SweepIfDue(DateTimeOffset now, DetectionOutput output)
    {
        // Ended episodes are closed in sweeps, once per gap of event time, so memory follows the live keys only.
        if (now - _lastSweep < _gap)
        {
            return;
        }
        _lastSweep = now;
        foreach (var (key, episode) in _open)
        {
            if (now - episode.LastSeen > _gap)
            {
                Close(episode, output);
                _ended.Add(key);
            }
        }
        foreach (var key in _ended)
        {
            _open.Remove(key);
        }
        _ended.Clear();
    }

    private static void Close(Episode episode, DetectionOutput output)
    {
        if (episode.Count > episode.EmittedCount)
        {
            output.Updates.Add(new AlertUpdate(episode.AlertId, episode.Count, episode.LastSeen, episode.Evidence ?? []));
        }
    }

    private sealed class Episode(Guid alertId, int emittedCount, DateTimeOffset lastSeen, int emittedEvidence)
    {
        public Guid AlertId { get; } = alertId;

        public int EmittedCount { get; } = emittedCount;

        public int EmittedEvidence { get; } = emittedEvidence;

        public int Count { get; set; } = emittedCount;

        public DateTimeOffset LastSeen { get; set; } = lastSeen;

        /// <summary>Created with the first piece: most episodes never see a repeat.</summary>
        public List<EvidenceEvent>? Evidence { get; set; }
    }
}
