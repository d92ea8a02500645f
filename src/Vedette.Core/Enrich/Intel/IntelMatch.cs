using Vedette.Domain;

namespace Vedette.Enrich.Intel;

/// <summary>Why a value matched an indicator.</summary>
public enum MatchReason
{
    /// <summary>The value itself is listed.</summary>
    Exact,

    /// <summary>The address lies in a listed network.</summary>
    Cidr,

    /// <summary>The domain is a subdomain of a listed domain.</summary>
    ParentDomain,
}

/// <summary>A threat-intel match: the indicator, how it matched, its score now (after decay), and who lists it.</summary>
public sealed record IntelMatch(
    Observable Indicator,
    MatchReason Reason,
    int Score,
    IReadOnlyList<string> Feeds,
    IReadOnlyList<string> Tags,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    DateTimeOffset? ExpiresAt)
{
    public static string ReasonName(MatchReason reason) => reason switch
    {
        MatchReason.Exact => "exact",
        MatchReason.Cidr => "cidr",
        _ => "parent-domain",
    };

    /// <summary>The indicator's type as the store counts it: a network is ipv4 or ipv6 (a range of that family).</summary>
    public static string TypeName(Observable indicator) =>
        indicator.Type == ObservableType.Cidr
            ? indicator.Value.Contains(':', StringComparison.Ordinal) ? "ipv6" : "ipv4"
            : ObservableTypes.ToName(indicator.Type);
}
