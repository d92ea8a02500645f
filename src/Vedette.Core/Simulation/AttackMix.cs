using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Vedette.Simulation;

/// <summary>How many separate instances of one attack kind a simulation embeds.</summary>
public readonly record struct AttackCount(string Kind, int Count);

/// <summary>
/// Which attack kinds a simulation embeds and how many separate instances of each, in planning order (which is also the
/// order of the truth ids S1, S2, ...). Instances of one kind are separate attacks: each has its own victims and
/// attacker infrastructure, and starts at least two hours after the previous one could have ended.
/// </summary>
public sealed class AttackMix
{
    /// <summary>The most instances of one kind a mix may ask for; the day and the estate usually hold fewer.</summary>
    public const int MaximumInstances = 8;

    /// <summary>The spec word that stands for every kind.</summary>
    public const string AllKinds = "all";

    private AttackMix(IReadOnlyList<AttackCount> counts) => Counts = counts;

    /// <summary>Every kind once, in the order of <see cref="ScenarioKinds.All"/>: the demo's mix.</summary>
    public static AttackMix Default { get; } = Every(1);

    public IReadOnlyList<AttackCount> Counts { get; }

    public int Total => Counts.Sum(static c => c.Count);

    /// <summary>The instances of <paramref name="kind"/> in the mix; 0 when it has none.</summary>
    public int Count(string kind)
    {
        foreach (var count in Counts)
        {
            if (count.Kind == kind)
            {
                return count.Count;
            }
        }
        return 0;
    }

    /// <summary>Every kind, each <paramref name="instances"/> times.</summary>
    public static AttackMix Every(int instances) => Of([.. ScenarioKinds.All.Select(kind => new AttackCount(kind, instances))]);

    /// <summary>The given kinds and counts, in this order; an unknown kind, a kind named twice or a count outside 1..8 is refused.</summary>
    public static AttackMix Of(params AttackCount[] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return Problem(counts) is { } problem ? throw new ArgumentException(problem, nameof(counts)) : new AttackMix([.. counts]);
    }

    /// <summary>
    /// Reads a spec such as <c>ssh-bruteforce:2,new-local-admin:3</c> (a kind without a count means once) or
    /// <c>all:2</c>; on failure <paramref name="error"/> says which part is wrong.
    /// </summary>
    public static bool TryParse(string spec, [NotNullWhen(true)] out AttackMix? mix, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(spec);
        mix = null;
        var parts = spec.Split(',', StringSplitOptions.TrimEntries);
        var counts = new List<AttackCount>(parts.Length);
        foreach (var part in parts)
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            var kind = colon < 0 ? part : part[..colon].Trim();
            var count = 1;
            if (colon >= 0 && (!int.TryParse(part.AsSpan(colon + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaximumInstances))
            {
                error = $"'{part}': the count after ':' must be a whole number from 1 to {MaximumInstances}";
                return false;
            }
            if (kind == AllKinds)
            {
                if (parts.Length > 1)
                {
                    error = $"'{AllKinds}' stands for every kind and cannot be combined with others";
                    return false;
                }
                counts.AddRange(ScenarioKinds.All.Select(k => new AttackCount(k, count)));
                continue;
            }
            counts.Add(new AttackCount(kind, count));
        }
        error = Problem(counts);
        if (error is null)
        {
            mix = new AttackMix(counts);
        }
        return error is null;
    }

    /// <summary>The spec that <see cref="TryParse"/> reads back into this mix.</summary>
    public override string ToString() =>
        string.Join(',', Counts.Select(static c => string.Create(CultureInfo.InvariantCulture, $"{c.Kind}:{c.Count}")));

    private static string? Problem(IReadOnlyList<AttackCount> counts)
    {
        if (counts.Count == 0 || counts is [{ Kind: "" }])
        {
            return $"name at least one attack kind, e.g. {AllKinds}:1 or {ScenarioKinds.SshBruteForce}:2";
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (kind, count) in counts)
        {
            if (!ScenarioKinds.All.Contains(kind))
            {
                return $"unknown attack kind '{kind}'; the kinds are {string.Join(", ", ScenarioKinds.All)} (or {AllKinds})";
            }
            if (!seen.Add(kind))
            {
                return $"'{kind}' is named twice; give each kind once, with its count";
            }
            if (count is < 1 or > MaximumInstances)
            {
                return $"'{kind}:{count.ToString(CultureInfo.InvariantCulture)}': the count must be from 1 to {MaximumInstances}";
            }
        }
        return null;
    }
}
