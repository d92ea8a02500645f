using Vedette.Domain;
using Vedette.Enrich;

namespace Vedette.Triage;

/// <summary>
/// A first, explainable risk score: points for the rule's level, for threat-intel hits, and for how critical the
/// hosts and users involved are. Every part is recorded on the alert with its reason.
/// </summary>
public static class RiskScorer
{
    public static int LevelPoints(Severity severity) => severity switch
    {
        Severity.Informational => 5,
        Severity.Low => 15,
        Severity.Medium => 35,
        Severity.High => 55,
        Severity.Critical => 75,
        _ => 0,
    };

    public static int CriticalityPoints(Criticality criticality) => criticality switch
    {
        Criticality.Medium => 5,
        Criticality.High => 10,
        Criticality.Critical => 15,
        _ => 0,
    };

    public static RiskScore Score(Alert alert) => Score(alert, NoFidelity.Instance);

    public static RiskScore Score(Alert alert, IRuleFidelity fidelity)
    {
        var parts = new List<ScorePart>(4)
        {
            new("rule level", LevelPoints(alert.Severity), $"rule {alert.RuleId} is {alert.Severity.ToName()}"),
        };
        if (fidelity.For(alert.RuleId) is { } learned)
        {
            parts.Add(learned);
        }

        if (alert.IntelHits.Count > 0)
        {
            IntelHit best = alert.IntelHits[0];
            var feeds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var hit in alert.IntelHits)
            {
                feeds.Add(hit.Feed);
                if (hit.Score > best.Score)
                {
                    best = hit;
                }
            }
            // Up to 25 for the best indicator's score, 5 more for each further feed that agrees (at most 10).
            var points = (int)Math.Round(best.Score * 0.25) + Math.Min(10, 5 * (feeds.Count - 1));
            parts.Add(new ScorePart("threat intel", points, $"{best.Observable} listed by {string.Join(", ", feeds.Order(StringComparer.Ordinal))} (score {best.Score}, {best.Match})"));
        }

        var mostCritical = Criticality.Low;
        string? entity = null;
        foreach (var (name, criticality) in alert.Context)
        {
            if (Enum.TryParse<Criticality>(criticality, ignoreCase: true, out var level) && (entity is null || level > mostCritical))
            {
                mostCritical = level;
                entity = name;
            }
        }
        if (entity is not null)
        {
            parts.Add(new ScorePart("asset criticality", CriticalityPoints(mostCritical), $"{entity} is {mostCritical.ToString().ToLowerInvariant()}"));
        }

        var total = 0;
        foreach (var part in parts)
        {
            total += part.Points;
        }
        return new RiskScore(Math.Clamp(total, 0, 100), parts);
    }
}
