using Vedette.Detect;
using Vedette.Detection.Mappings;
using Vedette.Detection.Matching;
using Vedette.Detection.Rules;
using Vedette.Domain;

namespace Vedette.Detection.Correlation;

/// <summary>
/// Evaluates one correlation rule over the events its base rules matched, in event-time order: a sliding window per
/// group-by key; when the condition holds, one alert, and further matching events within the timespan fold into
/// it (an episode) instead of raising new alerts.
/// </summary>
internal sealed class CorrelationEngine
{
    private const int MaxEvidence = 20;
    private const int MaxGroups = 100_000;

    private readonly CorrelationRule _rule;
    private readonly FieldRef[] _groupBy;
    private readonly FieldRef? _valueField;
    private readonly ObservableMap _observables;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly Episodes<string> _episodes;
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    public CorrelationEngine(CorrelationRule rule, FieldResolver fields, ObservableMap observables, TimeProvider time)
    {
        _rule = rule;
        _groupBy = [.. rule.GroupBy.Select(fields.Resolve)];
        _valueField = rule.Condition.Field is { } field ? fields.Resolve(field) : null;
        _observables = observables;
        _time = time;
        _episodes = new Episodes<string>(rule.Timespan, MaxEvidence);
    }

    public CorrelationRule Rule => _rule;

    public void Observe(Event e, DetectionOutput output)
    {
        var key = GroupKey(e);
        if (key is null)
        {
            return;
        }
        Sweep(e.Timestamp);
        if (_episodes.TryFold(key, e, output))
        {
            return;
        }
        if (!_windows.TryGetValue(key, out var window))
        {
            if (_windows.Count >= MaxGroups)
            {
                throw new InvalidOperationException($"correlation {_rule.Meta.Id} tracks {MaxGroups} groups already; event not counted");
            }
            window = _windows[key] = new Window();
        }
        window.Add(e, _valueField, _rule.Timespan);
        var count = _rule.Type == CorrelationType.EventCount ? window.Events.Count : window.DistinctValues;
        if (!_rule.Condition.IsMet(count))
        {
            return;
        }
        var alert = Raise(key, window, count, e);
        output.Alerts.Add(alert);
        _episodes.Open(key, alert);
        _windows.Remove(key);
    }

    public void Flush(DetectionOutput output)
    {
        _episodes.CloseAll(output);
        _windows.Clear();
    }

    private Alert Raise(string key, Window window, long count, Event last)
    {
        var first = window.Events.Peek();
        var meta = _rule.Meta;
        var alert = new Alert(Ids.New(_time), _time.GetUtcNow(), meta.Id, meta.Title, meta.Level ?? Severity.Medium, AlertOrigin.Correlation, first.Timestamp, last.Timestamp)
        {
            EventCount = window.Events.Count,
            Description = Describe(key, count),
        };
        alert.Tags.AddRange(meta.Tags);
        for (var i = 0; i < _groupBy.Length; i++)
        {
            if (_groupBy[i].TryGet(last, out var value) && value.Text is { } text)
            {
                alert.GroupBy[_rule.GroupBy[i]] = text;
                _observables.AddField(alert, _rule.GroupBy[i], text);
            }
        }
        // The host where every counted event happened is an entity of the alert too (the server under attack).
        if (last.Host is { } host && _observables.IsHostSource(last.Source) && window.Events.All(e => string.Equals(e.Host, host, StringComparison.OrdinalIgnoreCase))
            && Observable.TryParse(ObservableType.Host, host, out var hostObservable))
        {
            alert.AddObservable(hostObservable);
        }
        foreach (var e in window.Events.Take(MaxEvidence))
        {
            alert.Evidence.Add(new EvidenceEvent(e.Ref, e.Timestamp, e.ToJson()));
        }
        return alert;
    }

    private string Describe(string key, long count)
    {
        var group = key.Length == 0 ? "" : $" for {string.Join(", ", _rule.GroupBy.Zip(key.Split('\u001f'), (f, v) => $"{f}={v}"))}";
        var what = _rule.Type == CorrelationType.EventCount ? $"{count} events" : $"{count} distinct {_rule.Condition.Field} values";
        return $"{what}{group} within {_rule.Timespan} (condition {_rule.Condition}).";
    }

    private string? GroupKey(Event e)
    {
        if (_groupBy.Length == 0)
        {
            return "";
        }
        if (_groupBy.Length == 1)
        {
            return _groupBy[0].TryGet(e, out var single) && single.Text is { Length: > 0 } text ? text : null;
        }
        var parts = new string[_groupBy.Length];
        for (var i = 0; i < _groupBy.Length; i++)
        {
            // An event without a group-by field cannot be attributed to a group.
            if (!_groupBy[i].TryGet(e, out var value) || value.Text is not { Length: > 0 } text)
            {
                return null;
            }
            parts[i] = text;
        }
        return string.Join('\u001f', parts);
    }

    private void Sweep(DateTimeOffset now)
    {
        if (now - _lastSweep < _rule.Timespan)
        {
            return;
        }
        _lastSweep = now;
        foreach (var key in _windows.Where(w => w.Value.Events.Count == 0 || now - w.Value.Newest > _rule.Timespan).Select(w => w.Key).ToList())
        {
            _windows.Remove(key);
        }
    }

    /// <summary>The events of one group inside the timespan, and the distinct values they hold.</summary>
    private sealed class Window
    {
        private readonly Dictionary<string, int> _values = new(StringComparer.OrdinalIgnoreCase);
        private readonly Queue<string?> _valueOf = new();

        public Queue<Event> Events { get; } = new();

        public DateTimeOffset Newest { get; private set; }

        public int DistinctValues => _values.Count;

        public void Add(Event e, FieldRef? valueField, TimeSpan timespan)
        {
            Events.Enqueue(e);
            Newest = e.Timestamp > Newest ? e.Timestamp : Newest;
            string? value = null;
            if (valueField is not null && valueField.TryGet(e, out var v) && v.Text is { Length: > 0 } text)
            {
                value = text;
                _values[text] = _values.GetValueOrDefault(text) + 1;
            }
            _valueOf.Enqueue(value);
            while (Events.Count > 0 && e.Timestamp - Events.Peek().Timestamp > timespan)
            {
                Events.Dequeue();
                if (_valueOf.Dequeue() is { } old && --_values[old] == 0)
                {
                    _values.Remove(old);
                }
            }
        }
    }
}
