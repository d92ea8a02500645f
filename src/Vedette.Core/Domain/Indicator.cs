namespace Vedette.Domain;

/// <summary>A threat-intelligence record: a known-bad value, how sure the feeds are, and until when it holds.</summary>
public sealed record Indicator(
    Observable Value,
    int Score,
    IReadOnlyList<string> Feeds,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<string> Tags);

/// <summary>One entry of the append-only audit log, chained to the previous one by its hash.</summary>
public sealed record AuditEntry(long Sequence, DateTimeOffset At, string Actor, string Action, string Target, string Details, string PreviousHash, string Hash);
