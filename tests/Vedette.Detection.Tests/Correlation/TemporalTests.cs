using Vedette.Detection.Correlation;

namespace Vedette.Tests.Correlation;

public sealed class TemporalTests
{
    private static string Temporal(string type, string rules = "[failed, success]", string condition = "") => $$"""
        title: Failure and success
        id: 20000000-0000-4000-8000-000000000010
        correlation:
          type: {{type}}
          rules: {{rules}}
          group-by: [TargetUserName]
          timespan: 1m
          {{condition}}
        """;

    [Fact]
    public void Every_rule_within_the_timespan_in_any_order_raises_a_temporal_alert()
    {
        var run = new CorrelationRun(Temporal("temporal")).Success(0).Failed(30);

        var alert = Assert.Single(run.Alerts);
        Assert.Equal(2, alert.EventCount);
        Assert.Equal("2 of 2 rules (failed, success) for TargetUserName=bob within 00:01:00 (condition >= 2).", alert.Description);
    }

    [Fact]
    public void A_rule_matched_more_than_the_timespan_later_does_not_complete_the_set()
    {
        var run = new CorrelationRun(Temporal("temporal")).Success(0).Failed(60.001).Flush();

        Assert.Empty(run.Alerts);
    }

    [Fact]
    public void Rules_matched_exactly_one_timespan_apart_complete_the_set()
    {
        var run = new CorrelationRun(Temporal("temporal")).Success(0).Failed(60);

        Assert.Single(run.Alerts);
    }

    [Fact]
    public void Another_user_does_not_complete_the_set()
    {
        var run = new CorrelationRun(Temporal("temporal")).Success(0, "bob").Failed(10, "alice").Flush();

        Assert.Empty(run.Alerts);
    }

    [Fact]
    public void A_temporal_condition_may_ask_for_fewer_rules_than_it_names()
    {
        var run = new CorrelationRun(Temporal("temporal", "[failed, success, privileged]", "condition: {gte: 2}")).Failed(0).Success(5);

        Assert.Equal("2 of 3 rules (failed, success, privileged) for TargetUserName=bob within 00:01:00 (condition >= 2).", Assert.Single(run.Alerts).Description);
    }

    [Fact]
    public void Many_events_of_one_rule_are_not_several_rules()
    {
        var run = new CorrelationRun(Temporal("temporal")).Failed(0).Failed(1).Failed(2).Flush();

        Assert.Empty(run.Alerts);
    }

    [Fact]
    public void A_failure_followed_by_a_success_raises_an_ordered_alert()
    {
        var run = new CorrelationRun(Temporal("temporal_ordered")).Failed(0).Success(30);

        var alert = Assert.Single(run.Alerts);
        Assert.Equal(Events.T0, alert.FirstSeen);
        Assert.Equal(Events.T0.AddSeconds(30), alert.LastSeen);
        Assert.Equal("2 of 2 rules in order (failed -> success) for TargetUserName=bob within 00:01:00 (condition >= 2).", alert.Description);
    }

    [Fact]
    public void A_success_followed_by_a_failure_is_not_in_order()
    {
        var run = new CorrelationRun(Temporal("temporal_ordered")).Success(0).Failed(30).Flush();

        Assert.Empty(run.Alerts);
    }

    [Fact]
    public void Order_is_judged_by_event_time_not_by_arrival()
    {
        // The failure (20 s) arrives after the success (30 s), within the lateness.
        var run = new CorrelationRun(Temporal("temporal_ordered")).Success(30).Failed(20);

        Assert.Single(run.Alerts);
    }

    [Fact]
    public void Events_that_arrive_in_order_but_happened_the_other_way_round_are_not_in_order()
    {
        var run = new CorrelationRun(Temporal("temporal_ordered")).Failed(30).Success(20).Flush();

        Assert.Empty(run.Alerts);
    }

    [Fact]
    public void Simultaneous_events_count_as_in_the_order_written()
    {
        var run = new CorrelationRun(Temporal("temporal_ordered")).Success(10).Failed(10);

        Assert.Single(run.Alerts);
    }

    [Fact]
    public void Ordered_steps_more_than_the_timespan_apart_miss_and_exactly_the_timespan_apart_match()
    {
        var miss = new CorrelationRun(Temporal("temporal_ordered")).Failed(0).Success(60.001).Flush();
        var edge = new CorrelationRun(Temporal("temporal_ordered")).Failed(0).Success(60);

        Assert.Empty(miss.Alerts);
        Assert.Single(edge.Alerts);
    }

    [Fact]
    public void The_latest_start_of_a_sequence_counts()
    {
        var run = new CorrelationRun(Temporal("temporal_ordered")).Failed(0).Failed(50).Success(100);

        var alert = Assert.Single(run.Alerts);
        Assert.Equal(Events.T0.AddSeconds(50), alert.FirstSeen);
    }

    [Fact]
    public void A_three_step_sequence_needs_every_step_in_order()
    {
        var rules = "[failed, privileged, success]";
        const string Aliased = """
              aliases:
                account: {failed: TargetUserName, privileged: SubjectUserName, success: TargetUserName}
            """;
        string Yaml(string type) => Temporal(type, rules).Replace("group-by: [TargetUserName]", "group-by: [account]", StringComparison.Ordinal) + "\n" + Aliased;

        var hit = new CorrelationRun(Yaml("temporal_ordered")).Failed(0).Privileged(10).Success(20);
        var miss = new CorrelationRun(Yaml("temporal_ordered")).Failed(0).Success(10).Privileged(20).Flush();
        var unordered = new CorrelationRun(Yaml("temporal")).Failed(0).Success(10).Privileged(20);

        Assert.Equal("bob", Assert.Single(hit.Alerts).GroupBy["account"]);
        Assert.Empty(miss.Alerts);
        Assert.Single(unordered.Alerts);
    }

    [Fact]
    public void A_late_event_beyond_the_lateness_cannot_complete_a_sequence()
    {
        var run = new CorrelationRun(Temporal("temporal_ordered"), new CorrelationOptions { Lateness = TimeSpan.FromSeconds(5) })
            .Success(30).Failed(20).Flush();

        Assert.Empty(run.Alerts);
        Assert.Equal(1, run.Counters.LateEventsDropped);
    }
}
