using Vedette.Domain;
using Vedette.Enrich;

namespace Vedette.Triage;

/// <summary>
/// An explainable 0–100 risk score. Each part is recorded on the alert with its reason:
/// <list type="bullet">
/// <item>rule level: 5 / 15 / 35 / 55 / 75 for informational → critical;</item>
/// <item>rule fidelity: what analysts' verdicts say about the rule (−30 … +10), once there are enough of them;</item>
/// <item>threat intel: a quarter of the best indicator's score, plus 5 per further feed (at most 10);</item>
/// <item>ATT&amp;CK tactic: how far along an attack the rule's tactic sits (discovery 2 … exfiltration and impact 12);</item>
/// <item>asset criticality: 0 / 5 / 10 / 15 for the most critical host (or address of a known host);</item>
/// <item>identity privilege: the most privileged user (criticality points, at least 10 for an admin role);</item>
/// <item>expected activity: −25 when a known vulnerability scanner (inventory role:scanner) is involved.</item>
/// </list>
/// </summary>
public static class RiskScorer
{
    public const int ScannerPoints = -25;

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

    public static RiskScore Score(Alert alert) => Score(alert, NoFidelity.Instance, AssetInventory.Empty);

    public static RiskScore Score(Alert alert, IRuleFidelity fidelity) => Score(alert, fidelity, AssetInventory.Empty);

    public static RiskScore Score(Alert alert, IRuleFidelity fidelity, AssetInventory inventory)
    {
        var parts = new List<ScorePart>(6)
        {
            new("rule level", LevelPoints(alert.Severity), $"rule {alert.RuleId} is {alert.Severity.ToName()}"),
        };
        if (fidelity.For(alert.RuleId) is { } learned)
        {
            parts.Add(learned);
        }
        if (IntelPart(alert) is { } intel)
        {
            parts.Add(intel);
        }
        if (Tactics.Strongest(alert.Tags) is { } tactic)
        {
            parts.Add(new ScorePart("att&ck tactic", Tactics.Points(tactic), $"{tactic} ({Tactics.Stage(tactic)} of 14 in the kill chain)"));
        }
        AddInventoryParts(alert, inventory, parts);

        var total = 0;
        foreach (var part in parts)
        {
            total += part.Points;
        }
        return new RiskScore(Math.Clamp(total, 0, 100), parts);
    }

    private static ScorePart? IntelPart(Alert alert)
    {
        if (alert.IntelHits.Count == 0)
        {
            return null;
        }
        var best = alert.IntelHits[0];
        var feeds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var hit in alert.IntelHits)
        {
            feeds.Add(hit.Feed);
            if (hit.Score > best.Score)
            {
                best = hit;
            }
        }
        var points = (int)Math.Round(best.Score * 0.25) + Math.Min(10, 5 * (feeds.Count - 1));
        return new ScorePart("threat intel", points, $"{best.Observable} listed by {string.Join(", ", feeds.Order(StringComparer.Ordinal))} (score {best.Score}, {best.Match})");
    }

    private static void AddInventoryParts(Alert alert, AssetInventory inventory, List<ScorePart> parts)
    {
        (Asset Asset, Observable Via)? host = null, user = null, scanner = null;
        var userPoints = 0;
        foreach (var observable in alert.Observables)
        {
            if (observable.Type is not (ObservableType.Host or ObservableType.User or ObservableType.Ipv4 or ObservableType.Ipv6)
                || !inventory.TryFind(observable, out var asset))
            {
                continue;
            }
            if (asset.Entity.Type == ObservableType.User)
            {
                var points = Math.Max(CriticalityPoints(asset.Criticality), asset.IsPrivileged ? 10 : 0);
                if (user is null || points > userPoints)
                {
                    user = (asset, observable);
                    userPoints = points;
                }
                continue;
            }
            if (host is null || asset.Criticality > host.Value.Asset.Criticality)
            {
                host = (asset, observable);
            }
            if (asset.IsScanner)
            {
                scanner = (asset, observable);
            }
        }
        if (host is { } h)
        {
            parts.Add(new ScorePart("asset criticality", CriticalityPoints(h.Asset.Criticality), $"{Name(h.Asset, h.Via)} is {h.Asset.Criticality.ToString().ToLowerInvariant()}"));
        }
        if (user is { } u)
        {
            var privilege = u.Asset.IsPrivileged ? "a privileged account (role:admin)" : "an ordinary account";
            parts.Add(new ScorePart("identity privilege", userPoints, $"{u.Via} is {privilege}, {u.Asset.Criticality.ToString().ToLowerInvariant()} criticality"));
        }
        if (scanner is { } s)
        {
            parts.Add(new ScorePart("expected activity", ScannerPoints, $"{Name(s.Asset, s.Via)} is a vulnerability scanner (role:scanner): probing from it is expected"));
        }
    }

    private static string Name(Asset asset, Observable via) => asset.Entity == via ? via.ToString() : $"{via} ({asset.Entity})";
}

/// <summary>The ATT&amp;CK enterprise tactics in kill-chain order, as Sigma tags name them (attack.credential-access).</summary>
public static class Tactics
{
    private static readonly string[] Order =
    [
        "reconnaissance", "resource-development", "initial-access", "execution", "persistence", "privilege-escalation",
        "defense-evasion", "credential-access", "discovery", "lateral-movement", "collection", "command-and-control",
        "exfiltration", "impact",
    ];

    /// <summary>1-based position in the kill chain, or 0 for a name that is no tactic.</summary>
    public static int Stage(string tactic) => Array.IndexOf(Order, tactic) + 1;

    /// <summary>
    /// Later tactics weigh more: reconnaissance and discovery are what scanners and admins do all day, lateral
    /// movement, command and control, exfiltration and impact are what an intrusion in progress does.
    /// </summary>
    public static int Points(string tactic) => tactic switch
    {
        "reconnaissance" or "resource-development" => 0,
        "discovery" => 2,
        "initial-access" or "execution" or "defense-evasion" or "credential-access" or "collection" => 6,
        "persistence" or "privilege-escalation" => 8,
        "lateral-movement" or "command-and-control" => 10,
        "exfiltration" or "impact" => 12,
        _ => 0,
    };

    /// <summary>The tactics named by Sigma-style tags (attack.credential-access, attack.credential_access).</summary>
    public static IEnumerable<string> Of(IEnumerable<string> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.StartsWith("attack.", StringComparison.OrdinalIgnoreCase))
            {
                var name = tag[7..].Replace('_', '-').ToLowerInvariant();
                if (Stage(name) > 0)
                {
                    yield return name;
                }
            }
        }
    }

    public static string? Strongest(IEnumerable<string> tags)
    {
        string? best = null;
        foreach (var tactic in Of(tags))
        {
            if (best is null || Points(tactic) > Points(best) || (Points(tactic) == Points(best) && Stage(tactic) > Stage(best)))
            {
                best = tactic;
            }
        }
        return best;
    }
}
