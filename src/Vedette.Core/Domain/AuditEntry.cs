namespace Vedette.Domain;

/// <summary>One entry of the append-only audit log, chained to the previous one by its hash.</summary>
public sealed record AuditEntry(long Sequence, DateTimeOffset At, string Actor, string Action, string Target, string Details, string PreviousHash, string Hash);
