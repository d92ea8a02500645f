using Vedette.Domain;

namespace Vedette.Tests.Correlation;

public sealed class CountingTests
{
    private static string EventCount(string condition, string groupBy = "[TargetUserName]", string timespan = "1m") => $$"""
        title: Failures per user
        id: 20000000-0000-4000-8000-000000000001
        correlation:
          type: event_count
          rules: [failed]
          group-by: {{groupBy}}
          timespan: {{timespan}}
          condition: {{condition}}
        level: high
        tags: [attack.t1110]
        """;

    private static string ValueCount(string field, string condition = "gte: 3") => $$"""
        title: Accounts per source
        id: 20000000-0000-4000-8000-000000000002
        correlation:
          type: value_count
          rules: [failed]
          group-by: [IpAddress]
          timespan: 1m
          condition:
            field: {{field}}
            {{condition}}
        """;

    [Fact]
    public void Three_failures_within_a_minute_raise_one_alert_that_names_the_user_and_says_what_was_counted()
    {
        var run = new CorrelationRun(EventCount("{gte: 3}")).Failed(0).Failed(20).Failed(40);

        var alert = Assert.Single(run.Output.Alerts);
        Assert.Equal("Failures per user", alert.Title);
        Assert.Equal("20000000-0000-4000-8000-000000000001", alert.RuleId);
        Assert.Equal(AlertOrigin.Correlation, alert.Origin);
        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal(3, alert.EventCount);
        Assert.Equal(Events.T0, alert.FirstSeen);
        Assert.Equal(Events.T0.AddSeconds(40), alert.LastSeen);
        Assert.Equal("bob", alert.GroupBy["TargetUserName"]);
        Assert.Contains(new Observable(ObservableType.User, "bob"), alert.Observables);
        Assert.Contains(new Observable(ObservableType.Host, "dc01.corp.example"), alert.Observables);
        Assert.Equal(["attack.t1110"], alert.Tags);
        Assert.Equal(3, alert.Evidence.Count);
        Assert.Equal("3 events for TargetUserName=bob within 00:01:00 (condition >= 3).", alert.Description);
    }

    [Fact]
    public void Two_failures_are_not_enough()
    {
        var run = new CorrelationRun(EventCount("{gte: 3}")).Failed(0).Failed(20).Flush();

        Assert.Empty(run.Output.Alerts);
        Assert.Empty(run.Output.Updates);
    }

    [Fact]
    public void Failures_of_different_users_are_counted_apart()
    {
        var run = new CorrelationRun(EventCount("{gte: 3}")).Failed(0, "bob").Failed(10, "alice").Failed(20, "bob").Failed(30, "alice").Flush();

        Assert.Empty(run.Alerts);
    }

    [Fact]
    public void A_correlation_without_group_by_counts_every_event_in_one_group()
    {
        var run = new CorrelationRun(EventCount("{gte: 3}", groupBy: "[]")).Failed(0, "bob").Failed(10, "alice").Failed(20, "carol");

        var alert = Assert.Single(run.Alerts);
        Assert.Empty(alert.GroupBy);
        Assert.Equal("3 events within 00:01:00 (condition >= 3).", alert.Description);
    }

    [Fact]
    public void Events_exactly_one_timespan_apart_share_a_sliding_window()
    {
        var run = new CorrelationRun(EventCount("{gte: 2}")).Failed(0).Failed(60);

        Assert.Single(run.Alerts);
    }

    [Fact]
    public void Events_a_millisecond_more_than_the_timespan_apart_do_not()
    {
        var run = new CorrelationRun(EventCount("{gte: 2}")).Failed(0).Failed(60.001).Flush();

        Assert.Empty(run.Alerts);
    }

    [Fact]
    public void Events_without_the_group_by_field_are_not_counted_but_are_reported()
    {
        var run = new CorrelationRun(EventCount("{gte: 2}"));
        run.At(0, 4625, "\"IpAddress\":\"10.0.0.1\"").At(1, 4625, "\"IpAddress\":\"10.0.0.1\"").At(2, 4625, "\"TargetUserName\":\"\"").Flush();

        Assert.Empty(run.Alerts);
        Assert.Equal(3, run.Counters.EventsWithoutFields);
    }

    [Fact]
    public void A_fewer_than_condition_is_decided_only_once_the_window_has_closed_and_the_lateness_passed()
    {
        var run = new CorrelationRun(EventCount("{lt: 3}")).Failed(0).Failed(10);
        run.Tick(65).Tick(119);
        Assert.Empty(run.Alerts);

        run.Tick(120);
        var alert = Assert.Single(run.Alerts);
        Assert.Equal(2, alert.EventCount);
        Assert.Equal("2 events for TargetUserName=bob in the 00:01:00 window from 2026-11-02 09:00:00Z (condition < 3).", alert.Description);
    }

    [Fact]
    public void A_fewer_than_condition_is_decided_at_the_end_of_input_too()
    {
        var run = new CorrelationRun(EventCount("{lt: 3}")).Failed(0).Flush();

        Assert.Single(run.Alerts);
    }

    [Fact]
    public void Enough_events_do_not_meet_a_fewer_than_condition()
    {
        var run = new CorrelationRun(EventCount("{lt: 3}")).Failed(0).Failed(10).Failed(20).Flush();

        Assert.Empty(run.Alerts);
    }

    [Fact]
    public void Closing_windows_are_aligned_to_the_timespan_and_include_their_start_but_not_their_end()
    {
        var same = new CorrelationRun(EventCount("{eq: 2}")).Failed(0).Failed(59.999).Flush();
        var split = new CorrelationRun(EventCount("{eq: 2}")).Failed(59.999).Failed(60).Flush();

        Assert.Single(same.Alerts);
        Assert.Empty(split.Alerts);
    }

    [Theory]
    [InlineData("{gt: 2, lte: 4}", 2, false)]
    [InlineData("{gt: 2, lte: 4}", 3, true)]
    [InlineData("{gt: 2, lte: 4}", 4, true)]
    [InlineData("{gt: 2, lte: 4}", 5, false)]
    [InlineData("{eq: 3}", 2, false)]
    [InlineData("{eq: 3}", 3, true)]
    [InlineData("{eq: 3}", 4, false)]
    [InlineData("{neq: 3}", 3, false)]
    [InlineData("{neq: 3}", 4, true)]
    [InlineData("{lte: 2}", 2, true)]
    [InlineData("{gt: 3}", 3, false)]
    [InlineData("{gt: 3}", 4, true)]
    public void Every_bound_of_a_condition_must_hold(string condition, int failures, bool hit)
    {
        var run = new CorrelationRun(EventCount(condition));
        for (var i = 0; i < failures; i++)
        {
            run.Failed(i);
        }
        run.Flush();

        Assert.Equal(hit ? 1 : 0, run.Alerts.Count);
    }

    [Fact]
    public void Three_accounts_failing_from_one_address_raise_a_value_count_alert()
    {
        var run = new CorrelationRun(ValueCount("TargetUserName")).Failed(0, "a", "10.0.0.9").Failed(5, "b", "10.0.0.9").Failed(10, "c", "10.0.0.9");

        var alert = Assert.Single(run.Alerts);
        Assert.Equal(3, alert.EventCount);
        Assert.Contains(new Observable(ObservableType.Ipv4, "10.0.0.9"), alert.Observables);
        Assert.Equal("3 distinct TargetUserName values for IpAddress=10.0.0.9 within 00:01:00 (condition >= 3).", alert.Description);
    }

    [Fact]
    public void Repeats_of_one_value_count_once_but_every_event_counts_in_the_alert()
    {
        var run = new CorrelationRun(ValueCount("TargetUserName"));
        for (var i = 0; i < 10; i++)
        {
            run.Failed(i, "bob", "10.0.0.9");
        }
        Assert.Empty(run.Alerts);

        run.Failed(20, "alice", "10.0.0.9").Failed(21, "carol", "10.0.0.9");
        Assert.Equal(12, Assert.Single(run.Alerts).EventCount);
    }

    [Fact]
    public void A_value_count_over_several_fields_counts_their_combinations()
    {
        const string Combinations = """
            title: Account and address pairs
            id: 20000000-0000-4000-8000-000000000003
            correlation:
              type: value_count
              rules: [failed]
              timespan: 1m
              condition: {field: [TargetUserName, IpAddress], gte: 3}
            """;
        var hit = new CorrelationRun(Combinations).Failed(0, "bob", "10.0.0.1").Failed(1, "bob", "10.0.0.2").Failed(2, "alice", "10.0.0.1");
        var miss = new CorrelationRun(Combinations).Failed(0, "bob", "10.0.0.1").Failed(1, "bob", "10.0.0.1").Failed(2, "alice", "10.0.0.1").Flush();

        Assert.Equal("3 distinct TargetUserName+IpAddress values within 00:01:00 (condition >= 3).", Assert.Single(hit.Alerts).Description);
        Assert.Empty(miss.Alerts);
    }

    [Fact]
    public void A_value_count_miss_when_the_values_spread_wider_than_the_timespan()
    {
        var run = new CorrelationRun(ValueCount("TargetUserName")).Failed(0, "a").Failed(30, "b").Failed(61, "c").Flush();

        Assert.Empty(run.Alerts);
    }
}
