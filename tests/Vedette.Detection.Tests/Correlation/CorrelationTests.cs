using Microsoft.Extensions.Time.Testing;
using Vedette.Detect;
using Vedette.Detection;
using Vedette.Domain;

namespace Vedette.Tests.Correlation;

public sealed class CorrelationTests
{
    private static readonly RuleSet Shipped = RuleSet.Load([Repo.Rules], Repo.LoadMappings());

    private static Event Failure(DateTimeOffset at, string user, string ip) =>
        Events.Security(4625, at, $$"""
            "TargetUserName":"{{user}}","IpAddress":"{{ip}}","LogonType":"3","Status":"0xc000006d","SubStatus":"0xc000006a"
            """);

    private static (DetectionOutput Output, SigmaDetector Detector) Run(IEnumerable<Event> events)
    {
        var detector = new SigmaDetector(Shipped, new FakeTimeProvider(Events.T0));
        var output = new DetectionOutput();
        foreach (var e in events)
        {
            detector.Detect(e, output);
        }
        return (output, detector);
    }

    [Fact]
    public void Fifteen_failures_against_one_account_in_five_minutes_raise_one_burst_alert()
    {
        var events = Enumerable.Range(0, 15).Select(i => Failure(Events.T0.AddSeconds(10 * i), "administrator", $"203.0.113.{i % 3 + 1}"));
        var (output, _) = Run(events);
        var alert = Assert.Single(output.Alerts);
        Assert.Equal("Burst Of Logon Failures Against One Account", alert.Title);
        Assert.Equal(AlertOrigin.Correlation, alert.Origin);
        Assert.Equal(15, alert.EventCount);
        Assert.Equal(Events.T0, alert.FirstSeen);
        Assert.Equal(Events.T0.AddSeconds(140), alert.LastSeen);
        Assert.Contains(new Observable(ObservableType.User, "administrator"), alert.Observables);
        Assert.Contains("15 events for TargetUserName=administrator", alert.Description, StringComparison.Ordinal);
        Assert.Equal(15, alert.Evidence.Count);
    }

    [Fact]
    public void Fourteen_failures_are_not_enough()
    {
        var (output, detector) = Run(Enumerable.Range(0, 14).Select(i => Failure(Events.T0.AddSeconds(10 * i), "administrator", "203.0.113.1")));
        detector.Flush(output);
        Assert.Empty(output.Alerts);
        Assert.Empty(output.Updates);
    }

    [Fact]
    public void Failures_spread_wider_than_the_timespan_do_not_add_up()
    {
        // One failure every 30 s: a 5-minute window never holds more than 11.
        var (output, _) = Run(Enumerable.Range(0, 40).Select(i => Failure(Events.T0.AddSeconds(30 * i), "jdoe", "10.1.0.9")));
        Assert.DoesNotContain(output.Alerts, a => a.Title.StartsWith("Burst", StringComparison.Ordinal));
    }

    [Fact]
    public void One_source_failing_against_five_accounts_is_spraying_and_repeats_fold_into_the_alert()
    {
        var events = Enumerable.Range(0, 40).Select(i => Failure(Events.T0.AddSeconds(5 * i), $"user{i % 20}", "10.1.7.7")).ToList();
        var (output, detector) = Run(events);
        var alert = Assert.Single(output.Alerts);
        Assert.Equal("Password Spraying From One Source", alert.Title);
        Assert.Equal(5, alert.EventCount);
        Assert.Contains(new Observable(ObservableType.Ipv4, "10.1.7.7"), alert.Observables);
        Assert.Contains("5 distinct TargetUserName values for IpAddress=10.1.7.7", alert.Description, StringComparison.Ordinal);

        detector.Flush(output);
        var update = Assert.Single(output.Updates);
        Assert.Equal(alert.Id, update.AlertId);
        Assert.Equal(40, update.EventCount);
        Assert.Equal(events[^1].Timestamp, update.LastSeen);
    }

    [Fact]
    public void Local_failures_without_a_source_address_are_local_spraying_not_network_spraying()
    {
        var (output, _) = Run(Enumerable.Range(0, 30).Select(i => Failure(Events.T0.AddSeconds(i), $"u{i}", "-")));
        Assert.Equal("Local Password Spraying On One Host", Assert.Single(output.Alerts).Title);
    }

    [Fact]
    public void SSH_failures_from_one_address_raise_a_brute_force_alert_naming_address_and_host()
    {
        var events = Enumerable.Range(0, 12).Select(i => Events.Json($$"""
            {"@timestamp":"{{Events.T0.AddSeconds(i * 3):O}}","host":"web01","program":"sshd","pid":{{100 + i}},"message":"Failed password for root from 203.0.113.50 port {{40000 + i}} ssh2"}
            """));
        var (output, _) = Run(events);
        var alert = Assert.Single(output.Alerts);
        Assert.Equal("SSH Brute Force From One Source", alert.Title);
        Assert.Equal(Severity.High, alert.Severity);
        Assert.Contains(new Observable(ObservableType.Ipv4, "203.0.113.50"), alert.Observables);
        Assert.Contains(new Observable(ObservableType.Host, "web01"), alert.Observables);
        Assert.Equal(10, alert.EventCount);
    }

    [Fact]
    public void A_correlation_with_generate_true_keeps_the_base_rule_alerts()
    {
        var yaml = """
            title: Base
            id: 00000000-0000-4000-8000-0000000000b1
            name: base_rule
            logsource: {product: windows, service: security}
            detection:
              sel: {EventID: 4625}
              condition: sel
            level: low
            ---
            title: Corr
            id: 00000000-0000-4000-8000-0000000000b2
            correlation:
              type: event_count
              rules: [base_rule]
              group-by: [TargetUserName]
              timespan: 1m
              condition: {gte: 2}
              generate: true
            level: high
            """;
        var rules = RuleSet.FromYaml(yaml, Repo.LoadMappings());
        Assert.Empty(rules.Errors);
        var detector = new SigmaDetector(rules, new FakeTimeProvider(Events.T0));
        var output = new DetectionOutput();
        detector.Detect(Failure(Events.T0, "bob", "10.0.0.1"), output);
        detector.Detect(Failure(Events.T0.AddSeconds(1), "bob", "10.0.0.1"), output);
        Assert.Equal(["Base", "Base", "Corr"], output.Alerts.Select(a => a.Title).Order());
    }
}
