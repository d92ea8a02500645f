using Vedette.Domain;

namespace Vedette.Storage.Tests;

public abstract partial class StoreContract
{
    [Fact]
    public async Task An_incident_with_every_field_round_trips_exactly()
    {
        var first = Some.Alert(Time);
        var second = Some.AlertWithEverything(Time);
        var incident = Some.Incident(Time, score: 77, severity: Severity.Critical, alerts: [first, second]);
        incident.Grouping.Add(new GroupingReason(second.Id, null, "same analyst case"));
        incident.Acknowledge(Actor.System, Time.GetUtcNow());
        incident.Version = 5;

        await Store.WriteAsync(Some.Batch(incident), Ct);
        var stored = await Store.GetIncidentAsync(incident.Id, Ct);

        AssertSame(incident, stored);
        Assert.Equal(incident.AlertIds, stored!.AlertIds);
        Assert.Equal(incident.Entities, stored.Entities);
        Assert.Equal(incident.Grouping, stored.Grouping);
        Assert.Equal(incident.RuleIds, stored.RuleIds);
        Assert.Equal(incident.Transitions, stored.Transitions);
        Assert.Equal((CaseStatus.Acknowledged, 5, 77), (stored.Status, stored.Version, stored.Score));
    }

    [Fact]
    public async Task Incidents_are_queued_by_score_then_due_time_then_id_across_pages()
    {
        var scores = new[] { 10, 90, 50, 50, 50, 90, 0, 50, 50, 100, 50, 10 };
        var incidents = new List<Incident>();
        for (var i = 0; i < scores.Length; i++)
        {
            // Three pairs share score and due time: only the id orders them.
            var incident = Some.Incident(Time, scores[i]);
            incident.DueAt = Some.Start.AddHours(4 - i / 2);
            incidents.Add(incident);
        }
        await Store.WriteAsync(Some.Batch([.. incidents[..5]]), Ct);
        await Store.WriteAsync(Some.Batch([.. incidents[5..]]), Ct);

        var listed = await ListAllIncidentsAsync(new IncidentQuery { Limit = 5 });

        var expected = incidents
            .OrderByDescending(i => i.Score)
            .ThenBy(i => i.DueAt)
            .ThenBy(i => i.Id.ToString(), StringComparer.Ordinal)
            .Select(i => i.Id);
        Assert.Equal(expected, listed.Select(i => i.Id));
    }

    [Fact]
    public async Task Incidents_are_filtered_by_status_and_minimum_severity()
    {
        var open = Some.Incident(Time, severity: Severity.Critical);
        var low = Some.Incident(Time, severity: Severity.Low);
        var closed = Some.Incident(Time, severity: Severity.High);
        closed.Close(Verdict.BenignPositive, Some.Ana, Time.GetUtcNow());
        await Store.WriteAsync(Some.Batch(open, low, closed), Ct);

        var highOrAbove = await ListAllIncidentsAsync(new IncidentQuery { MinSeverity = Severity.High });
        var newOnes = await ListAllIncidentsAsync(new IncidentQuery { Status = CaseStatus.New });

        Assert.Equal([open.Id, closed.Id], highOrAbove.Select(i => i.Id).Order());
        Assert.Equal([open.Id, low.Id], newOnes.Select(i => i.Id).Order());
    }

    [Fact]
    public async Task Work_items_are_counted_by_status_and_severity_without_merged_incidents()
    {
        var critical = Some.Alert(Time, severity: Severity.Critical);
        var high = Some.Alert(Time);
        var low = Some.Alert(Time, severity: Severity.Low);
        var target = await StoreIncidentAsync(critical);
        var merged = await StoreIncidentAsync(high);
        var closed = await StoreIncidentAsync(low);
        closed.Close(Verdict.FalsePositive, Some.Ana, Time.GetUtcNow());
        Assert.Equal(UpdateResult.Updated, await Store.UpdateIncidentAsync(closed, Ct));
        Assert.Equal(UpdateResult.Updated, await Store.RegroupAsync(await MergeAsync(target.Id, Some.Ana, null, merged.Id), Ct));

        var counts = await Store.CountWorkItemsAsync(Ct);

        Assert.Equal(
            [(CaseStatus.New, Severity.Low, 1L), (CaseStatus.New, Severity.High, 1L), (CaseStatus.New, Severity.Critical, 1L)],
            counts.Alerts.Select(c => (c.Status, c.Severity, c.Count)).Order());
        Assert.Equal(
            [(CaseStatus.New, Severity.Critical, 1L), (CaseStatus.Closed, Severity.Low, 1L)],
            counts.Incidents.Select(c => (c.Status, c.Severity, c.Count)).Order());
    }

    [Fact]
    public async Task A_new_snapshot_of_an_incident_replaces_what_the_pipeline_computes()
    {
        var first = Some.Alert(Time);
        var incident = Some.Incident(Time, score: 40, alerts: first);
        await Store.WriteAsync(Some.Batch(incident), Ct);

        var second = Some.Alert(Time, ruleId: "other_rule");
        Some.Join(incident, second);
        incident.Score = 80;
        incident.Severity = Severity.Critical;
        await Store.WriteAsync(Some.Batch(incident), Ct);

        AssertSame(incident, await Store.GetIncidentAsync(incident.Id, Ct));
        Assert.Equal(1, (await Store.CountAsync(Ct)).Incidents);
        Assert.Equal(incident.Id, Assert.Single((await Store.ListIncidentsAsync(new IncidentQuery { MinSeverity = Severity.Critical }, Ct)).Items).Id);
    }

    [Fact]
    public async Task Acknowledging_then_closing_an_incident_is_kept_with_its_times_and_verdict()
    {
        var incident = Some.Incident(Time);
        await Store.WriteAsync(Some.Batch(incident), Ct);
        var acknowledgedAt = Time.GetUtcNow();
        var closedAt = acknowledgedAt.AddHours(3);

        var read = (await Store.GetIncidentAsync(incident.Id, Ct))!;
        read.Acknowledge(Some.Ana, acknowledgedAt);
        read.Investigate(Some.Ana, acknowledgedAt.AddMinutes(1));
        read.Assign("ana");
        Assert.Equal(UpdateResult.Updated, await Store.UpdateIncidentAsync(read, Ct));
        read.Close(Verdict.TruePositive, Some.Ana, closedAt, "eradicated");
        Assert.Equal(UpdateResult.Updated, await Store.UpdateIncidentAsync(read, Ct));
        await ReopenAsync();

        var stored = (await Store.GetIncidentAsync(incident.Id, Ct))!;
        Assert.Equal((CaseStatus.Closed, Verdict.TruePositive, "ana", 2), (stored.Status, stored.Verdict, stored.Assignee, stored.Version));
        Assert.Equal(acknowledgedAt, stored.AcknowledgedAt);
        Assert.Equal(closedAt, stored.ClosedAt);
        Assert.Equal(read.Transitions, stored.Transitions);
        Assert.Equal([incident.Id], (await ListAllIncidentsAsync(new IncidentQuery { Status = CaseStatus.Closed })).Select(i => i.Id));
    }

    [Fact]
    public async Task Saving_an_incident_someone_else_changed_is_a_conflict_and_an_unknown_one_is_not_found()
    {
        var incident = Some.Incident(Time);
        await Store.WriteAsync(Some.Batch(incident), Ct);
        var mine = (await Store.GetIncidentAsync(incident.Id, Ct))!;
        var theirs = (await Store.GetIncidentAsync(incident.Id, Ct))!;
        theirs.Assign("bob");
        Assert.Equal(UpdateResult.Updated, await Store.UpdateIncidentAsync(theirs, Ct));
        mine.Assign("ana");
        var unknown = Some.Incident(Time);

        Assert.Equal(UpdateResult.Conflict, await Store.UpdateIncidentAsync(mine, Ct));
        Assert.Equal(UpdateResult.NotFound, await Store.UpdateIncidentAsync(unknown, Ct));

        Assert.Equal((0, 0), (mine.Version, unknown.Version));
        Assert.Equal("bob", (await Store.GetIncidentAsync(incident.Id, Ct))!.Assignee);
        Assert.Null(await Store.GetIncidentAsync(unknown.Id, Ct));
    }

    [Fact]
    public async Task Pipeline_snapshots_and_analyst_saves_do_not_undo_each_other()
    {
        var first = Some.Alert(Time);
        var pipelineCopy = Some.Incident(Time, score: 30, alerts: first);
        await Store.WriteAsync(Some.Batch(pipelineCopy.Clone()), Ct);
        var analystCopy = (await Store.GetIncidentAsync(pipelineCopy.Id, Ct))!;
        analystCopy.Acknowledge(Some.Ana, Time.GetUtcNow());
        Assert.Equal(UpdateResult.Updated, await Store.UpdateIncidentAsync(analystCopy, Ct));

        // Triage still holds the copy from before the acknowledgement and adds an alert to it.
        var second = Some.Alert(Time);
        Some.Join(pipelineCopy, second);
        pipelineCopy.Score = 60;
        await Store.WriteAsync(Some.Batch(pipelineCopy.Clone()), Ct);
        var afterSnapshot = (await Store.GetIncidentAsync(pipelineCopy.Id, Ct))!;
        Assert.Equal((CaseStatus.Acknowledged, 1, 60), (afterSnapshot.Status, afterSnapshot.Version, afterSnapshot.Score));
        Assert.Equal(analystCopy.Transitions, afterSnapshot.Transitions);
        Assert.Empty((await Store.ListIncidentsAsync(new IncidentQuery { Status = CaseStatus.New }, Ct)).Items);
        // The analyst, unaware of the new alert, assigns the incident.
        analystCopy.Assign("ana");
        Assert.Equal(UpdateResult.Updated, await Store.UpdateIncidentAsync(analystCopy, Ct));

        var stored = (await Store.GetIncidentAsync(pipelineCopy.Id, Ct))!;
        Assert.Equal([first.Id, second.Id], stored.AlertIds);
        Assert.Equal(60, stored.Score);
        Assert.Equal((CaseStatus.Acknowledged, "ana", 2), (stored.Status, stored.Assignee, stored.Version));
        Assert.Single(stored.Transitions);
    }
}
