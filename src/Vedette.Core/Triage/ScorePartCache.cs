using Vedette.Domain;
using Vedette.Enrich;

namespace Vedette.Triage;

/// <summary>The parts an inventory entry can add to a score.</summary>
internal enum InventoryFactor
{
    Criticality,
    Privilege,
    Scanner,
}

/// <summary>
/// Score parts whose reasons repeat from alert to alert and incident to incident — a rule's level, what the inventory
/// says about a host or a user, an incident's strongest alert and count of rules — built once instead of formatted
/// each time. Parts are immutable, so alerts and incidents share them. Bounded: past <see cref="Limit"/> entries a
/// part is built as if there were no cache.
/// </summary>
internal sealed class ScorePartCache
{
    internal const int Limit = 65_536;

    private readonly Dictionary<(string RuleId, Severity Severity), ScorePart> _levels = [];
    private readonly Dictionary<Asset, AssetParts> _assets = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(string Title, string RuleId, int Total), ScorePart> _strongest = [];
    private readonly ScorePart?[] _moreRules = new ScorePart?[64];

    /// <summary>An incident's "strongest alert" part: the same for every top alert of one rule, title and score.</summary>
    public ScorePart Strongest(Alert top)
    {
        var key = (top.Title, top.RuleId, top.Risk?.Total ?? 0);
        if (_strongest.TryGetValue(key, out var part))
        {
            return part;
        }
        part = IncidentScoring.StrongestPart(top);
        if (_strongest.Count < Limit)
        {
            _strongest[key] = part;
        }
        return part;
    }

    /// <summary>An incident's "more rules" part for its number of distinct rules (at least 2).</summary>
    public ScorePart MoreRules(int rules) =>
        rules < _moreRules.Length ? _moreRules[rules] ??= IncidentScoring.MoreRulesPart(rules) : IncidentScoring.MoreRulesPart(rules);
    /// <summary>What scoring takes from an asset, per asset object: its roles are read from its tags once.</summary>
    public AssetParts Asset(Asset asset)
    {
        if (_assets.TryGetValue(asset, out var parts))
        {
            return parts;
        }
        parts = new AssetParts(asset);
        if (_assets.Count < Limit)
        {
            _assets[asset] = parts;
        }
        return parts;
    }

    public ScorePart Level(string ruleId, Severity severity)
    {
        if (_levels.TryGetValue((ruleId, severity), out var part))
        {
            return part;
        }
        part = RiskScorer.LevelPart(ruleId, severity);
        if (_levels.Count < Limit)
        {
            _levels[(ruleId, severity)] = part;
        }
        return part;
    }

    public ScorePart Inventory(InventoryFactor factor, Asset asset, Observable via) => Asset(asset).Part(factor, via);
}

/// <summary>An asset's roles, and the parts it adds found through its own name or through one of its addresses.</summary>
internal sealed class AssetParts(Asset asset)
{
    private readonly ScorePart?[] _direct = new ScorePart?[3];
    private Dictionary<(Observable Via, InventoryFactor Factor), ScorePart>? _viaAddress;

    public (bool IsScanner, int UserPoints) Facts { get; } = RiskScorer.Facts(asset);

    public ScorePart Part(InventoryFactor factor, Observable via)
    {
        if (via == asset.Entity)
        {
            return _direct[(int)factor] ??= RiskScorer.InventoryPart(factor, asset, via);
        }
        _viaAddress ??= [];
        if (!_viaAddress.TryGetValue((via, factor), out var part))
        {
            // An asset has as many addresses as its ip: tags: the inventory bounds this.
            _viaAddress[(via, factor)] = part = RiskScorer.InventoryPart(factor, asset, via);
        }
        return part;
    }
}
