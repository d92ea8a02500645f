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

    public static RiskScore Score(Alert alert, IRuleFidelity fidelity, AssetInventory inventory) =>
        Score(alert, Tactics.Mask(alert.Tags), fidelity, inventory, null);

    /// <summary>
    /// <paramref name="tactics"/> is <see cref="Tactics.Mask"/> of the alert's tags; <paramref name="cache"/>, when
    /// given, hands out the parts whose reasons repeat from alert to alert instead of formatting them again.
    /// </summary>
    internal static RiskScore Score(Alert alert, int tactics, IRuleFidelity fidelity, AssetInventory inventory, ScorePartCache? cache)
    {
        var level = cache is null ? LevelPart(alert.RuleId, alert.Severity) : cache.Level(alert.RuleId, alert.Severity);
        var learned = fidelity.For(alert.RuleId);
        var intel = IntelPart(alert);
        var tactic = Tactics.StrongestStage(tactics) is var stage and > 0 ? Tactics.Part(stage) : null;
        var (host, user, scanner) = InventoryParts(alert, inventory, cache);

        var count = 1 + Count(learned) + Count(intel) + Count(tactic) + Count(host) + Count(user) + Count(scanner);
        var parts = new ScorePart[count];
        var next = 0;
        var total = 0;
        foreach (var part in (ReadOnlySpan<ScorePart?>)[level, learned, intel, tactic, host, user, scanner])
        {
            if (part is not null)
            {
                parts[next++] = part;
                total += part.Points;
            }
        }
        return new RiskScore(Math.Clamp(total, 0, 100), parts);
    }

    internal static ScorePart LevelPart(string ruleId, Severity severity) =>
        new("rule level", LevelPoints(severity), $"rule {ruleId} is {severity.ToName()}");

    private static int Count(ScorePart? part) => part is null ? 0 : 1;

    private static ScorePart? IntelPart(Alert alert)
    {
        var hits = alert.IntelHits;
        if (hits.Count == 0)
        {
            return null;
        }
        var best = hits[0];
        var feeds = new string[hits.Count];
        var distinct = 0;
        foreach (var hit in hits)
        {
            if (Array.IndexOf(feeds, hit.Feed, 0, distinct) < 0)
            {
                feeds[distinct++] = hit.Feed;
            }
            if (hit.Score > best.Score)
            {
                best = hit;
            }
        }
        Array.Sort(feeds, 0, distinct, StringComparer.Ordinal);
        var points = (int)Math.Round(best.Score * 0.25) + Math.Min(10, 5 * (distinct - 1));
        return new ScorePart("threat intel", points, $"{best.Observable} listed by {string.Join(", ", feeds, 0, distinct)} (score {best.Score}, {best.Match})");
    }

    private static (ScorePart? Host, ScorePart? User, ScorePart? Scanner) InventoryParts(Alert alert, AssetInventory inventory, ScorePartCache? cache)
    {
        if (inventory.Count == 0)
        {
            return default;
        }
        (Asset Asset, Observable Via)? host = null, user = null, scanner = null;
        var userPoints = 0;
        foreach (var observable in alert.Observables)
        {
            if (observable.Type is not (ObservableType.Host or ObservableType.User or ObservableType.Ipv4 or ObservableType.Ipv6)
                || !inventory.TryFind(observable, out var asset))
            {
                continue;
            }
            var (isScanner, points) = cache?.Asset(asset).Facts ?? Facts(asset);
            if (asset.Entity.Type == ObservableType.User)
            {
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
            if (isScanner)
            {
                scanner = (asset, observable);
            }
        }
        return (
            host is { } h ? cache?.Inventory(InventoryFactor.Criticality, h.Asset, h.Via) ?? InventoryPart(InventoryFactor.Criticality, h.Asset, h.Via) : null,
            user is { } u ? cache?.Inventory(InventoryFactor.Privilege, u.Asset, u.Via) ?? InventoryPart(InventoryFactor.Privilege, u.Asset, u.Via) : null,
            scanner is { } s ? cache?.Inventory(InventoryFactor.Scanner, s.Asset, s.Via) ?? InventoryPart(InventoryFactor.Scanner, s.Asset, s.Via) : null);
    }

    private static int UserPoints(Asset asset) => Math.Max(CriticalityPoints(asset.Criticality), asset.IsPrivileged ? 10 : 0);

    /// <summary>What scoring needs of an asset: whether it is a scanner, and its points as a user.</summary>
    internal static (bool IsScanner, int UserPoints) Facts(Asset asset) => (asset.IsScanner, UserPoints(asset));

    /// <summary>The part an inventory entry adds, found through <paramref name="via"/> (the entity itself or one of its addresses).</summary>
    internal static ScorePart InventoryPart(InventoryFactor factor, Asset asset, Observable via) => factor switch
    {
        InventoryFactor.Criticality => new ScorePart("asset criticality", CriticalityPoints(asset.Criticality), $"{Name(asset, via)} is {asset.Criticality.ToString().ToLowerInvariant()}"),
        InventoryFactor.Privilege => new ScorePart(
            "identity privilege",
            UserPoints(asset),
            $"{via} is {(asset.IsPrivileged ? "a privileged account (role:admin)" : "an ordinary account")}, {asset.Criticality.ToString().ToLowerInvariant()} criticality"),
        _ => new ScorePart("expected activity", ScannerPoints, $"{Name(asset, via)} is a vulnerability scanner (role:scanner): probing from it is expected"),
    };

    private static string Name(Asset asset, Observable via) => asset.Entity == via ? via.ToString() : $"{via} ({asset.Entity})";
}
