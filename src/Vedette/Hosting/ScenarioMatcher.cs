using Vedette.Domain;
using Vedette.Simulation;

namespace Vedette.Cli.Hosting;

/// <summary>How the demo judged one scenario of the simulator's ground truth.</summary>
internal sealed record ScenarioOutcome(ScenarioTruth Scenario, bool Detected, Guid? IncidentId, IReadOnlyList<Alert> Alerts);

/// <summary>
/// Matches alerts to the simulator's ground truth. The simulator labels every line it writes with the scenario that
/// wrote it; an alert belongs to a scenario when an event behind it (its evidence, by file and line) is one of that
/// scenario's lines. A benign alert on a host an attacker also used is therefore still benign. Alerts that belong to
/// no scenario are the benign traffic's alerts.
/// </summary>
internal static class ScenarioMatcher
{
    public static (IReadOnlyList<ScenarioOutcome> Outcomes, IReadOnlyList<Alert> Benign) Match(
        IReadOnlyList<ScenarioTruth> scenarios, IReadOnlyList<string?> labels, string eventsOrigin, IReadOnlyList<Alert> alerts)
    {
        var byScenario = scenarios.ToDictionary(s => s.Id, _ => new List<Alert>(), StringComparer.Ordinal);
        var benign = new List<Alert>();
        foreach (var alert in alerts)
        {
            var owners = new HashSet<string>(StringComparer.Ordinal);
            foreach (var evidence in alert.Evidence)
            {
                var line = evidence.Ref.Line;
                if (string.Equals(evidence.Ref.Origin, eventsOrigin, StringComparison.Ordinal) && line >= 1 && line <= labels.Count && labels[(int)line - 1] is { } scenario)
                {
                    owners.Add(scenario);
                }
            }
            if (owners.Count == 0)
            {
                benign.Add(alert);
            }
            foreach (var owner in owners)
            {
                byScenario[owner].Add(alert);
            }
        }
        var outcomes = scenarios.Select(scenario =>
        {
            var matched = byScenario[scenario.Id].OrderByDescending(a => a.Risk?.Total ?? 0).ToList();
            return new ScenarioOutcome(scenario, matched.Count > 0, matched.FirstOrDefault()?.IncidentId, matched);
        }).ToList();
        return (outcomes, benign);
    }
}
