using System.Globalization;
using System.Runtime.CompilerServices;
using Vedette.Domain;

namespace Vedette.Triage;

/// <summary>
/// An incident's score from its alerts: the strongest alert, 5 points per further rule (at most 15), 5 per further
/// ATT&amp;CK tactic seen on one entity (at most 15); three or more tactics on one entity (initial access → execution →
/// command and control) raise the severity a level. The grouper feeds it incrementally; merges and splits from all
/// of an incident's alerts.
/// </summary>
public static class IncidentScoring
{
    public static void Apply(Incident incident, Alert top, int rules, Severity alertSeverity, (Observable Entity, IReadOnlyList<string> Tactics)? progression, GroupingOptions options)
    {
        var tactics = progression is { } p && p.Tactics.Count > 1 ? ProgressionPart(p.Entity, p.Tactics) : null;
        Apply(incident, StrongestPart(top), rules > 1 ? MoreRulesPart(rules) : null, tactics, progression?.Tactics.Count ?? 0, alertSeverity, options);
    }

    /// <summary>
    /// The same from parts already built (the grouper keeps them while their inputs stay the same):
    /// <paramref name="progression"/> is null unless the progression has two tactics or more.
    /// </summary>
    internal static void Apply(Incident incident, ScorePart strongest, ScorePart? moreRules, ScorePart? progression, int tactics, Severity alertSeverity, GroupingOptions options)
    {
        var severity = alertSeverity;
        if (progression is not null && tactics >= 3 && severity < Severity.Critical)
        {
            severity++;
        }
        ScorePart[] parts = moreRules is null
            ? progression is null ? [strongest] : [strongest, progression]
            : progression is null ? [strongest, moreRules] : [strongest, moreRules, progression];
        var total = 0;
        foreach (var part in parts)
        {
            total += part.Points;
        }
        incident.Risk = new RiskScore(Math.Clamp(total, 0, 100), parts);
        incident.Score = incident.Risk.Total;
        incident.Severity = severity;
        incident.DueAt = incident.CreatedAt + options.Sla.GetValueOrDefault(severity, TimeSpan.FromDays(1));
    }

    internal static ScorePart StrongestPart(Alert top) =>
        new("strongest alert", top.Risk?.Total ?? 0, $"{top.Title} ({top.RuleId}) scores {top.Risk?.Total ?? 0}");

    internal static ScorePart MoreRulesPart(int rules) =>
        new("more rules", Math.Min(15, 5 * (rules - 1)), $"{rules} distinct rules fired on the incident's entities");

    internal static ScorePart ProgressionPart(Observable entity, IReadOnlyList<string> tactics)
    {
        var text = ProgressionText(entity);
        for (var i = 0; i < tactics.Count; i++)
        {
            text.AppendLiteral(i == 0 ? "" : " → ");
            text.AppendLiteral(tactics[i]);
        }
        return new("tactic progression", Math.Min(15, 5 * (tactics.Count - 1)), text.ToStringAndClear());
    }

    /// <summary>The same for a set of tactics (<see cref="Tactics.Mask"/>), written in kill-chain order.</summary>
    internal static ScorePart ProgressionPart(Observable entity, int tactics)
    {
        var text = ProgressionText(entity);
        var count = 0;
        for (var stage = 1; tactics >> (stage - 1) != 0; stage++)
        {
            if ((tactics & (1 << (stage - 1))) != 0)
            {
                text.AppendLiteral(count++ == 0 ? "" : " → ");
                text.AppendLiteral(Tactics.Name(stage));
            }
        }
        return new("tactic progression", Math.Min(15, 5 * (count - 1)), text.ToStringAndClear());
    }

    /// <summary>"ENTITY: ", as the entity's <see cref="Observable.ToString"/> writes it; the tactics follow.</summary>
    private static DefaultInterpolatedStringHandler ProgressionText(Observable entity)
    {
        var text = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture);
        text.AppendLiteral(ObservableTypes.ToName(entity.Type));
        text.AppendLiteral(":");
        text.AppendLiteral(entity.Value);
        text.AppendLiteral(": ");
        return text;
    }

    /// <summary>Scores an incident from all of its alerts (after a merge or a split).</summary>
    public static void FromAlerts(Incident incident, IReadOnlyList<Alert> alerts, GroupingOptions options)
    {
        if (alerts.Count == 0)
        {
            return;
        }
        var top = alerts[0];
        var severity = alerts[0].Severity;
        var tactics = new Dictionary<Observable, List<string>>();
        foreach (var alert in alerts)
        {
            if ((alert.Risk?.Total ?? 0) > (top.Risk?.Total ?? 0))
            {
                top = alert;
            }
            if (alert.Severity > severity)
            {
                severity = alert.Severity;
            }
            foreach (var entity in alert.Observables)
            {
                foreach (var tactic in Tactics.Of(alert.Tags))
                {
                    if (!tactics.TryGetValue(entity, out var seen))
                    {
                        tactics[entity] = seen = [];
                    }
                    if (!seen.Contains(tactic))
                    {
                        seen.Add(tactic);
                    }
                }
            }
        }
        (Observable, IReadOnlyList<string>)? progression = null;
        foreach (var (entity, seen) in tactics)
        {
            if (progression is null || seen.Count > progression.Value.Item2.Count)
            {
                progression = (entity, [.. seen.OrderBy(Tactics.Stage)]);
            }
        }
        incident.Title = top.Title;
        Apply(incident, top, alerts.Select(a => a.RuleId).Distinct(StringComparer.Ordinal).Count(), severity, progression, options);
    }
}

/// <summary>What an analyst's merge or split changed: the incidents to save, the one created, and where alerts moved.</summary>
public sealed record Regrouping(IReadOnlyList<Incident> Changed, Incident? Created, IReadOnlyDictionary<Guid, Guid> Moves);

/// <summary>
/// Analysts' corrections to grouping. A merge moves every alert of the sources into the target and leaves each source
/// in the store marked as merged (out of the queue, kept for the record); a split moves chosen alerts into a new
/// incident. Every moved alert gets a grouping reason naming who did it and why.
/// </summary>
public static class IncidentRegrouper
{
    public static Regrouping Merge(Incident target, IReadOnlyList<(Incident Incident, IReadOnlyList<Alert> Alerts)> sources, IReadOnlyList<Alert> targetAlerts, Actor by, DateTimeOffset at, string? note, GroupingOptions options)
    {
        // Every refusal comes before the first change, so a refused merge leaves the incidents as they were read.
        if (target.MergedInto is not null)
        {
            throw new InvalidOperationException($"incident {target.Id} was merged into {target.MergedInto}: merge into that one instead");
        }
        var named = new HashSet<Guid>();
        foreach (var (source, _) in sources)
        {
            if (source.Id == target.Id)
            {
                throw new InvalidOperationException($"incident {source.Id} cannot be merged into itself");
            }
            if (source.MergedInto is not null)
            {
                throw new InvalidOperationException($"incident {source.Id} was already merged into {source.MergedInto}");
            }
            if (source.Hold is { } hold)
            {
                // Its alerts would leave the hold behind: the target keeps them only if it is held too.
                throw new InvalidOperationException($"incident {source.Id} is under legal hold ({hold.Reason}, by {hold.By}): release it first, or merge the others into it");
            }
            if (!named.Add(source.Id))
            {
                throw new InvalidOperationException($"incident {source.Id} is named twice");
            }
        }
        var moves = new Dictionary<Guid, Guid>();
        var all = new List<Alert>(targetAlerts);
        foreach (var (source, alerts) in sources)
        {
            foreach (var alert in alerts)
            {
                moves[alert.Id] = target.Id;
                alert.IncidentId = target.Id;
                target.AlertIds.Add(alert.Id);
                target.Grouping.Add(new GroupingReason(alert.Id, null, $"merged from incident {source.Id} by {by.Name} at {at:u}{Because(note)}"));
                all.Add(alert);
            }
            Absorb(target, source);
            source.MergedInto = target.Id;
            source.Grouping.Add(new GroupingReason(Guid.Empty, null, $"merged into incident {target.Id} by {by.Name} at {at:u}{Because(note)}"));
        }
        IncidentScoring.FromAlerts(target, all, options);
        return new Regrouping([target, .. sources.Select(s => s.Incident)], null, moves);
    }

    public static Regrouping Split(Incident incident, IReadOnlyList<Alert> alerts, IReadOnlySet<Guid> leaving, Guid newId, Actor by, DateTimeOffset at, string? note, GroupingOptions options)
    {
        if (incident.MergedInto is not null)
        {
            throw new InvalidOperationException($"incident {incident.Id} was merged into {incident.MergedInto}: its alerts are there now");
        }
        var moving = alerts.Where(a => leaving.Contains(a.Id)).ToList();
        var staying = alerts.Where(a => !leaving.Contains(a.Id)).ToList();
        var unknown = leaving.Where(id => !incident.AlertIds.Contains(id)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"alert {unknown[0]} is not in incident {incident.Id}");
        }
        if (moving.Count == 0 || staying.Count == 0)
        {
            throw new InvalidOperationException("a split must leave at least one alert on each side");
        }
        // Alerts split off a held incident stay under its hold.
        var created = new Incident(newId, at, moving[0].Title, moving.Min(a => a.FirstSeen)) { LastSeen = moving.Max(a => a.LastSeen), Hold = incident.Hold };
        var moves = new Dictionary<Guid, Guid>();
        foreach (var alert in moving)
        {
            moves[alert.Id] = created.Id;
            alert.IncidentId = created.Id;
            created.AlertIds.Add(alert.Id);
            created.Grouping.Add(new GroupingReason(alert.Id, null, $"split from incident {incident.Id} by {by.Name} at {at:u}{Because(note)}"));
            incident.AlertIds.Remove(alert.Id);
        }
        Rebuild(created, moving);
        Rebuild(incident, staying);
        incident.Grouping.Add(new GroupingReason(Guid.Empty, null, $"{moving.Count} alert(s) split into incident {created.Id} by {by.Name} at {at:u}{Because(note)}"));
        IncidentScoring.FromAlerts(created, moving, options);
        IncidentScoring.FromAlerts(incident, staying, options);
        return new Regrouping([incident], created, moves);
    }

    private static void Absorb(Incident target, Incident source)
    {
        foreach (var rule in source.RuleIds.Where(r => !target.RuleIds.Contains(r)))
        {
            target.RuleIds.Add(rule);
        }
        foreach (var entity in source.Entities.Where(e => !target.Entities.Contains(e)))
        {
            target.Entities.Add(entity);
        }
        if (source.FirstSeen < target.FirstSeen)
        {
            target.FirstSeen = source.FirstSeen;
        }
        if (source.LastSeen > target.LastSeen)
        {
            target.LastSeen = source.LastSeen;
        }
    }

    /// <summary>Rules, entities and times of an incident from the alerts it holds now.</summary>
    private static void Rebuild(Incident incident, IReadOnlyList<Alert> alerts)
    {
        incident.RuleIds.Clear();
        incident.RuleIds.AddRange(alerts.Select(a => a.RuleId).Distinct(StringComparer.Ordinal));
        incident.Entities.Clear();
        incident.Entities.AddRange(alerts.SelectMany(a => a.Observables).Where(o => o.Type is not (ObservableType.Process or ObservableType.File)).Distinct());
        incident.FirstSeen = alerts.Min(a => a.FirstSeen);
        incident.LastSeen = alerts.Max(a => a.LastSeen);
    }

    private static string Because(string? note) => string.IsNullOrWhiteSpace(note) ? "" : $": {note.Trim()}";
}
