using Vedette.Detect;
using Vedette.Detection.Mappings;
using Vedette.Detection.Rules;
using Vedette.Domain;

namespace Vedette.Detection.Correlation;

/// <summary>
/// The correlation rules of a rule set with their references resolved: which detection rules feed which
/// correlations, and whether those rules still raise alerts of their own (Sigma's `generate`). Immutable;
/// the running state lives in a <see cref="CorrelationState"/> per detector.
/// </summary>
internal sealed class CorrelationSet
{
    private readonly Dictionary<string, CorrelationRule[]> _byRuleId;
    private readonly DetectionMappings _mappings;

    private CorrelationSet(IReadOnlyList<CorrelationRule> rules, Dictionary<string, CorrelationRule[]> byRuleId, DetectionMappings mappings)
    {
        Rules = rules;
        _byRuleId = byRuleId;
        _mappings = mappings;
    }

    public IReadOnlyList<CorrelationRule> Rules { get; }

    /// <summary>Resolves every correlation's `rules:` against the loaded detection rules (by id or name); unresolvable correlations become errors.</summary>
    public static CorrelationSet Build(IReadOnlyList<CorrelationRule> correlations, IReadOnlyList<RuleMetadata> detectionRules, DetectionMappings mappings, List<RuleLoadError> errors)
    {
        var byReference = new Dictionary<string, RuleMetadata>(StringComparer.Ordinal);
        foreach (var rule in detectionRules)
        {
            byReference.TryAdd(rule.Id, rule);
            if (rule.Name is { } name)
            {
                byReference.TryAdd(name, rule);
            }
        }
        var kept = new List<CorrelationRule>();
        var byRuleId = new Dictionary<string, List<CorrelationRule>>(StringComparer.Ordinal);
        foreach (var correlation in correlations)
        {
            var missing = correlation.Rules.Where(r => !byReference.ContainsKey(r)).ToList();
            if (missing.Count > 0)
            {
                errors.Add(new RuleLoadError(correlation.Meta.Source, correlation.Meta.Id, $"the correlation refers to rules that are not loaded: {string.Join(", ", missing)}"));
                continue;
            }
            kept.Add(correlation);
            foreach (var reference in correlation.Rules)
            {
                var id = byReference[reference].Id;
                if (!byRuleId.TryGetValue(id, out var list))
                {
                    byRuleId[id] = list = [];
                }
                if (!list.Contains(correlation))
                {
                    list.Add(correlation);
                }
            }
        }
        return new CorrelationSet(kept, byRuleId.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal), mappings);
    }

    /// <summary>The correlations a detection rule feeds (empty for most rules).</summary>
    public IReadOnlyList<CorrelationRule> Using(RuleMetadata rule) => _byRuleId.TryGetValue(rule.Id, out var list) ? list : [];

    /// <summary>Sigma: a rule referred to by correlations raises no alerts of its own unless one of them says `generate: true`.</summary>
    public bool Generates(RuleMetadata rule) => !_byRuleId.TryGetValue(rule.Id, out var list) || list.Any(c => c.Generate);

    public CorrelationState NewState(TimeProvider time) => new(this, _mappings, time);
}

/// <summary>The running windows of every correlation for one detector (one thread, events in order).</summary>
internal sealed class CorrelationState
{
    private readonly CorrelationSet _set;
    private readonly Dictionary<CorrelationRule, CorrelationEngine> _engines;

    public CorrelationState(CorrelationSet set, DetectionMappings mappings, TimeProvider time)
    {
        _set = set;
        _engines = set.Rules.ToDictionary(c => c, c => new CorrelationEngine(c, mappings.Fields, mappings.Observables, time));
    }

    /// <summary>A detection rule matched an event: every correlation it feeds counts the event.</summary>
    public void Observe(RuleMetadata rule, Event e, DetectionOutput output)
    {
        foreach (var correlation in _set.Using(rule))
        {
            _engines[correlation].Observe(e, output);
        }
    }

    public void Flush(DetectionOutput output)
    {
        foreach (var engine in _engines.Values)
        {
            engine.Flush(output);
        }
    }
}
