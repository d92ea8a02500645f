using System.Globalization;
using Vedette.Domain;
using Vedette.Serialization;
using Vedette.Triage;

namespace Vedette.Storage.Tests;

public abstract partial class StoreContract
{
    private static readonly GroupingOptions Options = new();

    private static readonly Observable Ws01 = new(ObservableType.Host, "ws-01");

    private static readonly Observable Ws02 = new(ObservableType.Host, "ws-02");

    private static readonly Observable UserBob = new(ObservableType.User, "bob");

    /// <summary>A scored alert of one ATT&amp;CK tactic; every alert names host ws-01 (<see cref="Some.Alert"/>).</summary>
    private Alert TacticAlert(string ruleId, Severity severity, int score, string tactic, params Observable[] more)
    {
        var alert = Some.Alert(Time, ruleId, severity);
        alert.Risk = new RiskScore(score, [new ScorePart("rule level", score, $"rule {ruleId} is {severity}")]);
        alert.Tags.Add($"attack.{tactic}");
        foreach (var observable in more)
        {
            alert.AddObservable(observable);
        }
        return alert;
    }

    /// <summary>Stores the alerts and an incident of them, with the entities and score triage would give it.</summary>
    private async Task<Incident> StoreIncidentAsync(params Alert[] alerts)
    {
        var incident = Some.Incident(Time, alerts: alerts);
        foreach (var entity in alerts.SelectMany(a => a.Observables).Distinct().Where(e => !incident.Entities.Contains(e)))
        {
            incident.Entities.Add(entity);
        }
        IncidentScoring.FromAlerts(incident, alerts, Options);
        var batch = Some.Batch(alerts);
        batch.Incidents.Add(incident);
        await Store.WriteAsync(batch, Ct);
        return incident;
    }

    /// <summary>An incident and its alerts as an analyst's command reads them: in the order they joined it.</summary>
    private async Task<(Incident Incident, IReadOnlyList<Alert> Alerts)> ReadForRegroupAsync(Guid id)
    {
        var incident = (await Store.GetIncidentAsync(id, Ct))!;
        var alerts = await ListAllAlertsAsync(new AlertQuery { IncidentId = id, Limit = 1000 });
        return (incident, [.. alerts.OrderBy(a => incident.AlertIds.IndexOf(a.Id))]);
    }

    private async Task<Regrouping> MergeAsync(Guid target, Actor by, string? note, params Guid[] sources)
    {
        var (into, alerts) = await ReadForRegroupAsync(target);
        var read = new List<(Incident, IReadOnlyList<Alert>)>();
        foreach (var id in sources)
        {
            read.Add(await ReadForRegroupAsync(id));
        }
        return IncidentRegrouper.Merge(into, read, alerts, by, Time.GetUtcNow(), note, Options);
    }

    private async Task<Regrouping> SplitAsync(Guid id, Actor by, string? note, params Guid[] leaving)
    {
        var (incident, alerts) = await ReadForRegroupAsync(id);
        return IncidentRegrouper.Split(incident, alerts, leaving.ToHashSet(), Ids.New(Time), by, Time.GetUtcNow(), note, Options);
    }

    /// <summary>Everything a regrouping could touch, as text: every alert and incident, each incident's alerts, the queue and the counts.</summary>
    private async Task<List<string>> EverythingAsync(params Guid[] incidents)
    {
        var rows = new List<string>();
        foreach (var alert in await ListAllAlertsAsync(new AlertQuery { Limit = 1000 }))
        {
            rows.Add(DomainJson.ToJson((await Store.GetAlertAsync(alert.Id, Ct))!));
        }
        foreach (var id in incidents)
        {
            rows.Add(await Store.GetIncidentAsync(id, Ct) is { } incident ? DomainJson.ToJson(incident) : $"no incident {id}");
            rows.Add($"{id}: {string.Join(",", (await ListAllAlertsAsync(new AlertQuery { IncidentId = id })).Select(a => a.Id))}");
        }
        rows.Add("queue: " + string.Join(",", (await ListAllIncidentsAsync(new IncidentQuery())).Select(i => i.Id)));
        rows.Add((await Store.CountAsync(Ct)).ToString());
        return rows;
    }

    private static string Stamp(DateTimeOffset at) => at.ToString("u", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_merge_moves_every_alert_of_the_sources_into_the_target_and_rescores_it()
    {
        var access = TacticAlert("r-access", Severity.Medium, 40, "initial_access");
        var execution = TacticAlert("r-exec", Severity.High, 60, "execution", UserBob);
        var beacon = TacticAlert("r-c2", Severity.High, 30, "command_and_control");
        var again = TacticAlert("r-access", Severity.Low, 20, "initial_access", Ws02);
        var target = await StoreIncidentAsync(access);
        var first = await StoreIncidentAsync(execution, beacon);
        var second = await StoreIncidentAsync(again);
        var bystander = await StoreIncidentAsync(TacticAlert("r-other", Severity.Low, 10, "discovery"));
        var at = Time.GetUtcNow();

        var merge = await MergeAsync(target.Id, Some.Ana, "  same intrusion ", first.Id, second.Id);
        var result = await Store.RegroupAsync(merge, Ct);

        Assert.Equal(UpdateResult.Updated, result);
        Assert.Null(merge.Created);
        Assert.Equal([target.Id, first.Id, second.Id], merge.Changed.Select(i => i.Id));
        Assert.Equal(
            new[] { execution.Id, beacon.Id, again.Id }.Order().Select(id => (id, target.Id)),
            merge.Moves.OrderBy(m => m.Key).Select(m => (m.Key, m.Value)));
        var stored = (await Store.GetIncidentAsync(target.Id, Ct))!;
        AssertSame(merge.Changed[0], stored);
        Assert.Equal([access.Id, execution.Id, beacon.Id, again.Id], stored.AlertIds);
        Assert.Equal(["r-access", "r-exec", "r-c2"], stored.RuleIds);
        Assert.Equal([Ws01, UserBob, Ws02], stored.Entities);
        // The strongest alert (60), two more rules (10), and three tactics on ws-01 (10), which raise high to critical.
        Assert.Equal((80, Severity.Critical, execution.Title), (stored.Score, stored.Severity, stored.Title));
        Assert.Equal(
            [("strongest alert", 60), ("more rules", 10), ("tactic progression", 10)],
            stored.Risk!.Parts.Select(p => (p.Factor, p.Points)));
        Assert.Equal("host:ws-01: initial-access → execution → command-and-control", stored.Risk.Parts[2].Reason);
        Assert.Equal(stored.CreatedAt + TimeSpan.FromHours(1), stored.DueAt);
        Assert.Equal(1, stored.Version);
        // Every moved alert says who moved it, when and why; the alert that was there keeps its reason.
        Assert.Equal(
            [
                (access.Id, "shares host:ws-01"),
                (execution.Id, $"merged from incident {first.Id} by ana at {Stamp(at)}: same intrusion"),
                (beacon.Id, $"merged from incident {first.Id} by ana at {Stamp(at)}: same intrusion"),
                (again.Id, $"merged from incident {second.Id} by ana at {Stamp(at)}: same intrusion"),
            ],
            stored.Grouping.Select(g => (g.AlertId, g.Explanation)));

        foreach (var alert in new[] { access, execution, beacon, again })
        {
            var moved = (await Store.GetAlertAsync(alert.Id, Ct))!;
            Assert.Equal(((Guid?)target.Id, alert.Version), (moved.IncidentId, moved.Version));
            alert.IncidentId = target.Id;
            AssertSame(alert, moved);
        }
        Assert.Equal(
            new[] { access.Id, execution.Id, beacon.Id, again.Id }.Order(),
            (await ListAllAlertsAsync(new AlertQuery { IncidentId = target.Id })).Select(a => a.Id).Order());
        Assert.Empty(await ListAllAlertsAsync(new AlertQuery { IncidentId = first.Id }));
        Assert.Empty(await ListAllAlertsAsync(new AlertQuery { IncidentId = second.Id }));

        // The sources stay stored for the record, marked merged, out of the queue and the count.
        foreach (var source in new[] { first, second })
        {
            var merged = (await Store.GetIncidentAsync(source.Id, Ct))!;
            Assert.Equal(((Guid?)target.Id, 1, CaseStatus.New), (merged.MergedInto, merged.Version, merged.Status));
            Assert.Empty(merged.Transitions);
            var record = merged.Grouping[^1];
            Assert.Equal((Guid.Empty, (Observable?)null), (record.AlertId, record.Via));
            Assert.Equal($"merged into incident {target.Id} by ana at {Stamp(at)}: same intrusion", record.Explanation);
        }
        Assert.Equal([target.Id, bystander.Id], (await ListAllIncidentsAsync(new IncidentQuery())).Select(i => i.Id));
        Assert.Equal([target.Id, bystander.Id], (await ListAllIncidentsAsync(new IncidentQuery { Status = CaseStatus.New })).Select(i => i.Id));
        Assert.Equal((5L, 2L), ((await Store.CountAsync(Ct)).Alerts, (await Store.CountAsync(Ct)).Incidents));

        var before = await EverythingAsync(target.Id, first.Id, second.Id, bystander.Id);
        await ReopenAsync();
        Assert.Equal(before, await EverythingAsync(target.Id, first.Id, second.Id, bystander.Id));
    }

    [Fact]
    public async Task A_merge_without_a_note_records_who_and_when()
    {
        var target = await StoreIncidentAsync(Some.Alert(Time));
        var moving = Some.Alert(Time);
        var source = await StoreIncidentAsync(moving);
        var at = Time.GetUtcNow();

        Assert.Equal(UpdateResult.Updated, await Store.RegroupAsync(await MergeAsync(target.Id, Some.Bob, note: "  ", source.Id), Ct));

        var stored = (await Store.GetIncidentAsync(target.Id, Ct))!;
        Assert.Equal($"merged from incident {source.Id} by bob at {Stamp(at)}", stored.Grouping[^1].Explanation);
        Assert.Equal($"merged into incident {target.Id} by bob at {Stamp(at)}", (await Store.GetIncidentAsync(source.Id, Ct))!.Grouping[^1].Explanation);
    }

    [Fact]
    public async Task A_split_moves_the_chosen_alerts_into_a_new_incident_that_joins_the_queue_and_rescores_both()
    {
        var access = TacticAlert("r-access", Severity.Medium, 40, "initial_access");
        var execution = TacticAlert("r-exec", Severity.High, 60, "execution", UserBob);
        var beacon = TacticAlert("r-c2", Severity.High, 70, "command_and_control", Ws02);
        var incident = await StoreIncidentAsync(access, execution, beacon);
        Assert.Equal((90, Severity.Critical), (incident.Score, incident.Severity));
        var at = Time.GetUtcNow();

        var split = await SplitAsync(incident.Id, Some.Bob, "the beacon is another host's", beacon.Id);
        var result = await Store.RegroupAsync(split, Ct);

        Assert.Equal(UpdateResult.Updated, result);
        var created = split.Created!;
        Assert.Equal([incident.Id], split.Changed.Select(i => i.Id));
        Assert.Equal([(beacon.Id, created.Id)], split.Moves.Select(m => (m.Key, m.Value)));

        var stayed = (await Store.GetIncidentAsync(incident.Id, Ct))!;
        AssertSame(split.Changed[0], stayed);
        Assert.Equal([access.Id, execution.Id], stayed.AlertIds);
        Assert.Equal(["r-access", "r-exec"], stayed.RuleIds);
        Assert.Equal([Ws01, UserBob], stayed.Entities);
        // 60, one more rule (5), two tactics on ws-01 (5): no longer critical.
        Assert.Equal((70, Severity.High, 1), (stayed.Score, stayed.Severity, stayed.Version));
        Assert.Equal(stayed.CreatedAt + TimeSpan.FromHours(4), stayed.DueAt);
        Assert.Equal(
            (Guid.Empty, $"1 alert(s) split into incident {created.Id} by bob at {Stamp(at)}: the beacon is another host's"),
            (stayed.Grouping[^1].AlertId, stayed.Grouping[^1].Explanation));

        var stored = (await Store.GetIncidentAsync(created.Id, Ct))!;
        AssertSame(created, stored);
        Assert.Equal([beacon.Id], stored.AlertIds);
        Assert.Equal(["r-c2"], stored.RuleIds);
        Assert.Equal([Ws01, Ws02], stored.Entities);
        Assert.Equal((70, Severity.High, beacon.Title, CaseStatus.New, 0), (stored.Score, stored.Severity, stored.Title, stored.Status, stored.Version));
        Assert.Equal((at, at + TimeSpan.FromHours(4)), (stored.CreatedAt, stored.DueAt));
        Assert.Equal((beacon.FirstSeen, beacon.LastSeen), (stored.FirstSeen, stored.LastSeen));
        Assert.Equal(
            [(beacon.Id, $"split from incident {incident.Id} by bob at {Stamp(at)}: the beacon is another host's")],
            stored.Grouping.Select(g => (g.AlertId, g.Explanation)));

        Assert.Equal(created.Id, (await Store.GetAlertAsync(beacon.Id, Ct))!.IncidentId);
        Assert.Equal(incident.Id, (await Store.GetAlertAsync(access.Id, Ct))!.IncidentId);
        Assert.Equal([beacon.Id], (await ListAllAlertsAsync(new AlertQuery { IncidentId = created.Id })).Select(a => a.Id));
        Assert.Equal(
            new[] { access.Id, execution.Id }.Order(),
            (await ListAllAlertsAsync(new AlertQuery { IncidentId = incident.Id })).Select(a => a.Id).Order());
        // Same score: the one opened first is due first.
        Assert.Equal([incident.Id, created.Id], (await ListAllIncidentsAsync(new IncidentQuery())).Select(i => i.Id));
        Assert.Equal(2, (await Store.CountAsync(Ct)).Incidents);
    }

    [Fact]
    public async Task A_merge_after_someone_else_changed_a_source_is_a_conflict_and_changes_nothing()
    {
        var target = await StoreIncidentAsync(Some.Alert(Time));
        var source = await StoreIncidentAsync(Some.Alert(Time, ruleId: "other"));
        var merge = await MergeAsync(target.Id, Some.Ana, "same host", source.Id);
        var theirs = (await Store.GetIncidentAsync(source.Id, Ct))!;
        theirs.Assign("bob");
        Assert.Equal(UpdateResult.Updated, await Store.UpdateIncidentAsync(theirs, Ct));
        var before = await EverythingAsync(target.Id, source.Id);

        // The target's row is written first; the source's version check fails after it, and undoes it.
        var result = await Store.RegroupAsync(merge, Ct);

        Assert.Equal(UpdateResult.Conflict, result);
        Assert.Equal(before, await EverythingAsync(target.Id, source.Id));
        Assert.Equal([0, 0], merge.Changed.Select(i => i.Version));
        Assert.Equal(UpdateResult.Updated, await Store.RegroupAsync(await MergeAsync(target.Id, Some.Ana, "same host", source.Id), Ct));
        Assert.Equal(target.Id, (await Store.GetIncidentAsync(source.Id, Ct))!.MergedInto);
    }

    [Fact]
    public async Task A_split_of_an_incident_someone_else_changed_is_a_conflict_and_creates_nothing()
    {
        var leaving = Some.Alert(Time, ruleId: "other");
        var incident = await StoreIncidentAsync(Some.Alert(Time), leaving);
        var split = await SplitAsync(incident.Id, Some.Ana, null, leaving.Id);
        var theirs = (await Store.GetIncidentAsync(incident.Id, Ct))!;
        theirs.Acknowledge(Some.Bob, Time.GetUtcNow());
        Assert.Equal(UpdateResult.Updated, await Store.UpdateIncidentAsync(theirs, Ct));
        var before = await EverythingAsync(incident.Id, split.Created!.Id);

        Assert.Equal(UpdateResult.Conflict, await Store.RegroupAsync(split, Ct));

        Assert.Equal(before, await EverythingAsync(incident.Id, split.Created.Id));
        Assert.Null(await Store.GetIncidentAsync(split.Created.Id, Ct));
        Assert.Equal(0, split.Changed[0].Version);
    }

    [Fact]
    public async Task A_merge_that_misses_an_alert_the_pipeline_added_meanwhile_is_a_conflict_and_changes_nothing()
    {
        var target = await StoreIncidentAsync(Some.Alert(Time));
        var sourceAlert = Some.Alert(Time, ruleId: "other");
        var source = await StoreIncidentAsync(sourceAlert);
        var merge = await MergeAsync(target.Id, Some.Ana, null, source.Id);
        // Triage adds an alert to the source; its snapshot does not change the version analysts save against.
        var late = Some.Alert(Time, ruleId: "late");
        var snapshot = source.Clone();
        Some.Join(snapshot, late);
        var batch = Some.Batch(late);
        batch.Incidents.Add(snapshot);
        await Store.WriteAsync(batch, Ct);
        var before = await EverythingAsync(target.Id, source.Id);

        Assert.Equal(UpdateResult.Conflict, await Store.RegroupAsync(merge, Ct));

        Assert.Equal(before, await EverythingAsync(target.Id, source.Id));
        var again = await MergeAsync(target.Id, Some.Ana, null, source.Id);
        Assert.Equal(UpdateResult.Updated, await Store.RegroupAsync(again, Ct));
        Assert.Equal(target.Id, (await Store.GetAlertAsync(late.Id, Ct))!.IncidentId);
        Assert.Empty(await ListAllAlertsAsync(new AlertQuery { IncidentId = source.Id }));
    }

    [Fact]
    public async Task A_regrouping_of_an_incident_that_is_not_stored_is_not_found_and_changes_nothing()
    {
        var source = await StoreIncidentAsync(Some.Alert(Time));
        var (read, alerts) = await ReadForRegroupAsync(source.Id);
        var unknown = Some.Incident(Time);
        var before = await EverythingAsync(source.Id, unknown.Id);

        var merge = IncidentRegrouper.Merge(unknown, [(read, alerts)], [], Some.Ana, Time.GetUtcNow(), null, Options);

        Assert.Equal(UpdateResult.NotFound, await Store.RegroupAsync(merge, Ct));
        Assert.Equal(before, await EverythingAsync(source.Id, unknown.Id));
    }

    [Fact]
    public async Task Merging_an_incident_into_itself_into_a_merged_one_or_twice_is_refused_and_changes_nothing()
    {
        var target = await StoreIncidentAsync(Some.Alert(Time));
        var merged = await StoreIncidentAsync(Some.Alert(Time));
        var other = await StoreIncidentAsync(Some.Alert(Time));
        Assert.Equal(UpdateResult.Updated, await Store.RegroupAsync(await MergeAsync(target.Id, Some.Ana, null, merged.Id), Ct));
        var before = await EverythingAsync(target.Id, merged.Id, other.Id);

        async Task RefusedAsync(string message, Guid into, params Guid[] sources)
        {
            var (read, alerts) = await ReadForRegroupAsync(into);
            var read2 = new List<(Incident, IReadOnlyList<Alert>)>();
            foreach (var id in sources)
            {
                read2.Add(await ReadForRegroupAsync(id));
            }
            var json = read2.Select(s => DomainJson.ToJson(s.Item1)).Prepend(DomainJson.ToJson(read)).ToList();

            var error = Assert.Throws<InvalidOperationException>(() => IncidentRegrouper.Merge(read, read2, alerts, Some.Bob, Time.GetUtcNow(), null, Options));

            Assert.Equal(message, error.Message);
            // Refused before anything changed, even what came before the bad source.
            Assert.Equal(json, read2.Select(s => DomainJson.ToJson(s.Item1)).Prepend(DomainJson.ToJson(read)));
            Assert.All(read2, s => Assert.All(s.Item2, a => Assert.Equal(s.Item1.Id, a.IncidentId)));
        }

        await RefusedAsync($"incident {target.Id} cannot be merged into itself", target.Id, other.Id, target.Id);
        await RefusedAsync($"incident {merged.Id} was merged into {target.Id}: merge into that one instead", merged.Id, other.Id);
        await RefusedAsync($"incident {merged.Id} was already merged into {target.Id}", other.Id, merged.Id);
        await RefusedAsync($"incident {other.Id} is named twice", target.Id, other.Id, other.Id);

        Assert.Equal(before, await EverythingAsync(target.Id, merged.Id, other.Id));
    }

    [Fact]
    public async Task Splitting_off_no_alert_every_alert_or_an_alert_of_another_incident_is_refused_and_changes_nothing()
    {
        var first = Some.Alert(Time);
        var second = Some.Alert(Time);
        var incident = await StoreIncidentAsync(first, second);
        var elsewhere = Some.Alert(Time);
        var other = await StoreIncidentAsync(elsewhere);
        var merged = await StoreIncidentAsync(Some.Alert(Time));
        Assert.Equal(UpdateResult.Updated, await Store.RegroupAsync(await MergeAsync(other.Id, Some.Ana, null, merged.Id), Ct));
        var before = await EverythingAsync(incident.Id, other.Id, merged.Id);
        var unknown = Guid.CreateVersion7();

        async Task RefusedAsync(string message, Guid id, params Guid[] leaving)
        {
            var (read, alerts) = await ReadForRegroupAsync(id);
            var json = DomainJson.ToJson(read);

            var error = Assert.Throws<InvalidOperationException>(() =>
                IncidentRegrouper.Split(read, alerts, leaving.ToHashSet(), Ids.New(Time), Some.Bob, Time.GetUtcNow(), null, Options));

            Assert.Equal(message, error.Message);
            Assert.Equal(json, DomainJson.ToJson(read));
        }

        await RefusedAsync("a split must leave at least one alert on each side", incident.Id);
        await RefusedAsync("a split must leave at least one alert on each side", incident.Id, first.Id, second.Id);
        await RefusedAsync($"alert {elsewhere.Id} is not in incident {incident.Id}", incident.Id, first.Id, elsewhere.Id);
        await RefusedAsync($"alert {unknown} is not in incident {incident.Id}", incident.Id, unknown);
        await RefusedAsync($"incident {merged.Id} was merged into {other.Id}: its alerts are there now", merged.Id, elsewhere.Id);

        Assert.Equal(before, await EverythingAsync(incident.Id, other.Id, merged.Id));
    }
}
