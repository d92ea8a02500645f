using Vedette.Domain;

namespace Vedette.Storage.Tests;

public abstract partial class StoreContract
{
    private static readonly RetentionPolicy NinetyDays = new() { Incidents = TimeSpan.FromDays(90), Alerts = TimeSpan.FromDays(90) };

    private static LegalHold Hold(DateTimeOffset at, string reason = "litigation 2025-17") => new("lena", at, reason);

    /// <summary>Stores an incident of <paramref name="alerts"/> alerts (one evidence event each) and closes it now.</summary>
    private async Task<(Incident Incident, Alert[] Alerts)> ClosedIncidentAsync(int alerts = 2)
    {
        var (incident, stored) = await OpenIncidentAsync(alerts);
        incident.Close(Verdict.TruePositive, Some.Ana, Time.GetUtcNow());
        Assert.Equal(UpdateResult.Updated, await Store.UpdateIncidentAsync(incident, Ct));
        return (incident, stored);
    }

    private async Task<(Incident Incident, Alert[] Alerts)> OpenIncidentAsync(int alerts = 1)
    {
        var stored = Enumerable.Range(0, alerts).Select(_ => Some.Alert(Time)).ToArray();
        var incident = await StoreIncidentAsync(stored);
        return ((await Store.GetIncidentAsync(incident.Id, Ct))!, stored);
    }

    private async Task<Alert> LoneAlertAsync(bool closed)
    {
        var alert = Some.Alert(Time);
        await Store.WriteAsync(Some.Batch(alert), Ct);
        if (closed)
        {
            alert.Close(Verdict.FalsePositive, Some.Ana, Time.GetUtcNow());
            Assert.Equal(UpdateResult.Updated, await Store.UpdateAlertAsync(alert, Ct));
        }
        return alert;
    }

    /// <summary>Every alert id and (unmerged) incident id stored, and the evidence count, to compare before and after a run.</summary>
    private async Task<(List<Guid> Alerts, List<Guid> Incidents, long Evidence)> InventoryAsync() =>
        ([.. (await ListAllAlertsAsync(new AlertQuery { Limit = 1000 })).Select(a => a.Id).Order()],
         [.. (await ListAllIncidentsAsync(new IncidentQuery { Limit = 1000 })).Select(i => i.Id).Order()],
         (await Store.CountAsync(Ct)).EvidenceEvents);

    [Fact]
    public async Task Retention_deletes_old_closed_incidents_with_their_alerts_and_keeps_open_held_and_young_ones()
    {
        var (old, oldAlerts) = await ClosedIncidentAsync(alerts: 2);
        var (open, openAlerts) = await OpenIncidentAsync();
        var (held, heldAlerts) = await ClosedIncidentAsync(alerts: 1);
        Assert.Equal(HoldResult.Done, await Store.PlaceHoldAsync(held.Id, Hold(Time.GetUtcNow()), Ct));
        var oldLone = await LoneAlertAsync(closed: true);
        var openLone = await LoneAlertAsync(closed: false);
        Time.Advance(TimeSpan.FromDays(40));
        var (young, youngAlerts) = await ClosedIncidentAsync(alerts: 1);
        var youngLone = await LoneAlertAsync(closed: true);
        Time.Advance(TimeSpan.FromDays(60));

        var plan = await Store.ApplyRetentionAsync(NinetyDays, Time.GetUtcNow(), "retention", Ct);

        Assert.Equal([old.Id], plan.Incidents);
        Assert.Equal(oldAlerts.Select(a => a.Id).Append(oldLone.Id).Order(), plan.Alerts.Select(a => a.Id));
        Assert.Equal(3, plan.Events);
        Assert.Null(await Store.GetIncidentAsync(old.Id, Ct));
        Assert.All(oldAlerts.Append(oldLone), a => Assert.Null(Store.GetAlertAsync(a.Id, Ct).Result));
        foreach (var kept in new[] { open, held, young })
        {
            Assert.NotNull(await Store.GetIncidentAsync(kept.Id, Ct));
        }
        foreach (var kept in openAlerts.Concat(heldAlerts).Concat(youngAlerts).Append(openLone).Append(youngLone))
        {
            AssertSame(kept, await Store.GetAlertAsync(kept.Id, Ct));
        }
        Assert.Equal(new StoreCounts(Alerts: 5, Incidents: 3, Indicators: 0, AuditEntries: 1, EvidenceEvents: 5, Suppressed: 0), await Store.CountAsync(Ct));
    }

    [Fact]
    public async Task An_open_incident_is_never_deleted_however_old_and_whatever_its_alerts_status()
    {
        var (open, alerts) = await OpenIncidentAsync(alerts: 2);
        open.Acknowledge(Some.Ana, Time.GetUtcNow());
        open.Escalate(Some.Ana, Time.GetUtcNow());
        Assert.Equal(UpdateResult.Updated, await Store.UpdateIncidentAsync(open, Ct));
        foreach (var alert in alerts)
        {
            alert.Close(Verdict.TruePositive, Some.Ana, Time.GetUtcNow());
            Assert.Equal(UpdateResult.Updated, await Store.UpdateAlertAsync(alert, Ct));
        }
        Time.Advance(TimeSpan.FromDays(3650));

        var plan = await Store.ApplyRetentionAsync(new RetentionPolicy { Incidents = TimeSpan.FromDays(1), Alerts = TimeSpan.FromDays(1), Events = TimeSpan.FromDays(1) }, Time.GetUtcNow(), "retention", Ct);

        Assert.True(plan.IsEmpty);
        Assert.NotNull(await Store.GetIncidentAsync(open.Id, Ct));
        Assert.Equal(2, (await Store.CountAsync(Ct)).EvidenceEvents);
    }

    [Fact]
    public async Task The_dry_run_lists_exactly_the_rows_the_real_run_deletes()
    {
        for (var i = 0; i < 3; i++)
        {
            await ClosedIncidentAsync(alerts: i + 1);
            await OpenIncidentAsync(alerts: 1);
            await LoneAlertAsync(closed: i % 2 == 0);
            Time.Advance(TimeSpan.FromDays(25));
        }
        var (held, _) = await ClosedIncidentAsync();
        Assert.Equal(HoldResult.Done, await Store.PlaceHoldAsync(held.Id, Hold(Time.GetUtcNow()), Ct));
        Time.Advance(TimeSpan.FromDays(60));
        var policy = new RetentionPolicy { Incidents = TimeSpan.FromDays(100), Alerts = TimeSpan.FromDays(90), Events = TimeSpan.FromDays(70) };
        var before = await InventoryAsync();

        var dryRun = await Store.PlanRetentionAsync(policy, Time.GetUtcNow(), Ct);
        var afterDryRun = await InventoryAsync();
        Assert.Equal(before.Alerts, afterDryRun.Alerts);
        Assert.Equal(before.Incidents, afterDryRun.Incidents);
        Assert.Equal(before.Evidence, afterDryRun.Evidence);
        var done = await Store.ApplyRetentionAsync(policy, Time.GetUtcNow(), "retention", Ct);
        var after = await InventoryAsync();

        Assert.False(dryRun.IsEmpty);
        Assert.NotEmpty(dryRun.Incidents);
        Assert.NotEmpty(dryRun.Evidence);
        Assert.Equal(dryRun.Incidents, done.Incidents);
        Assert.Equal(dryRun.Alerts, done.Alerts);
        Assert.Equal(dryRun.Evidence, done.Evidence);
        Assert.Equal(before.Alerts.Except(dryRun.Alerts.Select(a => a.Id)), after.Alerts);
        Assert.Equal(before.Incidents.Except(dryRun.Incidents), after.Incidents);
        Assert.Equal(before.Evidence - dryRun.Events, after.Evidence);
        Assert.True(await Store.PlanRetentionAsync(policy, Time.GetUtcNow(), Ct) is { IsEmpty: true }, "a second run finds nothing more to delete");
    }

    [Fact]
    public async Task Retention_never_touches_the_audit_log_and_records_the_counts_of_a_real_run()
    {
        var (old, _) = await ClosedIncidentAsync();
        await Store.AppendAuditAsync("ana", "incident.close", $"incident/{old.Id}", "{}", Time.GetUtcNow(), Ct);
        await Store.AppendAuditAsync("ana", "incident.comment", $"incident/{old.Id}", """{"text":"done"}""", Time.GetUtcNow(), Ct);
        Time.Advance(TimeSpan.FromDays(400));
        var before = await Store.ReadAuditAsync(0, 1000, Ct);

        await Store.PlanRetentionAsync(NinetyDays, Time.GetUtcNow(), Ct);
        Assert.Equal(before, await Store.ReadAuditAsync(0, 1000, Ct));
        await Store.ApplyRetentionAsync(NinetyDays, Time.GetUtcNow(), "retention", Ct);

        var after = await Store.ReadAuditAsync(0, 1000, Ct);
        Assert.Equal(before, after.Take(before.Count));
        var entry = Assert.Single(after.Skip(before.Count));
        Assert.Equal(("retention", "retention.run", "retention"), (entry.Actor, entry.Action, entry.Target));
        Assert.Equal("""{"incidents":1,"alerts":2,"events":2,"playbookRuns":0,"policy":{"events":"keep","alerts":"90d","incidents":"90d","playbookRuns":"keep"}}""", entry.Details);
        var chain = await AuditChain.VerifyAsync(Store, Ct);
        Assert.True(chain.Intact, chain.FirstBreak?.Problem);
        Assert.Equal(3, chain.Entries);
    }

    [Fact]
    public async Task A_held_incident_stays_until_its_hold_is_released_and_then_goes()
    {
        var (incident, alerts) = await ClosedIncidentAsync();
        var placedAt = Time.GetUtcNow();
        Assert.Equal(HoldResult.Done, await Store.PlaceHoldAsync(incident.Id, Hold(placedAt), Ct));
        Assert.Equal(HoldResult.AlreadyHeld, await Store.PlaceHoldAsync(incident.Id, new LegalHold("mallory", placedAt, "overwrite"), Ct));
        Time.Advance(TimeSpan.FromDays(365));

        Assert.True((await Store.ApplyRetentionAsync(NinetyDays with { Events = TimeSpan.FromDays(1) }, Time.GetUtcNow(), "retention", Ct)).IsEmpty);
        var read = await Store.GetIncidentAsync(incident.Id, Ct);
        Assert.Equal(Hold(placedAt), read!.Hold);
        Assert.Equal(2, (await Store.CountAsync(Ct)).EvidenceEvents);

        Assert.Equal(HoldResult.Done, await Store.ReleaseHoldAsync(incident.Id, Ct));
        Assert.Equal(HoldResult.NotHeld, await Store.ReleaseHoldAsync(incident.Id, Ct));
        Assert.Null((await Store.GetIncidentAsync(incident.Id, Ct))!.Hold);
        var plan = await Store.ApplyRetentionAsync(NinetyDays, Time.GetUtcNow(), "retention", Ct);

        Assert.Equal([incident.Id], plan.Incidents);
        Assert.Equal(alerts.Select(a => a.Id).Order(), plan.Alerts.Select(a => a.Id));
        Assert.Null(await Store.GetIncidentAsync(incident.Id, Ct));
    }

    [Fact]
    public async Task Holds_on_unknown_or_merged_incidents_are_refused_with_the_reason()
    {
        var unknown = Ids.New(Time);
        Assert.Equal(HoldResult.NotFound, await Store.PlaceHoldAsync(unknown, Hold(Time.GetUtcNow()), Ct));
        Assert.Equal(HoldResult.NotFound, await Store.ReleaseHoldAsync(unknown, Ct));
        var (target, _) = await OpenIncidentAsync();
        var (source, _) = await OpenIncidentAsync();
        Assert.Equal(UpdateResult.Updated, await Store.RegroupAsync(await MergeAsync(target.Id, Some.Ana, null, source.Id), Ct));

        Assert.Equal(HoldResult.Merged, await Store.PlaceHoldAsync(source.Id, Hold(Time.GetUtcNow()), Ct));
        Assert.Null((await Store.GetIncidentAsync(source.Id, Ct))!.Hold);
    }

    [Fact]
    public async Task A_hold_survives_triage_snapshots_analyst_saves_and_a_split_whose_new_incident_inherits_it()
    {
        var (incident, alerts) = await OpenIncidentAsync(alerts: 2);
        var analystCopy = (await Store.GetIncidentAsync(incident.Id, Ct))!;
        var hold = Hold(Time.GetUtcNow());
        Assert.Equal(HoldResult.Done, await Store.PlaceHoldAsync(incident.Id, hold, Ct));
        var triageSnapshot = Some.Incident(Time, alerts: alerts);
        var batch = new StoreBatch();
        batch.Incidents.Add(CloneWithId(triageSnapshot, incident.Id));
        await Store.WriteAsync(batch, Ct);
        analystCopy.Acknowledge(Some.Ana, Time.GetUtcNow());
        Assert.Equal(UpdateResult.Updated, await Store.UpdateIncidentAsync(analystCopy, Ct));

        Assert.Equal(hold, (await Store.GetIncidentAsync(incident.Id, Ct))!.Hold);
        var split = await SplitAsync(incident.Id, Some.Ana, null, alerts[1].Id);
        Assert.Equal(UpdateResult.Updated, await Store.RegroupAsync(split, Ct));

        Assert.Equal(hold, (await Store.GetIncidentAsync(incident.Id, Ct))!.Hold);
        Assert.Equal(hold, (await Store.GetIncidentAsync(split.Created!.Id, Ct))!.Hold);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () => await MergeAsync(split.Created!.Id, Some.Ana, null, incident.Id));
        Assert.Contains("legal hold", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_events_policy_strips_evidence_only_from_alerts_nobody_works_on_and_keeps_the_alerts()
    {
        var (closed, closedAlerts) = await ClosedIncidentAsync(alerts: 2);
        var (open, openAlerts) = await OpenIncidentAsync(alerts: 1);
        var lone = await LoneAlertAsync(closed: true);
        var openLone = await LoneAlertAsync(closed: false);
        Time.Advance(TimeSpan.FromDays(31));

        var plan = await Store.ApplyRetentionAsync(new RetentionPolicy { Events = TimeSpan.FromDays(30) }, Time.GetUtcNow(), "retention", Ct);

        Assert.Empty(plan.Incidents);
        Assert.Empty(plan.Alerts);
        Assert.Equal(closedAlerts.Append(lone).Select(a => new AlertPurge(a.Id, 1)).OrderBy(p => p.Id), plan.Evidence);
        Assert.Empty((await Store.GetAlertAsync(lone.Id, Ct))!.Evidence);
        Assert.Empty((await Store.GetAlertAsync(closedAlerts[0].Id, Ct))!.Evidence);
        Assert.Single((await Store.GetAlertAsync(openAlerts[0].Id, Ct))!.Evidence);
        Assert.Single((await Store.GetAlertAsync(openLone.Id, Ct))!.Evidence);
        Assert.NotNull(await Store.GetIncidentAsync(closed.Id, Ct));
        Assert.NotNull(await Store.GetIncidentAsync(open.Id, Ct));
    }

    [Fact]
    public async Task Keeping_everything_deletes_nothing_however_old()
    {
        await ClosedIncidentAsync();
        await LoneAlertAsync(closed: true);
        Time.Advance(TimeSpan.FromDays(10_000));
        var before = await Store.CountAsync(Ct);

        var plan = await Store.ApplyRetentionAsync(new RetentionPolicy(), Time.GetUtcNow(), "retention", Ct);

        Assert.True(plan.IsEmpty);
        Assert.Equal(before with { AuditEntries = before.AuditEntries + 1 }, await Store.CountAsync(Ct));
    }

    private static Incident CloneWithId(Incident snapshot, Guid id)
    {
        var copy = new Incident(id, snapshot.CreatedAt, snapshot.Title, snapshot.FirstSeen) { Severity = snapshot.Severity, Score = snapshot.Score, LastSeen = snapshot.LastSeen, DueAt = snapshot.DueAt };
        copy.AlertIds.AddRange(snapshot.AlertIds);
        copy.RuleIds.AddRange(snapshot.RuleIds);
        copy.Entities.AddRange(snapshot.Entities);
        copy.Grouping.AddRange(snapshot.Grouping);
        return copy;
    }
}
