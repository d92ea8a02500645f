using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Vedette.Domain;
using Vedette.Enrich;

namespace Vedette.Triage;

/// <summary>
/// Scores each alert, then puts it into the open incident it shares the most entities with inside the window, or
/// into its noisy rule's incident, or opens a new one, and records why. An incident's score is its strongest alert's
/// plus points for further rules and for a progression of ATT&amp;CK tactics on one entity, which also raises its
/// severity. State older than the window is dropped, so memory follows the window, not the stream — except that an
/// incident still taking alerts keeps all of its own (see <see cref="StateSize"/>).
/// </summary>
public sealed class IncidentGrouper : ITriage
{
    private const string BucketSuffix = " (low-severity, on many hosts)";

    private readonly GroupingOptions _options;
    private readonly TimeProvider _time;
    private readonly IRuleFidelity _fidelity;
    private readonly AssetInventory _inventory;
    private readonly ScorePartCache _parts = new();
    private readonly string _hours;
    private readonly string _withinIncident;
    private readonly Dictionary<Observable, Seen> _byEntity = [];
    private readonly Dictionary<Guid, (IncidentState State, Alert Alert)> _byAlert = [];
    private readonly Dictionary<Guid, IncidentState> _states = [];
    private readonly Dictionary<string, (IncidentState State, DateTimeOffset LastSeen)> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RuleSpread> _ruleSpread = new(StringComparer.Ordinal);
    private readonly Dictionary<Observable, (int Alerts, DateTimeOffset LastSeen)> _degree = [];
    private readonly HashSet<Observable> _hubs = [];
    private readonly HashSet<Observable> _everHubs = [];

    // Where each entity sits in its incident's list, for incidents with many entities; filled and emptied by their states.
    private readonly Dictionary<(IncidentState, Observable), int> _entityIndex = [];

    // Working memory for the alert being triaged: its linking entities, whether each is a hub now, the hubs it skipped,
    // the incidents it could join, and its rule's spread when it is a noise candidate.
    private readonly List<Observable> _linking = [];
    private readonly List<bool> _isHub = [];
    private readonly List<(Observable Entity, int Alerts)> _skippedHubs = [];
    private readonly List<Candidate> _candidates = [];
    private RuleSpread? _spread;
    private readonly IncidentFeedback? _feedback;
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    public IncidentGrouper(GroupingOptions options, TimeProvider time, IRuleFidelity? fidelity = null, AssetInventory? inventory = null, IncidentFeedback? feedback = null)
    {
        _feedback = feedback;
        _options = options;
        _time = time;
        _fidelity = fidelity ?? NoFidelity.Instance;
        _inventory = inventory ?? AssetInventory.Empty;
        _hours = $"{options.Window.TotalHours:0.#}h";
        _withinIncident = $" with the incident within {_hours}";
    }

    /// <summary>Entities that stopped linking because they were in too many alerts within the window (reported, not hidden).</summary>
    public IReadOnlyCollection<Observable> Hubs => _everHubs;

    /// <summary>
    /// Entries held across the grouper's maps (a diagnostic). Entities, rules and quiet incidents go once the window has
    /// passed them, whatever the length of the stream; but an incident keeps its alerts until it has been quiet for two
    /// windows, so one that never goes quiet — the noise bucket of a rule that fires all day, every day — grows with it.
    /// </summary>
    public int StateSize
    {
        get
        {
            var size = _byEntity.Count + _byAlert.Count + _states.Count + _buckets.Count + _degree.Count;
            foreach (var spread in _ruleSpread.Values)
            {
                size += spread.Entities.Count;
            }
            return size;
        }
    }

    public Incident Triage(Alert alert)
    {
        if (_feedback is { IsEmpty: false })
        {
            ApplyFeedback();
        }
        var tactics = Tactics.Mask(alert.Tags);
        alert.Risk = RiskScorer.Score(alert, tactics, _fidelity, _inventory, _parts);
        Prune(alert.FirstSeen);
        Linking(alert, _linking);
        CountDegrees(alert);

        var best = BestIncident(alert, out var link);
        IncidentState state;
        if (best is not null)
        {
            state = best;
            state.Incident.Grouping.Add(new GroupingReason(alert.Id, link.Via, link.Shared == 1 && _skippedHubs.Count == 0
                ? Shares(link.Via)
                : Explain("shares ", link.Via, link.Shared - 1)));
        }
        else if (NoiseSpread(alert) is { } spread && spread >= _options.NoiseEntities)
        {
            state = Bucket(alert, spread);
        }
        else
        {
            state = Open(alert, _skippedHubs.Count == 0 ? "opened the incident" : Explain("opened the incident", null, 0));
        }
        Join(state, alert, tactics);
        return state.Incident;
    }

    /// <summary>
    /// Takes up an open incident an earlier run stored (a restarted `vedette serve`, a second `vedette ingest`): its
    /// alerts are replayed, oldest first, into a fresh state for the stored incident, so that new alerts sharing its
    /// entities within the window join it as if the process had never stopped. The stored grouping reasons stay; the
    /// score is recomputed with today's fidelity. Closed and merged incidents, and incidents already held, are ignored.
    /// </summary>
    public void Resume(Incident incident, IReadOnlyList<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(alerts);
        if (incident.Status == CaseStatus.Closed || incident.MergedInto is not null || alerts.Count == 0 || _states.ContainsKey(incident.Id))
        {
            return;
        }
        incident.AlertIds.Clear();
        incident.RuleIds.Clear();
        incident.Entities.Clear();
        var state = new IncidentState(incident) { IsBucket = incident.Title.EndsWith(BucketSuffix, StringComparison.Ordinal) };
        _states[incident.Id] = state;
        foreach (var alert in alerts.OrderBy(static a => a.FirstSeen).ThenBy(static a => a.Id))
        {
            var tactics = Tactics.Mask(alert.Tags);
            alert.Risk ??= RiskScorer.Score(alert, tactics, _fidelity, _inventory, _parts);
            Linking(alert, _linking);
            CountDegrees(alert);
            Join(state, alert, tactics);
        }
    }

    public Incident? Update(AlertUpdate update)
    {
        if (!_byAlert.TryGetValue(update.AlertId, out var entry))
        {
            return null;
        }
        if (_feedback is { IsEmpty: false })
        {
            ApplyFeedback();
        }
        var (state, alert) = entry;
        if (state.Retired)
        {
            // The alert's own update is still stored; the incident is the analyst's now.
            return null;
        }
        var incident = state.Incident;
        if (update.LastSeen > incident.LastSeen)
        {
            incident.LastSeen = update.LastSeen;
        }
        if (state.IsBucket)
        {
            _buckets[alert.RuleId] = (state, incident.LastSeen);
            return incident;
        }
        Linking(alert, _linking);
        foreach (var entity in _linking)
        {
            ref var seen = ref CollectionsMarshal.GetValueRefOrNullRef(_byEntity, entity);
            if (!Unsafe.IsNullRef(ref seen) && seen.State == state && update.LastSeen > seen.LastSeen)
            {
                seen = seen with { LastSeen = update.LastSeen };
            }
        }
        return incident;
    }

    /// <summary>Counts the alert against each of its entities; notes which are hubs now, and the hubs among them.</summary>
    private void CountDegrees(Alert alert)
    {
        _isHub.Clear();
        _skippedHubs.Clear();
        var repeated = false;
        for (var i = 0; i < _linking.Count; i++)
        {
            var entity = _linking[i];
            ref var degree = ref CollectionsMarshal.GetValueRefOrAddDefault(_degree, entity, out _);
            var alerts = degree.Alerts + 1;
            degree = (alerts, alert.LastSeen);
            // An entity is a hub exactly while its count within the window is over the limit: both go when it is pruned.
            var hub = alerts > _options.MaxAlertsPerEntity;
            if (hub)
            {
                _hubs.Add(entity);
                _everHubs.Add(entity);
                _skippedHubs.Add((entity, alerts));
            }
            _isHub.Add(hub);
            repeated |= i > 0 && _linking.IndexOf(entity, 0, i) >= 0;
        }
        if (repeated)
        {
            // An entity listed twice may have become a hub at its second mention: what counts is after the whole alert.
            for (var i = 0; i < _linking.Count; i++)
            {
                _isHub[i] = _hubs.Contains(_linking[i]);
            }
        }
    }

    /// <summary>The incident sharing the most entities wins; on a tie, the one active most recently.</summary>
    private IncidentState? BestIncident(Alert alert, out Candidate best)
    {
        _candidates.Clear();
        for (var i = 0; i < _linking.Count; i++)
        {
            var entity = _linking[i];
            if (_isHub[i] || !_byEntity.TryGetValue(entity, out var seen) || !TakesAlerts(seen.State, alert)
                || alert.FirstSeen - seen.LastSeen > _options.Window)
            {
                continue;
            }
            var known = false;
            for (var c = 0; c < _candidates.Count && !known; c++)
            {
                var candidate = _candidates[c];
                if (candidate.State == seen.State)
                {
                    _candidates[c] = candidate with { Shared = candidate.Shared + 1, LastSeen = candidate.LastSeen > seen.LastSeen ? candidate.LastSeen : seen.LastSeen };
                    known = true;
                }
            }
            if (!known)
            {
                _candidates.Add(new Candidate(seen.State, 1, entity, seen.LastSeen));
            }
        }
        best = default;
        foreach (var candidate in _candidates)
        {
            if (best.State is null || candidate.Shared > best.Shared || (candidate.Shared == best.Shared && candidate.LastSeen > best.LastSeen))
            {
                best = candidate;
            }
        }
        return best.State;
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
        if (!_ruleSpread.TryGetValue(alert.RuleId, out _spread))
        {
            _ruleSpread[alert.RuleId] = _spread = new RuleSpread();
        }
        return _spread.Spread(entity, alert.LastSeen, alert.FirstSeen, _options.Window);
    }

    private IncidentState Bucket(Alert alert, int spread)
    {
        // A bucket's alerts mostly see the same spread: the words are kept with the rule's spread.
        var rule = _spread!;
        if (rule.Reason is null || rule.ReasonSpread != spread)
        {
            var text = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[256]);
            text.AppendLiteral("low-severity rule ");
            text.AppendLiteral(alert.RuleId);
            text.AppendLiteral(" fired on ");
            text.AppendFormatted(spread);
            text.AppendLiteral(" entities within ");
            text.AppendLiteral(_hours);
            text.AppendLiteral(": background noise, grouped by rule");
            (rule.Reason, rule.ReasonSpread) = (text.ToStringAndClear(), spread);
        }
        var reason = rule.Reason;
        if (_buckets.TryGetValue(alert.RuleId, out var bucket) && alert.FirstSeen - bucket.LastSeen <= _options.Window
            && TakesAlerts(bucket.State, alert))
        {
            bucket.State.Incident.Grouping.Add(new GroupingReason(alert.Id, null, reason));
            return bucket.State;
        }
        var state = Open(alert, reason);
        state.IsBucket = true;
        return state;
    }

    /// <summary>
    /// Closed, merged and retired incidents take no more alerts, nor one whose first alert is longer than MaxSpan ago.
    /// </summary>
    private bool TakesAlerts(IncidentState state, Alert alert) =>
        !state.Retired && state.Incident.Status != CaseStatus.Closed && state.Incident.MergedInto is null
        && alert.FirstSeen - state.Incident.FirstSeen <= _options.MaxSpan;

    /// <summary>Marks the incidents analysts changed since the last alert as retired (see <see cref="IncidentFeedback"/>).</summary>
    private void ApplyFeedback()
    {
        while (_feedback!.TryTake(out var id))
        {
            if (_states.TryGetValue(id, out var state))
            {
                state.Retired = true;
            }
        }
    }

    private IncidentState Open(Alert alert, string reason)
    {
        var incident = new Incident(Ids.New(_time), _time.GetUtcNow(), alert.Title, alert.FirstSeen);
        incident.Grouping.Add(new GroupingReason(alert.Id, null, reason));
        var state = new IncidentState(incident);
        _states[incident.Id] = state;
        return state;
    }

    private void Join(IncidentState state, Alert alert, int tactics)
    {
        var incident = state.Incident;
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
            incident.Title = state.IsBucket ? alert.Title + BucketSuffix : alert.Title;
        }
        if (alert.Severity > state.AlertSeverity || incident.AlertIds.Count == 1)
        {
            state.AlertSeverity = alert.Severity;
        }
        for (var i = 0; i < _linking.Count; i++)
        {
            var entity = _linking[i];
            if (state.IsBucket || _isHub[i])
            {
                state.Add(entity, tactics, _entityIndex, -1);
                continue;
            }
            // The entity's link says where it sits in the incident's list when it last linked to this incident.
            ref var seen = ref CollectionsMarshal.GetValueRefOrAddDefault(_byEntity, entity, out _);
            var at = state.Add(entity, tactics, _entityIndex, seen.State == state ? seen.Index : -1);
            seen = new Seen(state, alert.LastSeen, seen.Shares, at);
        }
        if (state.IsBucket)
        {
            _buckets[alert.RuleId] = (state, alert.LastSeen);
        }
        state.Score(_options, _parts);
        ref var held = ref CollectionsMarshal.GetValueRefOrAddDefault(_byAlert, alert.Id, out var again);
        if (again)
        {
            held.State.HeldAlerts--;
        }
        held = (state, alert);
        state.HeldAlerts++;
    }

    /// <summary>
    /// The alert's entities that may link it to others. Public addresses, domains and URLs link only when threat
    /// intel lists them: otherwise every alert that mentions a popular cloud service would join one incident.
    /// </summary>
    private void Linking(Alert alert, List<Observable> into)
    {
        into.Clear();
        foreach (var observable in alert.Observables)
        {
            if (!_options.LinkingTypes.Contains(observable.Type) || (_options.StopList.Count > 0 && _options.StopList.Contains(observable)))
            {
                continue;
            }
            var external = observable.Type is ObservableType.Domain or ObservableType.Url or ObservableType.Email
                || (observable.Type is ObservableType.Ipv4 or ObservableType.Ipv6 && !Addresses.IsInternal(observable));
            if (!external || Listed(alert, observable))
            {
                into.Add(observable);
            }
        }
    }

    private static bool Listed(Alert alert, Observable observable)
    {
        foreach (var hit in alert.IntelHits)
        {
            if (hit.Observable == observable)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// "shares ENTITY with the incident within …": the same words every time an alert links through that entity
    /// alone, so they are kept with the entity's link and go when it is pruned.
    /// </summary>
    private string Shares(Observable via)
    {
        ref var seen = ref CollectionsMarshal.GetValueRefOrNullRef(_byEntity, via);
        if (!Unsafe.IsNullRef(ref seen) && seen.Shares is { } shares)
        {
            return shares;
        }
        shares = Explain("shares ", via, 0);
        if (!Unsafe.IsNullRef(ref seen))
        {
            seen = seen with { Shares = shares };
        }
        return shares;
    }

    /// <summary>
    /// "shares ENTITY [and N more entities] with the incident within …" when <paramref name="via"/> is given, else the
    /// opening words alone; then, if the alert skipped hubs, "; not linked through HUB (in N alerts within …: a hub)".
    /// </summary>
    private string Explain(string opening, Observable? via, int others)
    {
        var text = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[256]);
        text.AppendLiteral(opening);
        if (via is { } shared)
        {
            Append(ref text, shared);
            if (others == 1)
            {
                text.AppendLiteral(" and 1 more entity");
            }
            else if (others > 1)
            {
                text.AppendLiteral(" and ");
                text.AppendFormatted(others);
                text.AppendLiteral(" more entities");
            }
            text.AppendLiteral(_withinIncident);
        }
        for (var i = 0; i < _skippedHubs.Count; i++)
        {
            var (hub, alerts) = _skippedHubs[i];
            text.AppendLiteral(i == 0 ? "; not linked through " : ", ");
            Append(ref text, hub);
            text.AppendLiteral(" (in ");
            text.AppendFormatted(alerts);
            text.AppendLiteral(" alerts within ");
            text.AppendLiteral(_hours);
            text.AppendLiteral(": a hub)");
        }
        return text.ToStringAndClear();
    }

    /// <summary>As <see cref="Observable.ToString"/> writes it: "type:value".</summary>
    private static void Append(ref DefaultInterpolatedStringHandler text, Observable observable)
    {
        text.AppendLiteral(ObservableTypes.ToName(observable.Type));
        text.AppendLiteral(":");
        text.AppendLiteral(observable.Value);
    }

    private void Prune(DateTimeOffset now)
    {
        // Entities idle for longer than the window can no longer link anything; alerts that old get no more updates.
        if (now - _lastPrune < _options.Window)
        {
            return;
        }
        _lastPrune = now;
        var window = _options.Window;
        // A Dictionary may lose entries while it is enumerated (a HashSet may not): no lists of stale keys are built.
        foreach (var (entity, seen) in _byEntity)
        {
            if (now - seen.LastSeen > window)
            {
                _byEntity.Remove(entity);
            }
        }
        foreach (var (rule, bucket) in _buckets)
        {
            if (now - bucket.LastSeen > window)
            {
                _buckets.Remove(rule);
            }
        }
        foreach (var (entity, degree) in _degree)
        {
            if (now - degree.LastSeen > window)
            {
                _degree.Remove(entity);
                _hubs.Remove(entity);
            }
        }
        foreach (var (rule, spread) in _ruleSpread)
        {
            if (spread.Prune(now, window) == 0)
            {
                _ruleSpread.Remove(rule);
            }
        }
        // Alerts are dropped with their incident once it has been quiet for two windows, and its state with them. Going
        // by incident, not by alert, keeps a prune proportional to what it drops.
        var horizon = window + window;
        foreach (var (id, state) in _states)
        {
            if (now - state.Incident.LastSeen > horizon)
            {
                foreach (var alert in state.Incident.AlertIds)
                {
                    if (_byAlert.TryGetValue(alert, out var held) && held.State == state)
                    {
                        _byAlert.Remove(alert);
                        state.HeldAlerts--;
                    }
                }
            }
            if (state.HeldAlerts == 0)
            {
                state.Unindex(_entityIndex);
                _states.Remove(id);
            }
        }
    }

    /// <summary>
    /// Where an entity last linked: its incident, when, and at which position of the incident's entities; and the
    /// words for a link through it alone.
    /// </summary>
    private readonly record struct Seen(IncidentState State, DateTimeOffset LastSeen, string? Shares, int Index);

    /// <summary>An open incident that shares entities with the alert being triaged: how many, through which first, how recently.</summary>
    private readonly record struct Candidate(IncidentState State, int Shared, Observable Via, DateTimeOffset LastSeen);
}
