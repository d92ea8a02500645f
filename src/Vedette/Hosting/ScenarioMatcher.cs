using Vedette.Domain;
using Vedette.Simulation;

namespace Vedette.Cli.Hosting;

/// <summary>How the demo judged one scenario of the simulator's ground truth.</summary>
internal sealed record ScenarioOutcome(ScenarioTruth Scenario, bool Detected, Guid? IncidentId, IReadOnlyList<Alert> Alerts);

/// <summary>
/// Matches alerts to the simulator's ground truth: an alert belongs to a scenario when it names one of the
/// scenario's entities and falls inside its time span (with slack for correlation windows and beacon episodes).
/// Alerts that belong to no scenario are the benign traffic's alerts.
/// </summary>
internal static class ScenarioMatcher
{
    private static readonly TimeSpan Before = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan After = TimeSpan.FromHours(1);

    public static (IReadOnlyList<ScenarioOutcome> Outcomes, IReadOnlyList<Alert> Benign) Match(IReadOnlyList<ScenarioTruth> scenarios, IReadOnlyList<Alert> alerts)
    {
        var claimed = new HashSet<Guid>();
        var outcomes = new List<ScenarioOutcome>();
        foreach (var scenario in scenarios)
        {
            var entities = scenario.Entities.ToHashSet();
            var matched = alerts
                .Where(a => a.LastSeen >= scenario.Start - Before && a.FirstSeen <= scenario.End + After)
                .Select(a => (Alert: a, Shared: a.Observables.Count(entities.Contains)))
                .Where(m => m.Shared > 0)
                .OrderByDescending(m => m.Shared)
                .ThenByDescending(m => m.Alert.Risk?.Total ?? 0)
                .Select(m => m.Alert)
                .ToList();
            claimed.UnionWith(matched.Select(a => a.Id));
            outcomes.Add(new ScenarioOutcome(scenario, matched.Count > 0, matched.FirstOrDefault()?.IncidentId, matched));
        }
        return (outcomes, [.. alerts.Where(a => !claimed.Contains(a.Id))]);
    }
}
