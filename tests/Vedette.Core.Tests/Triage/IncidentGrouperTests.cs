using Microsoft.Extensions.Time.Testing;
using Vedette.Domain;
using Vedette.Triage;

namespace Vedette.Tests.Triage;

public sealed class IncidentGrouperTests
{
    private readonly FakeTimeProvider _time = new(Some.Time);

    private IncidentGrouper Grouper(TimeSpan? window = null) =>
        new(new GroupingOptions { Window = window ?? TimeSpan.FromHours(2) }, _time);

    [Fact]
    public void Alerts_sharing_an_entity_within_the_window_join_one_incident_across_rules()
    {
        var grouper = Grouper();
        var first = grouper.Triage(Some.Alert("proxy-download", at: Some.Time, observables: [Some.User("jdoe"), Some.Ip("10.1.0.5")]));
        var second = grouper.Triage(Some.Alert("mshta", Severity.High, Some.Time.AddMinutes(4), [Some.User("jdoe"), Some.Host("wks001.corp.example")], "Mshta runs a file"));

        Assert.Same(first, second);
        Assert.Equal(2, second.AlertIds.Count);
        Assert.Equal(["proxy-download", "mshta"], second.RuleIds);
        Assert.Equal(Severity.High, second.Severity);
        Assert.Equal("Mshta runs a file", second.Title);
        Assert.Contains("shares user:jdoe", second.Grouping[1].Explanation, StringComparison.Ordinal);
        Assert.Equal(Some.User("jdoe"), second.Grouping[1].Via);
        Assert.Equal(3, second.Entities.Count);
    }

    [Fact]
    public void An_alert_after_the_window_opens_a_new_incident()
    {
        var grouper = Grouper(TimeSpan.FromHours(1));
        var first = grouper.Triage(Some.Alert(at: Some.Time, observables: [Some.Ip("203.0.113.7")]));
        var later = grouper.Triage(Some.Alert(at: Some.Time.AddHours(3), observables: [Some.Ip("203.0.113.7")]));
        Assert.NotSame(first, later);
    }

    [Fact]
    public void Process_paths_do_not_link_alerts()
    {
        var grouper = Grouper();
        var cmd = Observable.Parse(ObservableType.Process, "C:\\Windows\\System32\\cmd.exe");
        var a = grouper.Triage(Some.Alert(observables: [cmd, Some.Host("a.corp.example")]));
        var b = grouper.Triage(Some.Alert(observables: [cmd, Some.Host("b.corp.example")]));
        Assert.NotSame(a, b);
    }

    [Fact]
    public void Stop_listed_entities_do_not_link_alerts()
    {
        var dns = Some.Host("dns01.corp.example");
        var grouper = new IncidentGrouper(new GroupingOptions { StopList = new HashSet<Observable> { dns } }, _time);
        var a = grouper.Triage(Some.Alert(observables: [dns, Some.User("a")]));
        var b = grouper.Triage(Some.Alert(observables: [dns, Some.User("b")]));
        Assert.NotSame(a, b);
    }

    [Fact]
    public void A_closed_incident_takes_no_new_alerts()
    {
        var grouper = Grouper();
        var first = grouper.Triage(Some.Alert(observables: [Some.Ip("203.0.113.7")]));
        first.Close(Verdict.FalsePositive, Actor.Analyst("ana"), Some.Time.AddMinutes(1));
        var next = grouper.Triage(Some.Alert(at: Some.Time.AddMinutes(2), observables: [Some.Ip("203.0.113.7")]));
        Assert.NotSame(first, next);
    }

    [Fact]
    public void The_incident_sharing_most_entities_wins()
    {
        var grouper = Grouper();
        var byIp = grouper.Triage(Some.Alert(observables: [Some.Ip("10.1.0.5")]));
        var byUserAndHost = grouper.Triage(Some.Alert(observables: [Some.User("jdoe"), Some.Host("wks9.corp.example")]));
        Assert.NotSame(byIp, byUserAndHost);
        var joined = grouper.Triage(Some.Alert(at: Some.Time.AddMinutes(1), observables: [Some.Ip("10.1.0.5"), Some.User("jdoe"), Some.Host("wks9.corp.example")]));
        Assert.Same(byUserAndHost, joined);
        Assert.Contains("and 1 more entity", joined.Grouping[^1].Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_alert_gets_a_score_with_its_parts_and_the_incident_score_rewards_distinct_rules()
    {
        var grouper = Grouper();
        var high = Some.Alert("r1", Severity.High, observables: [Some.User("jdoe")]);
        var incident = grouper.Triage(high);
        Assert.Equal(55, high.Risk!.Total);
        Assert.Equal("rule level", Assert.Single(high.Risk.Parts).Factor);
        Assert.Equal(55, incident.Score);

        grouper.Triage(Some.Alert("r2", Severity.Low, Some.Time.AddMinutes(1), [Some.User("jdoe")]));
        Assert.Equal(60, incident.Score);
        Assert.Equal(Severity.High, incident.Severity);
    }

    [Fact]
    public void A_later_update_to_an_alert_extends_its_incident()
    {
        var grouper = Grouper();
        var alert = Some.Alert(observables: [Some.Ip("198.51.100.9")]);
        var incident = grouper.Triage(alert);
        var updated = grouper.Update(new AlertUpdate(alert.Id, 30, Some.Time.AddMinutes(40), []));
        Assert.Same(incident, updated);
        Assert.Equal(Some.Time.AddMinutes(40), incident.LastSeen);
        Assert.Null(grouper.Update(new AlertUpdate(Guid.NewGuid(), 2, Some.Time, [])));
    }

    [Fact]
    public void An_entity_in_too_many_alerts_stops_linking_and_is_reported_as_a_hub()
    {
        var grouper = new IncidentGrouper(new GroupingOptions { MaxAlertsPerEntity = 3 }, _time);
        var scanner = Some.Ip("10.0.9.50");
        var first = grouper.Triage(Some.Alert(observables: [scanner, Some.Ip("10.1.0.1")]));
        for (var i = 2; i <= 3; i++)
        {
            Assert.Same(first, grouper.Triage(Some.Alert(at: Some.Time.AddMinutes(i), observables: [scanner, Some.Ip($"10.1.0.{i}")])));
        }
        var fourth = grouper.Triage(Some.Alert(at: Some.Time.AddMinutes(4), observables: [scanner, Some.Ip("10.1.0.4")]));
        Assert.NotSame(first, fourth);
        Assert.Contains(scanner, grouper.Hubs);
    }
}
