using Vedette.Detect;
using Vedette.Detection.Correlation;
using Vedette.Domain;

namespace Vedette.Detection;

/// <summary>
/// Runs a compiled <see cref="RuleSet"/> over events: each event meets only the rules of the logsources it
/// belongs to; matches raise alerts and feed the correlations that refer to the rule.
/// </summary>
public sealed class SigmaDetector : IDetector
{
    private readonly RuleSet _rules;
    private readonly TimeProvider _time;
    private readonly CorrelationState _correlations;
    private readonly List<CompiledRule> _matches = [];
    private readonly Plan.PlanScratch _scratch = new();

    public SigmaDetector(RuleSet rules, TimeProvider time, CorrelationOptions? correlationOptions = null)
    {
        _rules = rules;
        _time = time;
        _correlations = rules.Correlations.NewState(time, correlationOptions);
    }

    /// <summary>What the correlations dropped and hold, for the pipeline to report.</summary>
    public CorrelationCounters CorrelationCounters => _correlations.Counters;

    public void Detect(Event e, DetectionOutput output)
    {
        _correlations.Advance(e.Timestamp, output);
        _matches.Clear();
        _rules.Plan.Match(e, _matches, _scratch);
        foreach (var rule in _matches)
        {
            if (rule.GeneratesAlerts)
            {
                output.Alerts.Add(RaiseFor(rule, e));
            }
            if (rule.FeedsCorrelations)
            {
                _correlations.Observe(rule.Meta, e, output);
            }
        }
    }

    public void Flush(DetectionOutput output) => _correlations.Flush(output);

    private Alert RaiseFor(CompiledRule rule, Event e)
    {
        var meta = rule.Meta;
        var alert = new Alert(Ids.New(_time), _time.GetUtcNow(), meta.Id, meta.Title, meta.Level ?? Severity.Medium, AlertOrigin.Rule, e.Timestamp, e.Timestamp)
        {
            Description = meta.Description,
        };
        alert.Tags.AddRange(meta.Tags);
        _rules.Mappings.Observables.AddTo(alert, e);
        alert.Evidence.Add(new EvidenceEvent(e.Ref, e.Timestamp, e.ToJson()));
        return alert;
    }
}
