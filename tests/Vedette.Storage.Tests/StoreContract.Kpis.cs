using Vedette.Domain;

namespace Vedette.Storage.Tests;

public abstract partial class StoreContract
{
    private async Task<T> SaveAsync<T>(T item, Action<T, DateTimeOffset> change)
        where T : WorkItem
    {
        change(item, Time.GetUtcNow());
        var result = item switch
        {
            Alert alert => await Store.UpdateAlertAsync(alert, Ct),
            Incident incident => await Store.UpdateIncidentAsync(incident, Ct),
            _ => throw new ArgumentOutOfRangeException(nameof(item)),
        };
        Assert.Equal(UpdateResult.Updated, result);
        return item;
    }

    [Fact]
    public async Task Alert_timings_give_each_alerts_times_and_outcome_and_its_incidents()
    {
        var before = Some.Alert(Time, ruleId: "brute");
        var from = Time.GetUtcNow();
        // Sub-millisecond ticks in an event time must survive, as in the alert itself.
        var own = Some.Alert(Time, ruleId: "brute", severity: Severity.Medium, firstSeen: from.AddMinutes(-3).AddTicks(1234));
        var grouped = Some.Alert(Time, ruleId: "beacon", severity: Severity.Critical);
        var alone = Some.Alert(Time, ruleId: "brute", severity: Severity.Low);
        var to = Time.GetUtcNow();
        var after = Some.Alert(Time, ruleId: "brute");
        var incident = Some.Incident(Time, alerts: grouped);
        var batch = Some.Batch(before, own, grouped, alone, after);
        batch.Incidents.Add(incident);
        await Store.WriteAsync(batch, Ct);

        Time.Advance(TimeSpan.FromMinutes(1));
        await SaveAsync(own, (a, at) => a.Acknowledge(Some.Ana, at));
        Time.Advance(TimeSpan.FromMinutes(1));
        await SaveAsync(incident, (i, at) => i.Acknowledge(Some.Bob, at));
        Time.Advance(TimeSpan.FromMinutes(1));
        await SaveAsync(own, (a, at) => a.Close(Verdict.TruePositive, Some.Ana, at));
        Time.Advance(TimeSpan.FromMinutes(1));
        await SaveAsync(incident, (i, at) => i.Close(Verdict.FalsePositive, Some.Bob, at));

        var timings = await Store.ReadAlertTimingsAsync(from, to, Ct);

        Assert.Equal(
            new[]
            {
                new AlertTiming(own.Id, "brute", own.Title, Severity.Medium, own.FirstSeen, own.CreatedAt, own.AcknowledgedAt, own.ClosedAt, Verdict.TruePositive),
                new AlertTiming(grouped.Id, "beacon", grouped.Title, Severity.Critical, grouped.FirstSeen, grouped.CreatedAt, null, null, null,
                    incident.AcknowledgedAt, incident.ClosedAt, Verdict.FalsePositive),
                new AlertTiming(alone.Id, "brute", alone.Title, Severity.Low, alone.FirstSeen, alone.CreatedAt, null, null, null),
            },
            timings.OrderBy(t => t.CreatedAt));
        Assert.NotNull(own.AcknowledgedAt);
        Assert.NotNull(incident.ClosedAt);
    }

    [Fact]
    public async Task Alert_timings_name_each_rule_by_its_newest_alerts_title_and_leave_suppressed_alerts_out()
    {
        var from = Time.GetUtcNow();
        var older = Some.Alert(Time, ruleId: "edr");
        var now = Time.GetUtcNow();
        var newer = new Alert(Ids.New(Time), now, "edr", "EDR: <b>renamed</b> & \"quoted\"", Severity.High, AlertOrigin.External, now, now);
        Time.Advance(TimeSpan.FromSeconds(1));
        var suppressed = Some.Alert(Time, ruleId: "edr");
        suppressed.SuppressedBy = Guid.NewGuid();
        await Store.WriteAsync(Some.Batch(older, newer, suppressed), Ct);

        var timings = await Store.ReadAlertTimingsAsync(from, Time.GetUtcNow(), Ct);

        Assert.Equal([older.Id, newer.Id], timings.OrderBy(t => t.CreatedAt).Select(t => t.Id));
        Assert.All(timings, t => Assert.Equal(newer.Title, t.RuleTitle));
    }

    [Fact]
    public async Task Alert_timings_of_an_empty_range_are_empty()
    {
        await Store.WriteAsync(Some.Batch(Some.Alert(Time)), Ct);

        Assert.Empty(await Store.ReadAlertTimingsAsync(Time.GetUtcNow(), Time.GetUtcNow().AddDays(1), Ct));
    }

    [Fact]
    public async Task Open_incidents_are_those_not_closed_and_not_merged_away()
    {
        var fresh = await StoreIncidentAsync(Some.Alert(Time));
        var acknowledged = await StoreIncidentAsync(Some.Alert(Time));
        var closed = await StoreIncidentAsync(Some.Alert(Time));
        var mergedAway = await StoreIncidentAsync(Some.Alert(Time));
        Time.Advance(TimeSpan.FromMinutes(5));
        await SaveAsync((await Store.GetIncidentAsync(acknowledged.Id, Ct))!, (i, at) => i.Acknowledge(Some.Ana, at));
        await SaveAsync((await Store.GetIncidentAsync(closed.Id, Ct))!, (i, at) => i.Close(Verdict.BenignPositive, Some.Ana, at));
        Assert.Equal(UpdateResult.Updated, await Store.RegroupAsync(await MergeAsync(fresh.Id, Some.Ana, null, mergedAway.Id), Ct));

        var open = await Store.ReadOpenIncidentsAsync(Ct);

        Assert.Equal(
            new[]
            {
                new OpenIncident(fresh.Id, fresh.Severity, CaseStatus.New, fresh.CreatedAt, fresh.FirstSeen, fresh.DueAt),
                new OpenIncident(acknowledged.Id, acknowledged.Severity, CaseStatus.Acknowledged, acknowledged.CreatedAt, acknowledged.FirstSeen, acknowledged.DueAt),
            },
            open.OrderBy(i => i.CreatedAt));
    }

    [Fact]
    public async Task Alert_timings_carry_each_alerts_source_and_attack_tags()
    {
        var from = Time.GetUtcNow();
        var own = Some.Alert(Time, ruleId: "brute");
        own.Tags.AddRange(["attack.Credential_Access", "cve.2024.1234", "attack.T1110.001"]);
        var now = Time.GetUtcNow();
        var external = new Alert(Ids.New(Time), now, "edr:mimikatz", "EDR: mimikatz", Severity.Critical, AlertOrigin.External, now, now) { Producer = "edr" };
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.WriteAsync(Some.Batch(own, external), Ct);

        var timings = (await Store.ReadAlertTimingsAsync(from, Time.GetUtcNow(), Ct)).OrderBy(t => t.CreatedAt).ToList();

        Assert.Equal(("rule", "attack.credential_access attack.t1110.001"), (timings[0].Source, timings[0].AttackTags));
        Assert.Equal(("edr", (string?)null), (timings[1].Source, timings[1].AttackTags));
    }

    [Fact]
    public async Task Incident_timings_give_the_times_verdict_and_due_time_of_incidents_created_in_the_range()
    {
        var before = await StoreIncidentAsync(Some.Alert(Time));
        var from = Time.GetUtcNow();
        Alert[] alerts = [Some.Alert(Time), Some.Alert(Time), Some.Alert(Time)];
        var handled = Some.Incident(Time, severity: Severity.Critical, alerts: alerts[0]);
        handled.DueAt = handled.CreatedAt.AddHours(1);
        var untouched = Some.Incident(Time, alerts: alerts[1]);
        untouched.DueAt = untouched.CreatedAt.AddHours(4);
        var mergedAway = Some.Incident(Time, alerts: alerts[2]);
        var to = Time.GetUtcNow();
        var after = await StoreIncidentAsync(Some.Alert(Time));
        var batch = Some.Batch(alerts);
        batch.Incidents.AddRange([handled, untouched, mergedAway]);
        await Store.WriteAsync(batch, Ct);
        Time.Advance(TimeSpan.FromMinutes(7));
        await SaveAsync(handled, (i, at) => i.Acknowledge(Some.Ana, at));
        Time.Advance(TimeSpan.FromMinutes(30));
        await SaveAsync(handled, (i, at) => i.Close(Verdict.TruePositive, Some.Ana, at));
        Assert.Equal(UpdateResult.Updated, await Store.RegroupAsync(await MergeAsync(untouched.Id, Some.Ana, null, mergedAway.Id), Ct));

        var timings = await Store.ReadIncidentTimingsAsync(from, to, Ct);

        Assert.Equal(
            new[]
            {
                new IncidentTiming(handled.Id, Severity.Critical, handled.CreatedAt, handled.AcknowledgedAt, handled.ClosedAt, Verdict.TruePositive, handled.DueAt),
                new IncidentTiming(untouched.Id, untouched.Severity, untouched.CreatedAt, null, null, null, untouched.DueAt),
            },
            timings.OrderBy(t => t.CreatedAt));
        Assert.NotNull(handled.ClosedAt);
        Assert.DoesNotContain(timings, t => t.Id == before.Id || t.Id == after.Id);
    }
}
