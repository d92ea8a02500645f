namespace Vedette.Server.Api;

/// <summary>Body of acknowledge: the version read (optional; 409 when it changed since) and a note.</summary>
public sealed record ActionRequest(int? Version = null, string? Note = null);

/// <summary>Body of assign: a user name, or null to unassign.</summary>
public sealed record AssignRequest(string? Assignee, int? Version = null, string? Note = null);

/// <summary>Body of status: new, acknowledged, investigating, escalated or closed (closing needs a verdict).</summary>
public sealed record StatusRequest(string Status, string? Verdict = null, string? Note = null, int? Version = null);

public sealed record CommentRequest(string Text);

/// <summary>Body of merge: the incidents whose alerts move into this one.</summary>
public sealed record MergeRequest(IReadOnlyList<Guid> Sources, string? Note = null, int? Version = null);

/// <summary>Body of split: the alerts that move into a new incident.</summary>
public sealed record SplitRequest(IReadOnlyList<Guid> Alerts, string? Note = null, int? Version = null);

/// <summary>Body of a new suppression; at least one of rule, entity ("type:value") or fields.</summary>
public sealed record SuppressionRequest(string Reason, string? RuleId = null, string? Entity = null, IReadOnlyDictionary<string, string>? Fields = null, string? Expires = null);

/// <summary>Body of a rule's status change: enabled or disabled, and why.</summary>
public sealed record RuleStatusRequest(string Status, string? Reason = null);
