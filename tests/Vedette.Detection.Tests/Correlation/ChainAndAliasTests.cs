using Vedette.Domain;

namespace Vedette.Tests.Correlation;

/// <summary>Correlations of correlations, field aliases, and which rules still raise alerts of their own.</summary>
public sealed class ChainAndAliasTests
{
    // The specification's own example, on Vedette's base rules.
    private static string FailuresThenSuccess(string generate = "") => $$"""
        title: Multiple failed logins followed by successful login
        id: 20000000-0000-4000-8000-000000000040
        correlation:
          type: temporal_ordered
          rules: [multiple_failed_login, success]
          group-by: [TargetUserName]
          timespan: 10m
          {{generate}}
        level: high
        ---
        title: Multiple failed logins
        id: 20000000-0000-4000-8000-000000000041
        name: multiple_failed_login
        correlation:
          type: event_count
          rules: [failed]
          group-by: [TargetUserName]
          timespan: 10m
          condition: {gte: 3}
        """;

    private const string AccountActivity = """
        title: Failure and connection by one account
        id: 20000000-0000-4000-8000-000000000042
        correlation:
          type: temporal
          rules: [failed, connection]
          group-by: [account]
          timespan: 1m
          aliases:
            account:
              failed: TargetUserName
              connection: User
        """;

    [Fact]
    public void A_correlation_of_a_correlation_raises_only_the_outer_alert()
    {
        var run = new CorrelationRun(FailuresThenSuccess()).Failed(0).Failed(10).Failed(20).Success(60);

        var alert = Assert.Single(run.Output.Alerts);
        Assert.Equal("Multiple failed logins followed by successful login", alert.Title);
        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal("bob", alert.GroupBy["TargetUserName"]);
        Assert.Equal(Events.T0.AddSeconds(20), alert.FirstSeen);
        Assert.Equal(Events.T0.AddSeconds(60), alert.LastSeen);
        Assert.StartsWith("2 of 2 rules in order (multiple_failed_login -> success) for TargetUserName=bob", alert.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_success_before_the_failures_add_up_does_not_follow_them()
    {
        var run = new CorrelationRun(FailuresThenSuccess()).Failed(0).Success(5).Failed(10).Failed(20).Flush();

        Assert.Empty(run.Output.Alerts);
    }

    [Fact]
    public void Generate_true_on_the_outer_correlation_keeps_the_alerts_of_what_it_refers_to()
    {
        var run = new CorrelationRun(FailuresThenSuccess("generate: true")).Failed(0).Failed(10).Failed(20).Success(60);

        Assert.Equal(
            ["Logon success", "Multiple failed logins", "Multiple failed logins followed by successful login"],
            run.Output.Alerts.Select(a => a.Title).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Hits_of_a_correlation_decided_at_window_close_still_count_downstream_however_far_time_has_moved()
    {
        const string QuietUsers = """
            title: Several quiet users
            id: 20000000-0000-4000-8000-000000000043
            correlation:
              type: event_count
              rules: [quiet_user]
              timespan: 5m
              condition: {gte: 2}
            ---
            title: A user who failed only once
            id: 20000000-0000-4000-8000-000000000044
            name: quiet_user
            correlation:
              type: event_count
              rules: [failed]
              group-by: [TargetUserName]
              timespan: 1m
              condition: {lt: 2}
            """;
        var run = new CorrelationRun(QuietUsers).Failed(0, "bob").Failed(10, "alice").Tick(3600);

        var alert = Assert.Single(run.Output.Alerts);
        Assert.Equal("Several quiet users", alert.Title);
        Assert.Equal(0, run.Counters.LateEventsDropped);
    }

    [Fact]
    public void An_alias_groups_events_whose_rules_keep_the_value_in_different_fields()
    {
        var run = new CorrelationRun(AccountActivity).Failed(0, "bob").Connection(10, 5, "bob");

        var alert = Assert.Single(run.Alerts);
        Assert.Equal("bob", alert.GroupBy["account"]);
        Assert.Contains(new Observable(ObservableType.User, "bob"), alert.Observables);
        Assert.StartsWith("2 of 2 rules (failed, connection) for account=bob", alert.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alias_keeps_different_values_apart()
    {
        var run = new CorrelationRun(AccountActivity).Failed(0, "bob").Connection(10, 5, "alice").Flush();

        Assert.Empty(run.Alerts);
    }

    private static string FiveFailures(string generate) => $$"""
        title: Failures
        id: 20000000-0000-4000-8000-000000000045
        correlation:
          type: event_count
          rules: [failed]
          group-by: [TargetUserName]
          timespan: 1m
          condition: {gte: 5}
        {{generate}}
        """;

    [Fact]
    public void Referred_rules_raise_no_alerts_of_their_own_by_default()
    {
        var run = new CorrelationRun(FiveFailures("")).Failed(0).Flush();

        Assert.Empty(run.Output.Alerts);
        Assert.False(run.Rules.Rules.Single(r => r.Meta.Name == "failed").GeneratesAlerts);
    }

    [Fact]
    public void Generate_may_stand_next_to_level_as_the_schema_places_it()
    {
        var run = new CorrelationRun(FiveFailures("generate: true")).Failed(0);

        Assert.Equal("Logon failure", Assert.Single(run.Output.Alerts).Title);
    }

    [Fact]
    public void The_loaded_rules_say_which_correlation_uses_which()
    {
        var rules = CorrelationRun.Load(FailuresThenSuccess());

        var inner = rules.Rules.Single(r => r.Meta.Name == "multiple_failed_login");
        Assert.True(inner.IsCorrelation);
        Assert.False(inner.GeneratesAlerts);
        Assert.Equal(["20000000-0000-4000-8000-000000000040"], inner.UsedBy);
    }
}
