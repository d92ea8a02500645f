using Vedette.Domain;

namespace Vedette.Triage;

/// <summary>The ATT&amp;CK enterprise tactics in kill-chain order, as Sigma tags name them (attack.credential-access).</summary>
public static class Tactics
{
    private static readonly string[] Order =
    [
        "reconnaissance", "resource-development", "initial-access", "execution", "persistence", "privilege-escalation",
        "defense-evasion", "credential-access", "discovery", "lateral-movement", "collection", "command-and-control",
        "exfiltration", "impact",
    ];

    private static readonly int[] StagePoints = [.. Order.Select(Points)];

    private static readonly ScorePart[] Parts =
        [.. Order.Select((tactic, i) => new ScorePart("att&ck tactic", Points(tactic), $"{tactic} ({i + 1} of 14 in the kill chain)"))];

    /// <summary>1-based position in the kill chain, or 0 for a name that is no tactic.</summary>
    public static int Stage(string tactic) => Array.IndexOf(Order, tactic) + 1;

    /// <summary>The tactic at a 1-based position in the kill chain.</summary>
    public static string Name(int stage) => Order[stage - 1];

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
            if (StageOf(tag) is var stage and > 0)
            {
                yield return Order[stage - 1];
            }
        }
    }

    public static string? Strongest(IEnumerable<string> tags)
    {
        var mask = 0;
        foreach (var tag in tags)
        {
            mask |= Bit(StageOf(tag));
        }
        return StrongestStage(mask) is var stage and > 0 ? Order[stage - 1] : null;
    }

    /// <summary>The tactics of the tags as a set: bit <c>stage - 1</c> for each tactic named.</summary>
    public static int Mask(List<string> tags)
    {
        var mask = 0;
        foreach (var tag in tags)
        {
            mask |= Bit(StageOf(tag));
        }
        return mask;
    }

    /// <summary>The stage of the tactic a tag names, without allocating: "attack." then the name, any case, '_' for '-'.</summary>
    public static int StageOf(string tag)
    {
        if (tag.Length <= 7 || !tag.StartsWith("attack.", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }
        var name = tag.AsSpan(7);
        for (var i = 0; i < Order.Length; i++)
        {
            if (Matches(name, Order[i]))
            {
                return i + 1;
            }
        }
        return 0;
    }

    /// <summary>The strongest tactic of a set (most points, then latest in the kill chain), as its stage; 0 for none.</summary>
    internal static int StrongestStage(int mask)
    {
        var best = 0;
        for (var stage = 1; mask >> (stage - 1) != 0; stage++)
        {
            if ((mask & Bit(stage)) != 0 && (best == 0 || StagePoints[stage - 1] >= StagePoints[best - 1]))
            {
                best = stage;
            }
        }
        return best;
    }

    /// <summary>The risk score's "att&amp;ck tactic" part for a tactic (the same immutable part for every alert).</summary>
    internal static ScorePart Part(int stage) => Parts[stage - 1];

    private static int Bit(int stage) => stage == 0 ? 0 : 1 << (stage - 1);

    private static bool Matches(ReadOnlySpan<char> name, string tactic)
    {
        if (name.Length != tactic.Length)
        {
            return false;
        }
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i] == '_' ? '-' : char.ToLowerInvariant(name[i]);
            if (c != tactic[i])
            {
                return false;
            }
        }
        return true;
    }
}
