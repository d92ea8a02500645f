using System.Globalization;
using Vedette.Detect;
using Vedette.Detection.Mappings;
using Vedette.Detection.Matching;
using Vedette.Detection.Rules;
using Vedette.Domain;

namespace Vedette.Detection.Correlation;

/// <summary>
/// Evaluates one correlation rule over the events its rules matched (or the hits of the correlations it refers to):
/// groups them by the group-by values, drops what comes too late, keeps each group's window (sliding or closing,
/// see <see cref="SlidingWindows"/> and <see cref="ClosingWindows"/>), and turns a hit into one alert. Repeats of a
/// hit within the timespan fold into that alert (an episode) and leave as one update when it ends.
/// </summary>
internal sealed class CorrelationEngine
{
    private readonly CorrelationRule _rule;
    private readonly FieldRef[][] _groupBy;
    private readonly string[][] _groupFields;
    private readonly FieldRef[][] _valueFields;
    private readonly ObservableMap _observables;
    private readonly TimeProvider _time;
    private readonly Episodes<string> _episodes;
    private readonly Windowing _windows;
    private readonly bool _generates;
    private readonly int _maxGroups;
    private readonly long _sweepInterval;
    private readonly Schedule _schedule;
    private readonly DetectionOutput _unreported = new();
    private (CorrelationEngine Engine, int Input)[] _downstream = [];
    private long _nextSweep;
    private long _watermark;

    public CorrelationEngine(ResolvedCorrelation resolved, EngineContext context, TimeSpan lateness, bool generates)
    {
        var (mappings, time, options, counters, schedule) = context;
        _rule = resolved.Rule;
        _groupFields = resolved.GroupFields;
        _groupBy = resolved.GroupBy;
        _valueFields = resolved.ValueFields;
        _observables = mappings.Observables;
        _time = time;
        _generates = generates;
        _schedule = schedule;
        _maxGroups = options.MaxGroups;
        Measure = new Measure(_rule);
        Span = _rule.Timespan.Ticks;
        Lateness = lateness.Ticks;
        MaxEntries = options.MaxEventsPerGroup;
        Counters = counters;
        _sweepInterval = Math.Max(Span, TimeSpan.TicksPerSecond);
        // A closing window's hit repeats in the next window at the earliest: up to two timespans after the last.
        _episodes = new Episodes<string>(_rule.DecidesAtWindowClose ? 2 * _rule.Timespan : _rule.Timespan, Window.MaxEvidence);
        _windows = _rule.DecidesAtWindowClose ? new ClosingWindows(this) : new SlidingWindows(this);
    }

    public CorrelationRule Rule => _rule;

    public Measure Measure { get; }

    public CorrelationCondition Condition => _rule.Condition;

    public long Span { get; }

    /// <summary>How late (ticks behind the watermark) an input may come: the configured lateness, more when fed by correlations.</summary>
    public long Lateness { get; }

    public int MaxEntries { get; }

    public CorrelationCounters Counters { get; }

    /// <summary>Groups held: open windows and open alert episodes.</summary>
    public int Groups => _windows.Groups + _episodes.OpenCount;

    public long NextDue => Math.Min(_nextSweep, _windows.NextDue);

    /// <summary>The watermark of the latest call: what a window decided now was decided at, at the latest.</summary>
    public long Watermark => _watermark;

    /// <summary>The correlations that count this one's hits, with the input each counts them as.</summary>
    public void FeedInto((CorrelationEngine Engine, int Input)[] downstream) => _downstream = downstream;

    public void Observe(int input, Event e, long watermark, DetectionOutput output)
    {
        _watermark = watermark;
        var ticks = e.Timestamp.UtcTicks;
        if (ticks < watermark - Lateness)
        {
            Counters.LateEventDropped();
            return;
        }
        var key = _groupBy[input].Length == 0 ? "" : Measure.Key(e, _groupBy[input]);
        if (key is null || !Measure.TryRead(e, _valueFields[input], out var number, out var text))
        {
            Counters.EventWithoutFields();
            return;
        }
        // Most keys have no open episode; asking costs a closure, so ask only when there are some.
        if (!_rule.DecidesAtWindowClose && _episodes.OpenCount > 0 && _episodes.TryFold(key, e, Reported(output)))
        {
            return;
        }
        if (!_windows.Observe(key, Groups < _maxGroups, input, e, new Entry(ticks, input, 1, number, text), watermark, output))
        {
            Counters.GroupDropped();
            return;
        }
        // A new closing window may end before anything the state was waiting for.
        _schedule.Request(NextDue);
    }

    public void Advance(long watermark, DetectionOutput output)
    {
        _watermark = watermark;
        var sweep = watermark >= _nextSweep;
        if (sweep || watermark >= _windows.NextDue)
        {
            _windows.Advance(watermark, output);
        }
        if (sweep)
        {
            // Only what no later input can fold into may end: a late event for a sliding episode, the next
            // window's hit for a closing one.
            var settled = watermark - Lateness - (_rule.DecidesAtWindowClose ? Span : 0);
            _episodes.Sweep(new DateTimeOffset(Math.Max(settled, 0), TimeSpan.Zero), Reported(output));
            _nextSweep = watermark + _sweepInterval;
        }
        _schedule.Request(NextDue);
    }

    public void Flush(long watermark, DetectionOutput output)
    {
        _watermark = watermark;
        _windows.Flush(output);
        _episodes.CloseAll(Reported(output));
    }

    /// <summary>The group-by values of a new group, in group-by order.</summary>
    internal string[] GroupValues(int input, Event e)
    {
        var fields = _groupBy[input];
        var values = new string[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            values[i] = fields[i].TryGet(e, out var value) ? value.Text ?? "" : "";
        }
        return values;
    }

    /// <summary>
    /// A window met the condition: one alert, or, for a closing window right after a hit of the same group, more to
    /// that alert. The hit then counts, as an event of its own, in the correlations that refer to this one; they judge
    /// its lateness by <paramref name="decidedAt"/>, the event time at which it could first be decided.
    /// </summary>
    internal void Hit(string key, string[] values, in HitWindow hit, Event trigger, long decidedAt, DetectionOutput output)
    {
        var alert = Raise(values, hit, trigger);
        var reported = Reported(output);
        if (hit.Start is not null && _episodes.TryFold(key, alert, reported))
        {
            return;
        }
        reported.Alerts.Add(alert);
        _episodes.Open(key, alert);
        if (_downstream.Length > 0)
        {
            var e = HitEvent(values, hit, trigger);
            foreach (var (engine, input) in _downstream)
            {
                engine.Observe(input, e, decidedAt, output);
            }
        }
    }

    /// <summary>Sigma's `generate`: a correlation others refer to raises no alerts of its own unless one of them asks.</summary>
    private DetectionOutput Reported(DetectionOutput output)
    {
        if (_generates)
        {
            return output;
        }
        _unreported.Clear();
        return _unreported;
    }

    private Alert Raise(string[] values, in HitWindow hit, Event trigger)
    {
        var meta = _rule.Meta;
        var window = hit.Window;
        var lastTicks = window[hit.To].Ticks;
        var firstTicks = hit.Start is null ? FirstInSpan(window, hit.From, lastTicks) : window.FirstTicks;
        var events = window.Events(hit.From, hit.To);
        var alert = new Alert(Ids.New(_time), _time.GetUtcNow(), meta.Id, meta.Title, meta.Level ?? Severity.Medium, AlertOrigin.Correlation,
            new DateTimeOffset(firstTicks, TimeSpan.Zero), new DateTimeOffset(lastTicks, TimeSpan.Zero))
        {
            EventCount = (int)Math.Min(events, int.MaxValue),
            Description = Describe(values, hit.Value, events, hit.Start),
        };
        alert.Tags.AddRange(meta.Tags);
        var fields = _groupFields[window[hit.To].Input];
        for (var i = 0; i < values.Length; i++)
        {
            alert.GroupBy[_rule.GroupBy[i]] = values[i];
            // An alias names no event field; the field the value came from says what kind of observable it is.
            _observables.AddField(alert, fields[i], values[i]);
            if (!string.Equals(fields[i], _rule.GroupBy[i], StringComparison.Ordinal))
            {
                _observables.AddField(alert, _rule.GroupBy[i], values[i]);
            }
        }
        // The host where every counted event happened is an entity of the alert too (the server under attack).
        if (window.CommonHost is { } host && _observables.IsHostSource(trigger.Source) && Observable.TryParse(ObservableType.Host, host, out var hostObservable))
        {
            alert.AddObservable(hostObservable);
        }
        foreach (var e in window.Evidence)
        {
            if (e.Timestamp.UtcTicks >= firstTicks && e.Timestamp.UtcTicks <= lastTicks)
            {
                alert.Evidence.Add(new EvidenceEvent(e.Ref, e.Timestamp, e.ToJson()));
            }
        }
        return alert;
    }

    /// <summary>
    /// Merged entries carry the time of their latest event; the earliest event of a sliding window, if it is among
    /// the evidence, is found there.
    /// </summary>
    private long FirstInSpan(Window window, int from, long lastTicks)
    {
        var first = window[from].Ticks;
        foreach (var e in window.Evidence)
        {
            var ticks = e.Timestamp.UtcTicks;
            if (ticks >= lastTicks - Span && ticks < first)
            {
                first = ticks;
            }
        }
        return first;
    }

    private string Describe(string[] values, double value, long events, long? windowStart)
    {
        var group = values.Length == 0 ? "" : " for " + string.Join(", ", values.Select((v, i) => $"{_rule.GroupBy[i]}={v}"));
        var when = windowStart is { } start
            ? $" in the {_rule.Timespan} window from {new DateTime(start, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z"
            : $" within {_rule.Timespan}";
        return $"{Measure.Describe(value, events)}{group}{when} (condition {_rule.Condition}).";
    }

    /// <summary>
    /// A hit as an event for the correlations that refer to this one: the fields of its newest event, the group-by
    /// values under the group-by names, and the time of the event that completed it.
    /// </summary>
    private Event HitEvent(string[] values, in HitWindow hit, Event trigger)
    {
        var at = hit.Window[hit.To].Ticks;
        var basis = trigger;
        foreach (var e in hit.Window.Evidence)
        {
            if (e.Timestamp.UtcTicks <= at)
            {
                basis = e;
            }
        }
        var fields = new Dictionary<string, FieldValue>(basis.FieldCount + values.Length, StringComparer.Ordinal);
        foreach (var (name, value) in basis.Fields)
        {
            fields[name] = value;
        }
        for (var i = 0; i < values.Length; i++)
        {
            fields[_rule.GroupBy[i]] = FieldValue.String(values[i]);
        }
        return new Event(new DateTimeOffset(at, TimeSpan.Zero), basis.Source, basis.Host, fields, basis.Ref);
    }
}

/// <summary>Entries <see cref="From"/> to <see cref="To"/> of a window met the condition with <see cref="Value"/>; a closing window also has its start.</summary>
internal readonly record struct HitWindow(Window Window, int From, int To, double Value, long? Start);
