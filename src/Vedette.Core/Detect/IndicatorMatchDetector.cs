using Vedette.Domain;
using Vedette.Enrich.Intel;

namespace Vedette.Detect;

/// <summary>
/// Raises an alert when an event touches a known-bad indicator (a connection to a listed address, a lookup of a
/// listed domain, a file with a listed hash). Repeats for the same indicator and host within an hour fold into
/// one alert, so beaconing shows as one alert with a count.
/// </summary>
public sealed class IndicatorMatchDetector : IDetector
{
    public const string RuleId = "vedette:indicator-match";

    private readonly IntelStore _indicators;
    private readonly ObservableMap _observables;
    private readonly TimeProvider _time;
    private readonly Episodes<(Observable Indicator, string Where)> _episodes = new(TimeSpan.FromHours(1), 20);
    private readonly List<Observable> _candidates = [];

    public IndicatorMatchDetector(IntelStore indicators, ObservableMap observables, TimeProvider time)
    {
        _indicators = indicators;
        _observables = observables;
        _time = time;
    }

    public void Detect(Event e, DetectionOutput output)
    {
        var snapshot = _indicators.Current;
        if (snapshot.Count == 0)
        {
            return;
        }
        _candidates.Clear();
        _observables.CollectIntelCandidates(e, _candidates);
        var now = _time.GetUtcNow();
        foreach (var candidate in _candidates)
        {
            if (!snapshot.TryMatch(candidate, now, out var match))
            {
                continue;
            }
            var key = (match.Indicator, e.Host ?? e.Source);
            if (_episodes.TryFold(key, e, output))
            {
                continue;
            }
            var alert = new Alert(Ids.New(_time), _time.GetUtcNow(), RuleId, $"Known-bad {ObservableTypes.ToName(candidate.Type)} {candidate.Value} seen", LevelFor(match.Score), AlertOrigin.Indicator, e.Timestamp, e.Timestamp)
            {
                Description = $"The event matches threat-intel indicator {match.Indicator.Value} ({IntelMatch.ReasonName(match.Reason)}) listed by {string.Join(", ", match.Feeds)}.",
            };
            alert.Tags.AddRange(match.Tags);
            _observables.AddTo(alert, e);
            alert.Evidence.Add(new EvidenceEvent(e.Ref, e.Timestamp, e.ToJson()));
            output.Alerts.Add(alert);
            _episodes.Open(key, alert);
        }
    }

    public void Flush(DetectionOutput output) => _episodes.CloseAll(output);

    private static Severity LevelFor(int score) => score switch
    {
        >= 80 => Severity.High,
        >= 50 => Severity.Medium,
        _ => Severity.Low,
    };
}
