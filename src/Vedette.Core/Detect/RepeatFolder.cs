using Vedette.Domain;

namespace Vedette.Detect;

/// <summary>
/// Repeats of one rule on one entity within an hour become one alert with a count and first/last seen, instead of
/// a new alert each time: an admin tool that trips a rule forty times a day is one line in the queue, not forty.
/// The entity is the alert's primary observable: the host for host events, the source address for network alerts.
/// Correlation and indicator alerts fold their repeats themselves and pass through.
/// </summary>
public sealed class RepeatFolder(TimeSpan gap)
{
    private readonly Episodes<(string Rule, Observable Entity)> _episodes = new(gap, 20);
    private readonly List<Alert> _kept = [];

    public static TimeSpan DefaultGap { get; } = TimeSpan.FromHours(1);

    /// <summary>Removes from the output every alert that repeats an open one, folding it into that one's coming update.</summary>
    public void Fold(DetectionOutput output)
    {
        _kept.Clear();
        foreach (var alert in output.Alerts)
        {
            if (alert.Origin is not (AlertOrigin.Rule or AlertOrigin.External) || alert.Observables.Count == 0)
            {
                _kept.Add(alert);
                continue;
            }
            var key = (alert.RuleId, alert.PrimaryEntity!.Value);
            if (!_episodes.TryFold(key, alert, output))
            {
                _episodes.Open(key, alert);
                _kept.Add(alert);
            }
        }
        output.Alerts.Clear();
        output.Alerts.AddRange(_kept);
    }

    public void Flush(DetectionOutput output) => _episodes.CloseAll(output);
}
