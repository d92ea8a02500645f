using Vedette.Domain;

namespace Vedette.Storage.Tests;

public abstract partial class StoreContract
{
    [Fact]
    public async Task An_alert_with_every_field_round_trips_exactly()
    {
        var alert = Some.AlertWithEverything(Time);

        await Store.WriteAsync(Some.Batch(alert), Ct);
        var stored = await Store.GetAlertAsync(alert.Id, Ct);

        AssertSame(alert, stored);
        Assert.Equal(alert.FirstSeen.Offset, stored!.FirstSeen.Offset);
        Assert.Equal(alert.FirstSeen.Ticks, stored.FirstSeen.Ticks);
        Assert.Equal(alert.Observables, stored.Observables);
        Assert.Equal(alert.IntelHits, stored.IntelHits);
        Assert.Equal(alert.Risk!.Parts, stored.Risk!.Parts);
        Assert.Equal(alert.Tags, stored.Tags);
        Assert.Equal(alert.Context, stored.Context);
        Assert.Equal(alert.Evidence, stored.Evidence);
        Assert.Equal(alert.Transitions, stored.Transitions);
        Assert.Equal((CaseStatus.Investigating, "ana", 3), (stored.Status, stored.Assignee, stored.Version));
        Assert.Equal(alert.AcknowledgedAt, stored.AcknowledgedAt);
    }

    [Fact]
    public async Task Getting_an_unknown_alert_gives_null()
    {
        await Store.WriteAsync(Some.Batch(Some.Alert(Time)), Ct);

        Assert.Null(await Store.GetAlertAsync(Ids.New(Time), Ct));
    }

    [Fact]
    public async Task Listed_alerts_leave_out_their_evidence_which_getting_one_includes()
    {
        var alert = Some.Alert(Time);
        await Store.WriteAsync(Some.Batch(alert), Ct);

        var listed = Assert.Single((await Store.ListAlertsAsync(new AlertQuery(), Ct)).Items);

        Assert.Empty(listed.Evidence);
        AssertSame(alert, listed, withEvidence: false);
        Assert.Single((await Store.GetAlertAsync(alert.Id, Ct))!.Evidence);
    }

    [Fact]
    public async Task Paging_through_alerts_visits_each_once_newest_first()
    {
        var alerts = Enumerable.Range(0, 25).Select(_ => Some.Alert(Time)).ToList();
        await Store.WriteAsync(Some.Batch([.. alerts[..10]]), Ct);
        await Store.WriteAsync(Some.Batch([.. alerts[10..]]), Ct);

        var first = await Store.ListAlertsAsync(new AlertQuery { Limit = 7 }, Ct);
        var all = await ListAllAlertsAsync(new AlertQuery { Limit = 7 });

        Assert.Equal(7, first.Items.Count);
        Assert.NotNull(first.Next);
        Assert.Equal(alerts.Select(a => a.Id).Reverse(), all.Select(a => a.Id));
    }

    [Fact]
    public async Task The_last_page_has_no_cursor_even_when_it_is_full()
    {
        await Store.WriteAsync(Some.Batch([.. Enumerable.Range(0, 6).Select(_ => Some.Alert(Time))]), Ct);

        var first = await Store.ListAlertsAsync(new AlertQuery { Limit = 3 }, Ct);
        var second = await Store.ListAlertsAsync(new AlertQuery { Limit = 3, After = first.Next }, Ct);

        Assert.Equal(3, second.Items.Count);
        Assert.Null(second.Next);
    }

    [Fact]
    public async Task The_page_size_is_clamped_between_1_and_1000()
    {
        await Store.WriteAsync(Some.Batch([.. Enumerable.Range(0, 1001).Select(_ => Some.Alert(Time))]), Ct);

        var tiny = await Store.ListAlertsAsync(new AlertQuery { Limit = 0 }, Ct);
        var huge = await Store.ListAlertsAsync(new AlertQuery { Limit = 5000 }, Ct);

        Assert.Single(tiny.Items);
        Assert.NotNull(tiny.Next);
        Assert.Equal(1000, huge.Items.Count);
        Assert.NotNull(huge.Next);
    }

    [Fact]
    public async Task A_cursor_that_the_store_did_not_make_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ListAlertsAsync(new AlertQuery { After = "not-a-cursor" }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ListIncidentsAsync(new IncidentQuery { After = "bm90LWEtY3Vyc29y" }, Ct));
    }

    public static TheoryData<string> AlertFilters => ["status", "min severity", "rule", "incident", "from", "to", "time range", "rule and min severity"];

    /// <summary>Each filter over a varied set of alerts, paged in small pages: exactly the matching alerts, newest first.</summary>
    [Theory]
    [MemberData(nameof(AlertFilters))]
    public async Task Listing_alerts_with_a_filter_gives_exactly_the_matching_ones_newest_first(string filter)
    {
        var incident = Ids.New(Time);
        var rules = new[] { "rule-a", "rule-b", "rule-c" };
        var alerts = new List<Alert>();
        for (var i = 0; i < 30; i++)
        {
            var firstSeen = Some.Start.AddHours(i % 7);
            var alert = Some.Alert(Time, rules[i % 3], (Severity)(i % 5), i % 4 == 0 ? incident : null, firstSeen, firstSeen.AddMinutes(30 * (i % 3)));
            if (i % 3 != 0)
            {
                alert.Acknowledge(Some.Ana, alert.CreatedAt);
            }
            if (i % 6 == 2)
            {
                alert.Close(Verdict.FalsePositive, Some.Ana, alert.CreatedAt.AddMinutes(1));
            }
            alerts.Add(alert);
        }
        await Store.WriteAsync(Some.Batch([.. alerts]), Ct);
        var from = Some.Start.AddHours(2).AddMinutes(15);
        var to = Some.Start.AddHours(5);
        (AlertQuery Query, Func<Alert, bool> Matches) test = filter switch
        {
            "status" => (new AlertQuery { Status = CaseStatus.Acknowledged }, a => a.Status == CaseStatus.Acknowledged),
            "min severity" => (new AlertQuery { MinSeverity = Severity.High }, a => a.Severity >= Severity.High),
            "rule" => (new AlertQuery { RuleId = "rule-b" }, a => a.RuleId == "rule-b"),
            "incident" => (new AlertQuery { IncidentId = incident }, a => a.IncidentId == incident),
            "from" => (new AlertQuery { From = from }, a => a.LastSeen >= from),
            "to" => (new AlertQuery { To = to }, a => a.FirstSeen < to),
            "time range" => (new AlertQuery { From = from, To = to }, a => a.LastSeen >= from && a.FirstSeen < to),
            "rule and min severity" => (new AlertQuery { RuleId = "rule-a", MinSeverity = Severity.Medium }, a => a.RuleId == "rule-a" && a.Severity >= Severity.Medium),
            _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, null),
        };

        var listed = await ListAllAlertsAsync(test.Query with { Limit = 4 });

        var expected = alerts.Where(test.Matches).Select(a => a.Id).Reverse().ToList();
        Assert.InRange(expected.Count, 1, alerts.Count - 1);
        Assert.Equal(expected, listed.Select(a => a.Id));
    }

    [Fact]
    public async Task An_alert_update_raises_the_count_moves_last_seen_and_appends_evidence()
    {
        var alert = Some.Alert(Time);
        await Store.WriteAsync(Some.Batch(alert), Ct);
        var later = alert.LastSeen.AddMinutes(10);
        var update = new StoreBatch();
        update.AlertUpdates.Add(new AlertUpdate(alert.Id, 3, later, [Some.Evidence(later.AddMinutes(-1), 7), Some.Evidence(later, 8)]));

        await Store.WriteAsync(update, Ct);

        var stored = await Store.GetAlertAsync(alert.Id, Ct);
        Assert.Equal(3, stored!.EventCount);
        Assert.Equal(later, stored.LastSeen);
        Assert.Equal([1L, 7L, 8L], stored.Evidence.Select(e => e.Ref.Line));
        var listed = Assert.Single((await Store.ListAlertsAsync(new AlertQuery(), Ct)).Items);
        Assert.Equal((3, later), (listed.EventCount, listed.LastSeen));
        Assert.Equal(3, (await Store.CountAsync(Ct)).EvidenceEvents);
    }

    [Fact]
    public async Task An_update_arriving_late_does_not_move_last_seen_back()
    {
        var alert = Some.Alert(Time, lastSeen: Some.Start.AddHours(1));
        await Store.WriteAsync(Some.Batch(alert), Ct);
        var update = new StoreBatch();
        update.AlertUpdates.Add(new AlertUpdate(alert.Id, 2, Some.Start, []));

        await Store.WriteAsync(update, Ct);

        var stored = await Store.GetAlertAsync(alert.Id, Ct);
        Assert.Equal((2, Some.Start.AddHours(1)), (stored!.EventCount, stored.LastSeen));
        Assert.Single((await Store.ListAlertsAsync(new AlertQuery { From = Some.Start.AddMinutes(30) }, Ct)).Items);
    }

    [Fact]
    public async Task Acknowledging_then_closing_an_alert_is_kept_with_its_times_and_verdict()
    {
        var alert = Some.Alert(Time);
        await Store.WriteAsync(Some.Batch(alert), Ct);
        var acknowledgedAt = Time.GetUtcNow();
        var closedAt = acknowledgedAt.AddMinutes(42);

        var read = (await Store.GetAlertAsync(alert.Id, Ct))!;
        read.Acknowledge(Some.Ana, acknowledgedAt);
        read.Assign("ana");
        Assert.Equal(UpdateResult.Updated, await Store.UpdateAlertAsync(read, Ct));
        Assert.Equal(1, read.Version);
        read = (await Store.GetAlertAsync(alert.Id, Ct))!;
        read.Close(Verdict.TruePositive, Some.Bob, closedAt, "contained");
        Assert.Equal(UpdateResult.Updated, await Store.UpdateAlertAsync(read, Ct));
        await ReopenAsync();

        var stored = (await Store.GetAlertAsync(alert.Id, Ct))!;
        Assert.Equal((CaseStatus.Closed, Verdict.TruePositive, "ana", 2), (stored.Status, stored.Verdict, stored.Assignee, stored.Version));
        Assert.Equal(acknowledgedAt, stored.AcknowledgedAt);
        Assert.Equal(closedAt, stored.ClosedAt);
        Assert.Equal(
            [new Transition(CaseStatus.New, CaseStatus.Acknowledged, acknowledgedAt, Some.Ana), new Transition(CaseStatus.Acknowledged, CaseStatus.Closed, closedAt, Some.Bob, Verdict.TruePositive, "contained")],
            stored.Transitions);
        Assert.Equal([stored.Id], (await ListAllAlertsAsync(new AlertQuery { Status = CaseStatus.Closed })).Select(a => a.Id));
        Assert.Empty((await Store.ListAlertsAsync(new AlertQuery { Status = CaseStatus.New }, Ct)).Items);
    }

    [Fact]
    public async Task Saving_an_alert_someone_else_changed_since_it_was_read_is_a_conflict()
    {
        var alert = Some.Alert(Time);
        await Store.WriteAsync(Some.Batch(alert), Ct);
        var mine = (await Store.GetAlertAsync(alert.Id, Ct))!;
        var theirs = (await Store.GetAlertAsync(alert.Id, Ct))!;
        theirs.Acknowledge(Some.Bob, Time.GetUtcNow());
        Assert.Equal(UpdateResult.Updated, await Store.UpdateAlertAsync(theirs, Ct));

        mine.Close(Verdict.FalsePositive, Some.Ana, Time.GetUtcNow());
        var result = await Store.UpdateAlertAsync(mine, Ct);

        Assert.Equal(UpdateResult.Conflict, result);
        Assert.Equal(0, mine.Version);
        var stored = (await Store.GetAlertAsync(alert.Id, Ct))!;
        Assert.Equal((CaseStatus.Acknowledged, 1), (stored.Status, stored.Version));
    }

    [Fact]
    public async Task Saving_an_alert_that_was_never_stored_is_not_found()
    {
        var alert = Some.Alert(Time);
        alert.Acknowledge(Some.Ana, Time.GetUtcNow());

        var result = await Store.UpdateAlertAsync(alert, Ct);

        Assert.Equal(UpdateResult.NotFound, result);
        Assert.Equal(0, alert.Version);
        Assert.Null(await Store.GetAlertAsync(alert.Id, Ct));
    }

    [Fact]
    public async Task An_analyst_save_keeps_the_events_the_pipeline_added_meanwhile()
    {
        var alert = Some.Alert(Time);
        await Store.WriteAsync(Some.Batch(alert), Ct);
        var read = (await Store.GetAlertAsync(alert.Id, Ct))!;
        var later = alert.LastSeen.AddMinutes(5);
        var update = new StoreBatch();
        update.AlertUpdates.Add(new AlertUpdate(alert.Id, 4, later, [Some.Evidence(later, 2)]));
        await Store.WriteAsync(update, Ct);

        read.Acknowledge(Some.Ana, Time.GetUtcNow());
        Assert.Equal(UpdateResult.Updated, await Store.UpdateAlertAsync(read, Ct));

        var stored = (await Store.GetAlertAsync(alert.Id, Ct))!;
        Assert.Equal((CaseStatus.Acknowledged, 4, later, 2), (stored.Status, stored.EventCount, stored.LastSeen, stored.Evidence.Count));
    }
}
