using Vedette.Detect;
using Vedette.Detection.Mappings;
using Vedette.Detection.Rules;
using Vedette.Domain;

namespace Vedette.Detection.Correlation;

/// <summary>
/// The running windows of every correlation for one detector (one thread). Time is event time: the watermark is the
/// newest event time seen; windows close and state expires as it moves, and events too far behind it are dropped.
/// </summary>
internal sealed class CorrelationState
{
    private readonly CorrelationEngine[] _engines;
    private readonly Dictionary<string, (CorrelationEngine Engine, int Input)[]> _inputs;
    private readonly Schedule _schedule = new();
    private long _watermark;

    public CorrelationState(CorrelationSet set, TimeProvider time, CorrelationOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Lateness, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxGroups, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxEventsPerGroup, 2);
        Counters = new CorrelationCounters(CountGroups);
        var context = new EngineContext(set.Mappings, time, options, Counters, _schedule);

        var byId = new Dictionary<string, CorrelationEngine>(StringComparer.Ordinal);
        var inputs = new Dictionary<string, List<(CorrelationEngine, int)>>(StringComparer.Ordinal);
        foreach (var resolved in set.Resolved)
        {
            // Upstream correlations come first. Their hits come late by design: a closing window reports a timespan
            // and its lateness after its first event, so a correlation fed by one accepts its input that much later.
            var lateness = options.Lateness;
            foreach (var input in resolved.InputIds)
            {
                if (byId.TryGetValue(input, out var upstream))
                {
                    var delay = TimeSpan.FromTicks(upstream.Lateness) + (upstream.Rule.DecidesAtWindowClose ? upstream.Rule.Timespan : TimeSpan.Zero);
                    lateness = delay > lateness ? delay : lateness;
                }
            }
            var engine = new CorrelationEngine(resolved, context, lateness, set.Generates(resolved.Rule.Meta));
            byId[resolved.Rule.Meta.Id] = engine;
            for (var i = 0; i < resolved.InputIds.Length; i++)
            {
                if (!inputs.TryGetValue(resolved.InputIds[i], out var list))
                {
                    inputs[resolved.InputIds[i]] = list = [];
                }
                list.Add((engine, i));
            }
        }
        _engines = [.. byId.Values];
        _inputs = inputs.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        foreach (var engine in _engines)
        {
            engine.FeedInto(_inputs.GetValueOrDefault(engine.Rule.Meta.Id, []));
        }
        _schedule.NextDue = _engines.Length == 0 ? long.MaxValue : 0;
    }

    public CorrelationCounters Counters { get; }

    /// <summary>An event was seen (matched or not): event time moves on, windows that ended are decided.</summary>
    public void Advance(DateTimeOffset eventTime, DetectionOutput output)
    {
        var ticks = eventTime.UtcTicks;
        if (ticks <= _watermark)
        {
            return;
        }
        _watermark = ticks;
        if (ticks < _schedule.NextDue)
        {
            return;
        }
        _schedule.NextDue = long.MaxValue;
        foreach (var engine in _engines)
        {
            engine.Advance(ticks, output);
        }
    }

    /// <summary>A rule matched an event: every correlation it feeds counts the event.</summary>
    public void Observe(RuleMetadata rule, Event e, DetectionOutput output)
    {
        Advance(e.Timestamp, output);
        if (!_inputs.TryGetValue(rule.Id, out var targets))
        {
            return;
        }
        foreach (var (engine, input) in targets)
        {
            engine.Observe(input, e, _watermark, output);
        }
    }

    /// <summary>The input has ended: every open window is decided, every open episode reported, all state let go.</summary>
    public void Flush(DetectionOutput output)
    {
        foreach (var engine in _engines)
        {
            engine.Flush(_watermark, output);
        }
    }

    private long CountGroups()
    {
        long groups = 0;
        foreach (var engine in _engines)
        {
            groups += engine.Groups;
        }
        return groups;
    }
}

/// <summary>What an engine needs from the state that runs it.</summary>
internal sealed record EngineContext(DetectionMappings Mappings, TimeProvider Time, CorrelationOptions Options, CorrelationCounters Counters, Schedule Schedule);

/// <summary>The event time at which the next engine has a window to close or state to sweep.</summary>
internal sealed class Schedule
{
    public long NextDue { get; set; }

    public void Request(long ticks)
    {
        if (ticks < NextDue)
        {
            NextDue = ticks;
        }
    }
}
