using Vedette.Detection.Correlation;

namespace Vedette.Tests.Correlation;

/// <summary>Event time, disorder and bounded state: what a stream does to correlations.</summary>
public sealed class StreamingTests
{
    private static string FailuresPerUser(string condition) => $$"""
        title: Failures per user
        id: 20000000-0000-4000-8000-000000000030
        correlation:
          type: event_count
          rules: [failed]
          group-by: [TargetUserName]
          timespan: 1m
          condition: {{condition}}
        """;

    [Fact]
    public void A_late_event_within_the_lateness_counts_at_its_place_in_time()
    {
        var run = new CorrelationRun(FailuresPerUser("{gte: 3}")).Failed(100).Failed(110).Tick(150).Failed(95);

        var alert = Assert.Single(run.Alerts);
        Assert.Equal(Events.T0.AddSeconds(95), alert.FirstSeen);
        Assert.Equal(Events.T0.AddSeconds(110), alert.LastSeen);
        Assert.Equal(0, run.Counters.LateEventsDropped);
    }

    [Fact]
    public void A_late_event_beyond_the_lateness_is_dropped_and_counted()
    {
        var run = new CorrelationRun(FailuresPerUser("{gte: 2}")).Failed(100).Tick(200).Failed(139.9).Flush();

        Assert.Empty(run.Alerts);
        Assert.Equal(1, run.Counters.LateEventsDropped);
    }

    [Fact]
    public void The_lateness_is_configurable()
    {
        var run = new CorrelationRun(FailuresPerUser("{gte: 2}"), new CorrelationOptions { Lateness = TimeSpan.FromMinutes(5) }).Failed(100).Tick(200).Failed(139.9);

        Assert.Single(run.Alerts);
        Assert.Equal(0, run.Counters.LateEventsDropped);
    }

    [Fact]
    public void A_late_event_can_complete_a_window_that_ended_before_the_newest_event()
    {
        var run = new CorrelationRun(FailuresPerUser("{gte: 3}"), new CorrelationOptions { Lateness = TimeSpan.FromMinutes(2) })
            .Failed(0).Failed(30).Failed(100);
        Assert.Empty(run.Alerts);

        run.Failed(20);
        var alert = Assert.Single(run.Alerts);
        Assert.Equal(Events.T0, alert.FirstSeen);
        Assert.Equal(Events.T0.AddSeconds(30), alert.LastSeen);
    }

    [Fact]
    public void A_late_event_lands_in_the_closing_window_it_belongs_to()
    {
        var run = new CorrelationRun(FailuresPerUser("{eq: 2}")).Failed(50).Failed(70).Failed(55).Flush();

        // 50 and 55 in the first minute, 70 alone in the second.
        var alert = Assert.Single(run.Alerts);
        Assert.Equal(Events.T0.AddSeconds(55), alert.LastSeen);
    }

    [Fact]
    public void Sliding_groups_are_forgotten_once_event_time_has_passed_their_timespan_and_lateness()
    {
        var run = new CorrelationRun(FailuresPerUser("{gte: 10}"));
        foreach (var (user, i) in new[] { "a", "b", "c", "d", "e" }.Select((u, i) => (u, i)))
        {
            run.Failed(i, user);
        }
        Assert.Equal(5, run.Counters.OpenGroups);

        run.Tick(100);
        Assert.Equal(5, run.Counters.OpenGroups);

        run.Tick(200);
        Assert.Equal(0, run.Counters.OpenGroups);
    }

    [Fact]
    public void Closing_groups_and_the_episodes_of_their_hits_are_forgotten_as_event_time_passes()
    {
        var run = new CorrelationRun(FailuresPerUser("{lt: 3}")).Failed(0, "a").Failed(1, "b");
        Assert.Equal(2, run.Counters.OpenGroups);

        run.Tick(121);
        Assert.Equal(2, run.Alerts.Count);
        Assert.Equal(2, run.Counters.OpenGroups);

        run.Tick(400);
        Assert.Equal(0, run.Counters.OpenGroups);
        Assert.Empty(run.Output.Updates);
    }

    [Fact]
    public void The_group_cap_refuses_events_of_new_groups_and_counts_them()
    {
        var run = new CorrelationRun(FailuresPerUser("{gte: 2}"), new CorrelationOptions { MaxGroups = 2 })
            .Failed(0, "bob").Failed(1, "alice").Failed(2, "carol").Failed(3, "carol").Failed(4, "bob");

        Assert.Equal(2, run.Counters.GroupsDropped);
        Assert.Equal("bob", Assert.Single(run.Alerts).GroupBy["TargetUserName"]);
        Assert.Equal(2, run.Counters.OpenGroups);
    }

    [Fact]
    public void A_full_window_merges_its_oldest_entries_and_keeps_the_count()
    {
        var run = new CorrelationRun(FailuresPerUser("{gte: 10}"), new CorrelationOptions { MaxEventsPerGroup = 4 });
        for (var i = 0; i < 10; i++)
        {
            run.Failed(i);
        }

        Assert.Equal(10, Assert.Single(run.Alerts).EventCount);
        Assert.Equal(6, run.Counters.EventsCompacted);
    }

    [Fact]
    public void Simultaneous_events_share_one_entry()
    {
        var run = new CorrelationRun(FailuresPerUser("{gte: 10}"), new CorrelationOptions { MaxEventsPerGroup = 2 });
        for (var i = 0; i < 10; i++)
        {
            run.Failed(5);
        }

        Assert.Equal(10, Assert.Single(run.Alerts).EventCount);
        Assert.Equal(0, run.Counters.EventsCompacted);
    }

    [Fact]
    public void Repeats_after_a_hit_fold_into_its_alert_and_leave_as_one_update_when_event_time_moves_on()
    {
        var run = new CorrelationRun(FailuresPerUser("{gte: 2}")).Failed(0).Failed(1).Failed(2).Failed(3).Failed(4);
        var alert = Assert.Single(run.Alerts);
        Assert.Empty(run.Output.Updates);

        run.Tick(200);
        var update = Assert.Single(run.Output.Updates);
        Assert.Equal(alert.Id, update.AlertId);
        Assert.Equal(5, update.EventCount);
        Assert.Equal(Events.T0.AddSeconds(4), update.LastSeen);
        Assert.Equal(3, update.NewEvidence.Count);
    }

    [Fact]
    public void A_hit_in_the_next_closing_window_folds_into_the_alert_of_the_first()
    {
        var run = new CorrelationRun(FailuresPerUser("{lt: 3}")).Failed(0).Failed(70).Flush();

        var alert = Assert.Single(run.Alerts);
        var update = Assert.Single(run.Output.Updates);
        Assert.Equal(alert.Id, update.AlertId);
        Assert.Equal(2, update.EventCount);
    }

    [Fact]
    public void Options_that_would_hold_nothing_are_refused()
    {
        var rules = CorrelationRun.Load(FailuresPerUser("{gte: 2}"));

        Assert.Throws<ArgumentOutOfRangeException>(() => rules.Correlations.NewState(TimeProvider.System, new CorrelationOptions { MaxGroups = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => rules.Correlations.NewState(TimeProvider.System, new CorrelationOptions { Lateness = TimeSpan.FromSeconds(-1) }));
    }
}
