using Vedette.Domain;
using Vedette.Enrich;

namespace Vedette.Triage;

/// <summary>How alerts are grouped and how long the SOC has for each severity.</summary>
public sealed record GroupingOptions
{
    /// <summary>An alert joins an incident when it shares an entity seen in that incident at most this long before.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(2);

    /// <summary>
    /// Process images and file paths are not entities: cmd.exe links everything. Addresses, names and hashes are.
    /// </summary>
    public IReadOnlySet<ObservableType> LinkingTypes { get; init; } = new HashSet<ObservableType>
    {
        ObservableType.Ipv4, ObservableType.Ipv6, ObservableType.Domain, ObservableType.Url, ObservableType.Md5,
        ObservableType.Sha1, ObservableType.Sha256, ObservableType.Email, ObservableType.User, ObservableType.Host,
    };

    /// <summary>Entities that never link (shared infrastructure such as DNS servers and proxies).</summary>
    public IReadOnlySet<Observable> StopList { get; init; } = new HashSet<Observable>();

    /// <summary>
    /// An entity seen in more alerts than this within the window is a hub (a scanner, a domain controller) and stops
    /// linking: otherwise one busy address would pull unrelated attacks into a single incident.
    /// </summary>
    public int MaxAlertsPerEntity { get; init; } = 25;

    /// <summary>
    /// A low or informational rule seen on this many distinct entities within the window is background noise (a
    /// policy alert on every laptop): its further alerts that share nothing with an incident are grouped by rule, one
    /// incident per rule, instead of one per host.
    /// </summary>
    public int NoiseEntities { get; init; } = 3;

    /// <summary>Time to respond per severity: an incident is due this long after it was opened.</summary>
    public IReadOnlyDictionary<Severity, TimeSpan> Sla { get; init; } = new Dictionary<Severity, TimeSpan>
    {
        [Severity.Critical] = TimeSpan.FromHours(1),
        [Severity.High] = TimeSpan.FromHours(4),
        [Severity.Medium] = TimeSpan.FromHours(24),
        [Severity.Low] = TimeSpan.FromDays(3),
        [Severity.Informational] = TimeSpan.FromDays(7),
    };
}

/// <summary>
/// Scores each alert, then puts it into the open incident it shares the most entities with inside the window, or
/// into its noisy rule's incident, or opens a new one, and records why. An incident's score is its strongest alert's
/// plus points for further rules and for a progression of ATT&amp;CK tactics on one entity, which also raises its
/// severity. State older than the window is dropped, so memory follows the window, not the stream.
/// </summary>
public sealed class IncidentGrouper : ITriage
{
    private readonly GroupingOptions _options;
    private readonly TimeProvider _time;
    private readonly IRuleFidelity _fidelity;
    private readonly AssetInventory _inventory;
    private readonly Dictionary<Observable, (Incident Incident, DateTimeOffset LastSeen)> _byEntity = [];
    private readonly Dictionary<Guid, (Incident Incident, Alert Alert)> _byAlert = [];
    private readonly Dictionary<Guid, IncidentState> _states = [];
    private readonly Dictionary<string, (Incident Incident, DateTimeOffset LastSeen)> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<Observable, DateTimeOffset>> _ruleSpread = new(StringComparer.Ordinal);
    private readonly Dictionary<Observable, (int Alerts, DateTimeOffset LastSeen)> _degree = [];
    private readonly HashSet<Observable> _hubs = [];
    private readonly HashSet<Observable> _everHubs = [];
    private readonly List<Observable> _linking = [];
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    public IncidentGrouper(GroupingOptions options, TimeProvider time, IRuleFidelity? fidelity = null, AssetInventory? inventory = null)
    {
        _options = options;
        _time = time;
        _fidelity = fidelity ?? NoFidelity.Instance;
        _inventory = inventory ?? AssetInventory.Empty;
    }

    /// <summary>Entities that stopped linking because they were in too many alerts within the window (reported, not hidden).</summary>
    public IReadOnlyCollection<Observable> Hubs => _everHubs;

    /// <summary>Entries held across all the grouper's maps: bounded by the window, whatever the length of the stream.</summary>
    internal int StateSize =>
        _byEntity.Count + _byAlert.Count + _states.Count + _buckets.Count + _degree.Count + _ruleSpread.Values.Sum(r => r.Count);

    public Incident Triage(Alert alert)
    {
        alert.Risk = RiskScorer.Score(alert, _fidelity, _inventory);
        Prune(alert.FirstSeen);
        Linking(alert, _linking);
        var skippedHubs = CountDegrees(alert);

        var (best, link) = BestIncident(alert);
        Incident incident;
        if (best is not null)
        {
            incident = best;
            var others = link.Shared - 1;
            incident.Grouping.Add(new GroupingReason(alert.Id, link.Via,
                $"shares {link.Via}{(others > 0 ? $" and {others} more entit{(others == 1 ? "y" : "ies")}" : "")} with the incident within {Hours(_options.Window)}{HubNote(skippedHubs)}"));
        }
        else if (NoiseSpread(alert) is { } spread && spread >= _options.NoiseEntities)
        {
            incident = Bucket(alert, spread);
        }
        else
        {
            incident = Open(alert, "opened the incident" + HubNote(skippedHubs));
        }
        Join(incident, alert);
        return incident;
    }

    public Incident? Update(AlertUpdate update)
    {
        if (!_byAlert.TryGetValue(update.AlertId, out var entry))
        {
            return null;
        }
        var (incident, alert) = entry;
        if (update.LastSeen > incident.LastSeen)
        {
            incident.LastSeen = update.LastSeen;
        }
        if (_states.TryGetValue(incident.Id, out var state) && state.IsBucket)
        {
            _buckets[alert.RuleId] = (incident, incident.LastSeen);
            return incident;
        }
        Linking(alert, _linking);
        foreach (var entity in _linking)
        {
            if (_byEntity.TryGetValue(entity, out var seen) && seen.Incident == incident && update.LastSeen > seen.LastSeen)
            {
                _byEntity[entity] = (incident, update.LastSeen);
            }
        }
        return incident;
    }

    /// <summary>Counts the alert against each of its entities; returns those that are hubs now.</summary>
    private List<(Observable Entity, int Alerts)>? CountDegrees(Alert alert)
    {
        List<(Observable, int)>? hubs = null;
        foreach (var entity in _linking)
        {
            var (alerts, _) = _degree.GetValueOrDefault(entity);
            _degree[entity] = (alerts + 1, alert.LastSeen);
            if (alerts + 1 > _options.MaxAlertsPerEntity)
            {
                _hubs.Add(entity);
                _everHubs.Add(entity);
            }
            if (_hubs.Contains(entity))
            {
                (hubs ??= []).Add((entity, alerts + 1));
            }
        }
        return hubs;
    }

    /// <summary>The incident sharing the most entities wins; on a tie, the one active most recently.</summary>
    private (Incident? Incident, (int Shared, Observable Via, DateTimeOffset LastSeen) Link) BestIncident(Alert alert)
    {
        Incident? best = null;
        (int Shared, Observable Via, DateTimeOffset LastSeen) bestLink = default;
        Dictionary<Incident, (int Shared, Observable Via, DateTimeOffset LastSeen)>? candidates = null;
        foreach (var entity in _linking)
        {
            if (_hubs.Contains(entity) || !_byEntity.TryGetValue(entity, out var seen) || seen.Incident.Status == CaseStatus.Closed
                || seen.Incident.MergedInto is not null || alert.FirstSeen - seen.LastSeen > _options.Window)
            {
                continue;
            }
            candidates ??= [];
            candidates[seen.Incident] = candidates.TryGetValue(seen.Incident, out var c)
                ? (c.Shared + 1, c.Via, c.LastSeen > seen.LastSeen ? c.LastSeen : seen.LastSeen)
                : (1, entity, seen.LastSeen);
        }
        foreach (var (candidate, link) in candidates ?? [])
        {
            if (best is null || link.Shared > bestLink.Shared || (link.Shared == bestLink.Shared && link.LastSeen > bestLink.LastSeen))
            {
                best = candidate;
                bestLink = link;
            }
        }
        return (best, bestLink);
    }

    /// <summary>
    /// For a low or informational alert that no feed vouches for: on how many distinct entities its rule fired within
    /// the window (this one included). Null for alerts that are never background noise.
    /// </summary>
    private int? NoiseSpread(Alert alert)
    {
        if (alert.Severity > Severity.Low || alert.IntelHits.Count > 0 || alert.PrimaryEntity is not { } entity)
        {
            return null;
        }
        if (!_ruleSpread.TryGetValue(alert.RuleId, out var spread))
        {
            _ruleSpread[alert.RuleId] = spread = [];
        }
        spread[entity] = alert.LastSeen;
        var live = 0;
        foreach (var (_, lastSeen) in spread)
        {
            if (alert.FirstSeen - lastSeen <= _options.Window)
            {
                live++;
            }
        }
        return live;
    }

    private Incident Bucket(Alert alert, int spread)
    {
        var reason = $"low-severity rule {alert.RuleId} fired on {spread} entities within {Hours(_options.Window)}: background noise, grouped by rule";
        if (_buckets.TryGetValue(alert.RuleId, out var bucket) && alert.FirstSeen - bucket.LastSeen <= _options.Window && bucket.Incident.MergedInto is null
            && bucket.Incident.Status != CaseStatus.Closed)
        {
            bucket.Incident.Grouping.Add(new GroupingReason(alert.Id, null, reason));
            return bucket.Incident;
        }
        var incident = Open(alert, reason);
        _states[incident.Id].IsBucket = true;
        return incident;
    }

    private Incident Open(Alert alert, string reason)
    {
        var incident = new Incident(Ids.New(_time), _time.GetUtcNow(), alert.Title, alert.FirstSeen);
        incident.Grouping.Add(new GroupingReason(alert.Id, null, reason));
        _states[incident.Id] = new IncidentState();
        return incident;
    }

    private void Join(Incident incident, Alert alert)
    {
        var state = _states[incident.Id];
        alert.IncidentId = incident.Id;
        incident.AlertIds.Add(alert.Id);
        if (!incident.RuleIds.Contains(alert.RuleId))
        {
            incident.RuleIds.Add(alert.RuleId);
        }
        if (alert.FirstSeen < incident.FirstSeen)
        {
            incident.FirstSeen = alert.FirstSeen;
        }
        if (alert.LastSeen > incident.LastSeen)
        {
            incident.LastSeen = alert.LastSeen;
        }
        if (state.Top is null || alert.Risk!.Total > state.Top.Risk!.Total)
        {
            state.Top = alert;
            incident.Title = state.IsBucket ? $"{alert.Title} (low-severity, on many hosts)" : alert.Title;
        }
        if (alert.Severity > state.AlertSeverity || incident.AlertIds.Count == 1)
        {
            state.AlertSeverity = alert.Severity;
        }
        foreach (var entity in _linking)
        {
            if (!incident.Entities.Contains(entity))
            {
                incident.Entities.Add(entity);
            }
            if (!state.IsBucket)
            {
                state.AddTactics(entity, alert.Tags);
                if (!_hubs.Contains(entity))
                {
                    _byEntity[entity] = (incident, alert.LastSeen);
                }
            }
        }
        if (state.IsBucket)
        {
            _buckets[alert.RuleId] = (incident, alert.LastSeen);
        }
        Rescore(incident, state);
        _byAlert[alert.Id] = (incident, alert);
    }

    private void Rescore(Incident incident, IncidentState state) =>
        IncidentScoring.Apply(incident, state.Top!, incident.RuleIds.Count, state.AlertSeverity, state.Progression(), _options);

    /// <summary>
    /// The alert's entities that may link it to others. Public addresses, domains and URLs link only when threat
    /// intel lists them: otherwise every alert that mentions a popular cloud service would join one incident.
    /// </summary>
    private void Linking(Alert alert, List<Observable> into)
    {
        into.Clear();
        foreach (var observable in alert.Observables)
        {
            if (!_options.LinkingTypes.Contains(observable.Type) || _options.StopList.Contains(observable))
            {
                continue;
            }
            var external = observable.Type is ObservableType.Domain or ObservableType.Url or ObservableType.Email
                || (observable.Type is ObservableType.Ipv4 or ObservableType.Ipv6 && !Addresses.IsInternal(observable));
            if (!external || alert.IntelHits.Exists(hit => hit.Observable == observable))
            {
                into.Add(observable);
            }
        }
    }

    private string HubNote(List<(Observable Entity, int Alerts)>? hubs) =>
        hubs is null ? "" : $"; not linked through {string.Join(", ", hubs.Select(h => $"{h.Entity} (in {h.Alerts} alerts within {Hours(_options.Window)}: a hub)"))}";

    private static string Hours(TimeSpan window) => $"{window.TotalHours:0.#}h";

    private void Prune(DateTimeOffset now)
    {
        // Entities idle for longer than the window can no longer link anything; alerts that old get no more updates.
        if (now - _lastPrune < _options.Window)
        {
            return;
        }
        _lastPrune = now;
        var window = _options.Window;
        RemoveWhere(_byEntity, p => now - p.Value.LastSeen > window);
        RemoveWhere(_buckets, p => now - p.Value.LastSeen > window);
        foreach (var key in _degree.Where(p => now - p.Value.LastSeen > window).Select(p => p.Key).ToList())
        {
            _degree.Remove(key);
            _hubs.Remove(key);
        }
        foreach (var (rule, spread) in _ruleSpread.ToList())
        {
            RemoveWhere(spread, p => now - p.Value > window);
            if (spread.Count == 0)
            {
                _ruleSpread.Remove(rule);
            }
        }
        var horizon = window + window;
        RemoveWhere(_byAlert, p => now - p.Value.Incident.LastSeen > horizon);
        var live = _byAlert.Values.Select(v => v.Incident.Id).ToHashSet();
        RemoveWhere(_states, p => !live.Contains(p.Key));
    }

    private static void RemoveWhere<TKey, TValue>(Dictionary<TKey, TValue> map, Func<KeyValuePair<TKey, TValue>, bool> stale)
        where TKey : notnull
    {
        foreach (var key in map.Where(stale).Select(p => p.Key).ToList())
        {
            map.Remove(key);
        }
    }

    /// <summary>What the grouper keeps per open incident to score it.</summary>
    private sealed class IncidentState
    {
        private Dictionary<Observable, List<string>>? _tactics;

        public Alert? Top { get; set; }

        public Severity AlertSeverity { get; set; }

        public bool IsBucket { get; set; }

        public void AddTactics(Observable entity, List<string> tags)
        {
            foreach (var tactic in Tactics.Of(tags))
            {
                _tactics ??= [];
                if (!_tactics.TryGetValue(entity, out var seen))
                {
                    _tactics[entity] = seen = [];
                }
                if (!seen.Contains(tactic))
                {
                    seen.Add(tactic);
                }
            }
        }

        /// <summary>The entity with the most distinct tactics, in kill-chain order.</summary>
        public (Observable Entity, IReadOnlyList<string> Tactics)? Progression()
        {
            (Observable, List<string>)? best = null;
            foreach (var (entity, tactics) in _tactics ?? [])
            {
                if (best is null || tactics.Count > best.Value.Item2.Count)
                {
                    best = (entity, tactics);
                }
            }
            return best is { } b ? (b.Item1, b.Item2.OrderBy(Tactics.Stage).ToList()) : null;
        }
    }
}
