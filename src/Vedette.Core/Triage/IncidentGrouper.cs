using Vedette.Domain;

namespace Vedette.Triage;

/// <summary>How alerts are grouped: the time window, and which kinds of observable are entities that link alerts.</summary>
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
}

/// <summary>
/// Scores each alert, then puts it into the open incident it shares the most entities with inside the window, or
/// opens a new one. Records why each alert joined.
/// </summary>
public sealed class IncidentGrouper : ITriage
{
    private readonly GroupingOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<Observable, (Incident Incident, DateTimeOffset LastSeen)> _byEntity = [];
    private readonly Dictionary<Guid, (Incident Incident, Alert Alert)> _byAlert = [];
    private readonly Dictionary<Guid, int> _topScores = [];
    private readonly Dictionary<Observable, (int Alerts, DateTimeOffset LastSeen)> _degree = [];
    private readonly HashSet<Observable> _hubs = [];
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    public IncidentGrouper(GroupingOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>Entities that stopped linking because they were in too many alerts (reported, not hidden).</summary>
    public IReadOnlyCollection<Observable> Hubs => _hubs;

    public Incident Triage(Alert alert)
    {
        alert.Risk = RiskScorer.Score(alert);
        Prune(alert.FirstSeen);
        foreach (var entity in Linking(alert))
        {
            var (alerts, _) = _degree.GetValueOrDefault(entity);
            _degree[entity] = (alerts + 1, alert.LastSeen);
            if (alerts + 1 > _options.MaxAlertsPerEntity)
            {
                _hubs.Add(entity);
            }
        }

        // The incident sharing the most entities wins; on a tie, the one active most recently.
        var candidates = new Dictionary<Incident, (int Shared, Observable Via, DateTimeOffset LastSeen)>();
        foreach (var entity in Linking(alert))
        {
            if (_hubs.Contains(entity) || !_byEntity.TryGetValue(entity, out var seen) || seen.Incident.Status == CaseStatus.Closed
                || alert.FirstSeen - seen.LastSeen > _options.Window)
            {
                continue;
            }
            candidates[seen.Incident] = candidates.TryGetValue(seen.Incident, out var c)
                ? (c.Shared + 1, c.Via, c.LastSeen > seen.LastSeen ? c.LastSeen : seen.LastSeen)
                : (1, entity, seen.LastSeen);
        }
        Incident? best = null;
        (int Shared, Observable Via, DateTimeOffset LastSeen) bestLink = default;
        foreach (var (candidate, link) in candidates)
        {
            if (best is null || link.Shared > bestLink.Shared || (link.Shared == bestLink.Shared && link.LastSeen > bestLink.LastSeen))
            {
                best = candidate;
                bestLink = link;
            }
        }

        Incident incident;
        if (best is null)
        {
            incident = new Incident(Ids.New(_time), _time.GetUtcNow(), alert.Title, alert.FirstSeen);
            incident.Grouping.Add(new GroupingReason(alert.Id, null, "opened the incident"));
        }
        else
        {
            incident = best;
            var others = bestLink.Shared - 1;
            incident.Grouping.Add(new GroupingReason(alert.Id, bestLink.Via, $"shares {bestLink.Via}{(others > 0 ? $" and {others} more entit{(others == 1 ? "y" : "ies")}" : "")} with the incident within {_options.Window.TotalHours:0.#}h"));
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
        foreach (var entity in Linking(alert))
        {
            if (_byEntity.TryGetValue(entity, out var seen) && seen.Incident == incident && update.LastSeen > seen.LastSeen)
            {
                _byEntity[entity] = (incident, update.LastSeen);
            }
        }
        return incident;
    }

    private void Join(Incident incident, Alert alert)
    {
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
        var topScore = _topScores.GetValueOrDefault(incident.Id);
        if (alert.Risk!.Total > topScore || incident.AlertIds.Count == 1)
        {
            topScore = _topScores[incident.Id] = alert.Risk.Total;
            incident.Title = alert.Title;
        }
        if (alert.Severity > incident.Severity || incident.AlertIds.Count == 1)
        {
            incident.Severity = alert.Severity;
        }
        // Several distinct detections on the same entities are more convincing than one: 5 points per extra rule, at most 15.
        incident.Score = Math.Min(100, topScore + Math.Min(15, 5 * (incident.RuleIds.Count - 1)));
        foreach (var entity in Linking(alert))
        {
            if (!incident.Entities.Contains(entity))
            {
                incident.Entities.Add(entity);
            }
            if (!_hubs.Contains(entity))
            {
                _byEntity[entity] = (incident, alert.LastSeen);
            }
        }
        _byAlert[alert.Id] = (incident, alert);
    }

    /// <summary>
    /// The alert's entities that may link it to others. Public addresses, domains and URLs link only when threat
    /// intel lists them: otherwise every alert that mentions a popular cloud service would join one incident.
    /// </summary>
    private IEnumerable<Observable> Linking(Alert alert)
    {
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
                yield return observable;
            }
        }
    }

    private void Prune(DateTimeOffset now)
    {
        // Entities idle for longer than the window can no longer link anything; alerts that old get no more updates.
        if (now - _lastPrune < _options.Window)
        {
            return;
        }
        _lastPrune = now;
        foreach (var key in _byEntity.Where(p => now - p.Value.LastSeen > _options.Window).Select(p => p.Key).ToList())
        {
            _byEntity.Remove(key);
        }
        foreach (var key in _degree.Where(p => now - p.Value.LastSeen > _options.Window).Select(p => p.Key).ToList())
        {
            _degree.Remove(key);
            _hubs.Remove(key);
        }
        var horizon = _options.Window + _options.Window;
        foreach (var id in _byAlert.Where(p => now - p.Value.Incident.LastSeen > horizon).Select(p => p.Key).ToList())
        {
            _byAlert.Remove(id);
        }
    }
}
