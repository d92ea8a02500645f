using System.Numerics;
using Vedette.Domain;

namespace Vedette.Triage;

/// <summary>
/// What the grouper keeps per open incident to score it: the strongest alert, the most severe alert level, the
/// ATT&amp;CK tactics seen on each of the incident's entities, and what its score was last computed from.
/// </summary>
internal sealed class IncidentState(Incident incident)
{
    // Up to this many entities the incident's list is searched; past it, the grouper's entity index answers.
    private const int Scanned = 8;

    // Per entity of the incident, at the same position as in its list: the tactics seen on it as a set
    // (Tactics.Mask), and when it first had one (among entities with as many tactics, the earliest leads).
    private (int Mask, int Order)[] _tactics = [];
    private int _withTactics;
    private int _leader = -1;

    // What the incident's score was last computed from, and the parts built for it.
    private RiskScore? _risk;
    private Severity _severity;
    private DateTimeOffset _dueAt;
    private Alert? _scoredTop;
    private RiskScore? _scoredTopRisk;
    private ScorePart? _strongest;
    private int _scoredRules;
    private Severity _scoredAlertSeverity;
    private int _scoredLeader = -1;
    private int _scoredMask;
    private ScorePart? _progression;

    public Incident Incident { get; } = incident;

    public Alert? Top { get; set; }

    public Severity AlertSeverity { get; set; }

    public bool IsBucket { get; set; }

    /// <summary>An analyst closed, merged or split the incident outside the pipeline: it takes no more alerts.</summary>
    public bool Retired { get; set; }

    /// <summary>Whether the grouper's entity index holds this incident's entities (it does once they are many).</summary>
    public bool Indexed { get; private set; }

    /// <summary>How many of the grouper's alert entries point here: the state is dropped with the last of them.</summary>
    public int HeldAlerts { get; set; }

    /// <summary>
    /// Adds an entity of a joining alert to the incident's list unless it is there, and, outside noise buckets, the
    /// alert's tactics (<see cref="Tactics.Mask"/>) to those seen on the entity. <paramref name="known"/> is the entity's
    /// position in the list when the caller knows it, else -1. Returns the position.
    /// </summary>
    public int Add(Observable entity, int tactics, Dictionary<(IncidentState, Observable), int> index, int known)
    {
        var entities = Incident.Entities;
        var at = known >= 0 ? known : Indexed ? index.GetValueOrDefault((this, entity), -1) : entities.IndexOf(entity);
        if (at < 0)
        {
            at = entities.Count;
            entities.Add(entity);
            if (Indexed)
            {
                index[(this, entity)] = at;
            }
            else if (entities.Count > Scanned)
            {
                for (var i = 0; i < entities.Count; i++)
                {
                    index[(this, entities[i])] = i;
                }
                Indexed = true;
            }
        }
        if (!IsBucket && tactics != 0)
        {
            AddTactics(at, tactics);
        }
        return at;
    }

    /// <summary>Takes this incident's entities out of the grouper's entity index, when the state is dropped.</summary>
    public void Unindex(Dictionary<(IncidentState, Observable), int> index)
    {
        if (Indexed)
        {
            foreach (var entity in Incident.Entities)
            {
                index.Remove((this, entity));
            }
            Indexed = false;
        }
    }

    /// <summary>
    /// Scores the incident (<see cref="IncidentScoring"/>) from its strongest alert, its rules and the entity with the
    /// most distinct tactics. Parts are built again only when their inputs changed, and nothing is when none did and
    /// the incident still carries the score set here last time.
    /// </summary>
    public void Score(GroupingOptions options, ScorePartCache parts)
    {
        var incident = Incident;
        var top = Top!;
        var rules = incident.RuleIds.Count;
        var leader = _leader;
        var mask = leader < 0 ? 0 : _tactics[leader].Mask;
        var sameTop = _scoredTop == top && ReferenceEquals(_scoredTopRisk, top.Risk);
        var sameProgression = _scoredLeader == leader && _scoredMask == mask;
        if (_risk is not null && ReferenceEquals(incident.Risk, _risk) && incident.Score == _risk.Total && incident.Severity == _severity
            && incident.DueAt == _dueAt && sameTop && sameProgression && _scoredRules == rules && _scoredAlertSeverity == AlertSeverity)
        {
            return;
        }
        var strongest = sameTop ? _strongest! : parts.Strongest(top);
        var tactics = BitOperations.PopCount((uint)mask);
        var progression = tactics < 2 ? null : sameProgression ? _progression : IncidentScoring.ProgressionPart(incident.Entities[leader], mask);
        IncidentScoring.Apply(incident, strongest, rules > 1 ? parts.MoreRules(rules) : null, progression, tactics, AlertSeverity, options);
        (_risk, _severity, _dueAt) = (incident.Risk, incident.Severity, incident.DueAt);
        (_scoredTop, _scoredTopRisk, _strongest, _scoredRules, _scoredAlertSeverity) = (top, top.Risk, strongest, rules, AlertSeverity);
        (_scoredLeader, _scoredMask, _progression) = (leader, mask, progression);
    }

    private void AddTactics(int at, int tactics)
    {
        if (at >= _tactics.Length)
        {
            Array.Resize(ref _tactics, Math.Max(4, Math.Max(at + 1, _tactics.Length * 2)));
        }
        ref var seen = ref _tactics[at];
        if ((seen.Mask | tactics) == seen.Mask)
        {
            return;
        }
        if (seen.Mask == 0)
        {
            seen.Order = _withTactics++;
        }
        seen.Mask |= tactics;
        // Tactic sets only grow, so the lead can pass only to the entity that just grew.
        if (_leader < 0 || _leader == at)
        {
            _leader = at;
            return;
        }
        ref var leader = ref _tactics[_leader];
        var count = BitOperations.PopCount((uint)seen.Mask);
        var best = BitOperations.PopCount((uint)leader.Mask);
        if (count > best || (count == best && seen.Order < leader.Order))
        {
            _leader = at;
        }
    }
}
