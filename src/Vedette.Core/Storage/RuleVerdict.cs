using Vedette.Domain;

namespace Vedette.Storage;

/// <summary>
/// A closing verdict that bears on one alert of a rule: the alert's own, or its incident's
/// (<paramref name="ViaIncident"/>). The system's automatic closes are included and marked, so that they can be shown
/// and left out of learning.
/// </summary>
public sealed record RuleVerdict(string RuleId, Guid AlertId, Verdict Verdict, DateTimeOffset At, bool IsSystem, bool ViaIncident);

/// <summary>How many alerts a rule raised, and its newest alert's title (a rule's alerts are named after it).</summary>
public sealed record RuleAlertCount(string RuleId, string Title, long Alerts, long Open, DateTimeOffset LastCreatedAt);
