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

    [Fact]
    public void State_follows_the_window_not_the_length_of_the_stream_and_is_dropped_once_the_window_has_passed()
    {
        // 200,000 alerts, one every 2 s (111 h of event time): hosts come and go, a user and a host recur, a low rule is
        // noise. Without expiry the maps would hold several entries per alert.
        var window = TimeSpan.FromHours(2);
        var grouper = Grouper(window);
        var perWindow = (int)(window / TimeSpan.FromSeconds(2));
        var peakEarly = 0;
        var peakLate = 0;
        var at = Some.Time;
        const int Alerts = 200_000;
        for (var i = 0; i < Alerts; i++)
        {
            at = Some.Time.AddSeconds(2 * i);
            var alert = i % 5 == 0
                ? Some.Alert("policy", Severity.Low, at, [Some.Host($"wks{i / 20}.corp.example")])
                : Some.Alert($"rule-{i % 7}", Severity.Medium, at, [Some.Host($"wks{i / 20}.corp.example"), Some.User($"user{i / 60}"), Some.Ip($"10.{i / 65536 % 256}.{i / 256 % 256}.{i % 256}")]);
            grouper.Triage(alert);
            if (i < Alerts / 4)
            {
                peakEarly = Math.Max(peakEarly, grouper.StateSize);
            }
            else if (i >= Alerts * 3 / 4)
            {
                peakLate = Math.Max(peakLate, grouper.StateSize);
            }
        }

        // Entries live at most three windows (alerts two windows after their incident went quiet, pruned once a window).
        Assert.InRange(peakLate, 1, 3 * 6 * perWindow);
        Assert.InRange(peakLate, peakEarly / 2, peakEarly * 3 / 2);
        Assert.True(peakLate < Alerts / 5, $"state peaked at {peakLate} entries for {Alerts} alerts");

        grouper.Triage(Some.Alert("rule-x", Severity.High, at + window * 3, [Some.Host("late.corp.example")]));
        Assert.InRange(grouper.StateSize, 1, 10);
    }

    [Fact]
    public void An_incident_an_analyst_changed_outside_the_pipeline_takes_no_more_alerts()
    {
        var feedback = new IncidentFeedback();
        var grouper = new IncidentGrouper(new GroupingOptions(), _time, feedback: feedback);
        var host = Some.Host("wks001.corp.example");
        var first = Some.Alert("rule-a", at: Some.Time, observables: [host]);
        var incident = grouper.Triage(first);
        Assert.Same(incident, grouper.Triage(Some.Alert("rule-b", at: Some.Time.AddMinutes(1), observables: [host])));

        feedback.Retire(incident.Id);

        var later = grouper.Triage(Some.Alert("rule-c", at: Some.Time.AddMinutes(2), observables: [host]));
        Assert.NotSame(incident, later);
        Assert.Equal(2, incident.AlertIds.Count);
        Assert.Null(grouper.Update(new AlertUpdate(first.Id, 5, Some.Time.AddMinutes(3), [])));
        Assert.Equal(Some.Time.AddMinutes(1), incident.LastSeen);
    }

    [Fact]
    public void A_noise_bucket_that_never_goes_quiet_rolls_over_daily_and_state_stays_bounded()
    {
        // A policy rule fires every minute, day and night, on rotating laptops, for ten days: its bucket never goes quiet.
        var grouper = Grouper();
        var buckets = new List<Incident>(); // in the order they took alerts
        var sizes = new List<int>();
        for (var minute = 0; minute < 10 * 24 * 60; minute++)
        {
            var incident = grouper.Triage(Some.Alert("policy", Severity.Low, Some.Time.AddMinutes(minute), [Some.Host($"wks{minute % 50}.corp.example")], "Policy"));
            if (buckets.Count == 0 || buckets[^1] != incident)
            {
                buckets.Add(incident);
            }
            if (minute % (24 * 60) == 24 * 60 - 1)
            {
                sizes.Add(grouper.StateSize);
            }
        }

        // The three laptops seen before the rule counted as noise keep their own incidents (their host links them), the
        // rest is the bucket; each of them starts afresh after a day of event time.
        var incidents = buckets.Distinct().ToList();
        Assert.All(incidents, i => Assert.True(i.LastSeen - i.FirstSeen <= TimeSpan.FromHours(24), $"{i.Title}: {i.FirstSeen}–{i.LastSeen}"));
        Assert.InRange(incidents.Count, 10, 10 * 4);
        Assert.Equal(10 * 24 * 60, incidents.Sum(i => i.AlertIds.Count));
        var largest = incidents.MaxBy(i => i.AlertIds.Count)!;
        Assert.EndsWith("(low-severity, on many hosts)", largest.Title, StringComparison.Ordinal);
        Assert.InRange(largest.AlertIds.Count, 24 * 60 / 2, 24 * 60 + 1);
        // The state after day 2 is what a day and the window hold, not what ten days do.
        Assert.All(sizes.Skip(2), size => Assert.InRange(size, sizes[1] / 2, sizes[1] * 3 / 2));
    }

    [Fact]
    public void A_low_severity_rule_firing_on_three_separate_entities_within_the_window_becomes_one_noise_bucket_per_rule()
    {
        var grouper = Grouper();
        var a = grouper.Triage(Some.Alert("usb", Severity.Low, Some.Time, [Some.Host("a.corp.example")], "USB storage mounted"));
        var b = grouper.Triage(Some.Alert("usb", Severity.Informational, Some.Time.AddMinutes(5), [Some.Host("b.corp.example")], "USB storage mounted"));
        Assert.NotSame(a, b);

        var third = Some.Alert("usb", Severity.Low, Some.Time.AddMinutes(10), [Some.Host("c.corp.example")], "USB storage mounted");
        var bucket = grouper.Triage(third);
        var fourth = grouper.Triage(Some.Alert("usb", Severity.Low, Some.Time.AddMinutes(15), [Some.Host("d.corp.example")], "USB storage mounted"));

        Assert.NotSame(a, bucket);
        Assert.NotSame(b, bucket);
        Assert.Same(bucket, fourth);
        Assert.Equal(2, bucket.AlertIds.Count);
        Assert.Equal("USB storage mounted (low-severity, on many hosts)", bucket.Title);
        Assert.Equal("low-severity rule usb fired on 3 entities within 2h: background noise, grouped by rule", bucket.Grouping[0].Explanation);
        Assert.Equal("low-severity rule usb fired on 4 entities within 2h: background noise, grouped by rule", bucket.Grouping[1].Explanation);
        Assert.All(bucket.Grouping, reason => Assert.Null(reason.Via));
        Assert.Equal(third.Id, bucket.Grouping[0].AlertId);

        // A bucket links nothing through its hosts: another rule on one of them starts its own incident.
        Assert.NotSame(bucket, grouper.Triage(Some.Alert("mshta", Severity.High, Some.Time.AddMinutes(20), [Some.Host("c.corp.example")])));
    }

    [Fact]
    public void Medium_alerts_intel_hits_and_spread_outside_the_window_are_not_noise()
    {
        var grouper = Grouper(TimeSpan.FromHours(1));
        grouper.Triage(Some.Alert("usb", Severity.Low, Some.Time, [Some.Host("a.corp.example")]));
        grouper.Triage(Some.Alert("usb", Severity.Low, Some.Time.AddMinutes(5), [Some.Host("b.corp.example")]));
        var medium = grouper.Triage(Some.Alert("usb", Severity.Medium, Some.Time.AddMinutes(6), [Some.Host("c.corp.example")]));
        var listed = Some.Alert("usb", Severity.Low, Some.Time.AddMinutes(7), [Some.Host("d.corp.example")]);
        listed.IntelHits.Add(new IntelHit(Some.Ip("203.0.113.9"), "203.0.113.9", "feodo", 80, "exact"));
        var withIntel = grouper.Triage(listed);
        // Two hours later a and b are outside the window: e is the rule's only live entity but one.
        var late = grouper.Triage(Some.Alert("usb", Severity.Low, Some.Time.AddHours(2), [Some.Host("e.corp.example")]));

        Assert.Equal("opened the incident", medium.Grouping[0].Explanation);
        Assert.Equal("opened the incident", withIntel.Grouping[0].Explanation);
        Assert.Equal("opened the incident", late.Grouping[0].Explanation);
        Assert.Single(late.AlertIds);
    }

    [Fact]
    public void The_noise_count_follows_the_window_as_it_moves_and_when_alerts_arrive_out_of_order()
    {
        var grouper = Grouper(TimeSpan.FromHours(1));
        Alert Usb(string host, int minutes) => Some.Alert("usb", Severity.Low, Some.Time.AddMinutes(minutes), [Some.Host($"{host}.corp.example")]);
        grouper.Triage(Usb("a", 0));
        grouper.Triage(Usb("b", 10));
        var first = grouper.Triage(Usb("c", 20));
        Assert.Same(first, grouper.Triage(Usb("d", 5)));
        // a, b and d are more than an hour before e; c, e, f and g are within an hour of each other, a of none.
        var alone = grouper.Triage(Usb("e", 75));
        var second = grouper.Triage(Usb("f", 76));
        Assert.Same(second, grouper.Triage(Usb("g", 85)));

        Assert.Equal(
            ["low-severity rule usb fired on 3 entities within 1h: background noise, grouped by rule", "low-severity rule usb fired on 4 entities within 1h: background noise, grouped by rule"],
            first.Grouping.Select(g => g.Explanation));
        Assert.Equal("opened the incident", Assert.Single(alone.Grouping).Explanation);
        Assert.NotSame(first, second);
        Assert.Equal(
            ["low-severity rule usb fired on 3 entities within 1h: background noise, grouped by rule", "low-severity rule usb fired on 3 entities within 1h: background noise, grouped by rule"],
            second.Grouping.Select(g => g.Explanation));
    }

    [Fact]
    public void Three_tactics_on_one_entity_raise_the_severity_one_level_and_the_incident_says_why()
    {
        var grouper = Grouper();
        var host = Some.Host("wks7.corp.example");
        var access = Tagged(Some.Alert("office-shell", Severity.Medium, Some.Time, [host], "Office spawns a shell"), "attack.initial-access", "attack.t1566.001");
        var run = Tagged(Some.Alert("ps-cradle", Severity.Medium, Some.Time.AddMinutes(3), [host], "PowerShell download cradle"), "attack.execution");
        var beacon = Tagged(Some.Alert("beacon", Severity.Medium, Some.Time.AddMinutes(9), [host], "Periodic beacon"), "attack.command_and_control");

        var incident = grouper.Triage(access);
        Assert.Equal(Severity.Medium, incident.Severity);
        Assert.DoesNotContain(incident.Risk!.Parts, p => p.Factor == "tactic progression");

        grouper.Triage(run);
        var two = Assert.Single(incident.Risk!.Parts, p => p.Factor == "tactic progression");
        Assert.Equal(5, two.Points);
        Assert.Equal("host:wks7.corp.example: initial-access → execution", two.Reason);
        Assert.Equal(Severity.Medium, incident.Severity);

        grouper.Triage(beacon);
        Assert.Equal(["strongest alert", "more rules", "tactic progression"], incident.Risk!.Parts.Select(p => p.Factor));
        var three = incident.Risk.Parts[2];
        Assert.Equal(10, three.Points);
        Assert.Equal("host:wks7.corp.example: initial-access → execution → command-and-control", three.Reason);
        Assert.Equal(Severity.High, incident.Severity);
        // The beacon scores 35 (medium) + 10 (command and control); 2 more rules add 10, the progression 10.
        Assert.Equal(45 + 10 + 10, incident.Score);
    }

    [Fact]
    public void Tactics_count_per_entity_in_kill_chain_order_and_do_not_add_up_across_entities()
    {
        var grouper = Grouper();
        var first = grouper.Triage(Tagged(Some.Alert("c2", Severity.High, Some.Time, [Some.Host("a.corp.example"), Some.User("eve")]), "attack.command-and-control"));
        grouper.Triage(Tagged(Some.Alert("run", Severity.High, Some.Time.AddMinutes(1), [Some.User("eve"), Some.Host("b.corp.example")]), "attack.execution"));
        var incident = grouper.Triage(Tagged(Some.Alert("access", Severity.High, Some.Time.AddMinutes(2), [Some.Host("b.corp.example")]), "attack.initial-access"));

        Assert.Same(first, incident);
        // a: c2; eve: execution, c2; b: initial access, execution. No entity has three: the severity stays.
        Assert.Equal(Severity.High, incident.Severity);
        var progression = Assert.Single(incident.Risk!.Parts, p => p.Factor == "tactic progression");
        Assert.Equal("user:eve: execution → command-and-control", progression.Reason);
    }

    [Fact]
    public void A_critical_incident_stays_critical_with_a_tactic_progression()
    {
        var grouper = Grouper();
        var host = Some.Host("dc01.corp.example");
        var incident = grouper.Triage(Tagged(Some.Alert("a", Severity.Critical, Some.Time, [host]), "attack.initial-access", "attack.execution", "attack.persistence"));
        Assert.Equal(Severity.Critical, incident.Severity);
        Assert.Equal(10, Assert.Single(incident.Risk!.Parts, p => p.Factor == "tactic progression").Points);
    }

    [Fact]
    public void An_incident_is_due_its_severitys_sla_after_it_was_opened_even_when_the_severity_rises_later()
    {
        var sla = new Dictionary<Severity, TimeSpan>
        {
            [Severity.Critical] = TimeSpan.FromMinutes(30),
            [Severity.High] = TimeSpan.FromHours(2),
            [Severity.Medium] = TimeSpan.FromHours(8),
            [Severity.Low] = TimeSpan.FromDays(2),
            [Severity.Informational] = TimeSpan.FromDays(5),
        };
        var grouper = new IncidentGrouper(new GroupingOptions { Sla = sla }, _time);
        var host = Some.Host("wks1.corp.example");
        var opened = _time.GetUtcNow();

        var incident = grouper.Triage(Tagged(Some.Alert("a", Severity.Medium, Some.Time, [host]), "attack.initial-access"));
        Assert.Equal(opened, incident.CreatedAt);
        Assert.Equal(opened + TimeSpan.FromHours(8), incident.DueAt);

        _time.Advance(TimeSpan.FromMinutes(40));
        grouper.Triage(Tagged(Some.Alert("b", Severity.Medium, Some.Time.AddMinutes(40), [host]), "attack.execution", "attack.exfiltration"));
        Assert.Equal(Severity.High, incident.Severity);
        Assert.Equal(opened + TimeSpan.FromHours(2), incident.DueAt);

        grouper.Triage(Some.Alert("c", Severity.Critical, Some.Time.AddMinutes(41), [host]));
        Assert.Equal(Severity.Critical, incident.Severity);
        Assert.Equal(opened + TimeSpan.FromMinutes(30), incident.DueAt);
    }

    [Fact]
    public void The_incident_score_is_its_strongest_alert_plus_five_per_further_rule_up_to_fifteen()
    {
        var grouper = Grouper();
        var user = Some.User("jdoe");
        var alerts = new List<Alert> { Some.Alert("r1", Severity.Low, Some.Time, [user], "Low one") };
        var incident = grouper.Triage(alerts[0]);
        Assert.Equal(15, incident.Score);
        Assert.Equal("Low one (r1) scores 15", incident.Risk!.Parts[0].Reason);

        alerts.Add(Some.Alert("r2", Severity.High, Some.Time.AddMinutes(1), [user], "Strong one"));
        grouper.Triage(alerts[^1]);
        Assert.Equal("Strong one", incident.Title);
        Assert.Equal(55 + 5, incident.Score);
        Assert.Equal(["strongest alert", "more rules"], incident.Risk!.Parts.Select(p => p.Factor));
        Assert.Equal("Strong one (r2) scores 55", incident.Risk.Parts[0].Reason);
        Assert.Equal("2 distinct rules fired on the incident's entities", incident.Risk.Parts[1].Reason);

        // A repeat of a rule already there changes nothing; further rules add 5 each until 15.
        alerts.Add(Some.Alert("r1", Severity.Low, Some.Time.AddMinutes(2), [user]));
        grouper.Triage(alerts[^1]);
        Assert.Equal(60, incident.Score);
        for (var i = 3; i <= 6; i++)
        {
            alerts.Add(Some.Alert($"r{i}", Severity.Medium, Some.Time.AddMinutes(2 + i), [user]));
            grouper.Triage(alerts[^1]);
        }
        Assert.Equal(55 + 15, incident.Score);
        Assert.Equal("6 distinct rules fired on the incident's entities", incident.Risk.Parts[1].Reason);
        Assert.Equal(Severity.High, incident.Severity);

        // Scored again from all of its alerts at once (as after a merge), the incident comes to the same.
        var copy = new Incident(incident.Id, incident.CreatedAt, "", incident.FirstSeen);
        IncidentScoring.FromAlerts(copy, alerts, new GroupingOptions());
        Assert.Equal((incident.Score, incident.Severity, incident.DueAt, incident.Title), (copy.Score, copy.Severity, copy.DueAt, copy.Title));
        Assert.Equal(incident.Risk.Parts, copy.Risk!.Parts);
    }

    [Fact]
    public void Grouping_reasons_name_the_shared_entity_how_many_more_and_each_hub_skipped_with_its_count()
    {
        var grouper = new IncidentGrouper(new GroupingOptions { MaxAlertsPerEntity = 3 }, _time);
        var host = Some.Host("wks3.corp.example");
        var dns = Some.Ip("10.0.0.53");
        var incident = grouper.Triage(Some.Alert("a", at: Some.Time, observables: [host, dns]));
        grouper.Triage(Some.Alert("b", at: Some.Time.AddMinutes(1), observables: [host]));
        grouper.Triage(Some.Alert("c", at: Some.Time.AddMinutes(2), observables: [host, dns]));
        var other = grouper.Triage(Some.Alert("d", at: Some.Time.AddMinutes(3), observables: [host]));
        grouper.Triage(Some.Alert("e", at: Some.Time.AddMinutes(4), observables: [host, dns]));

        Assert.Equal("opened the incident", incident.Grouping[0].Explanation);
        Assert.Equal("shares host:wks3.corp.example with the incident within 2h", incident.Grouping[1].Explanation);
        Assert.Equal("shares host:wks3.corp.example and 1 more entity with the incident within 2h", incident.Grouping[2].Explanation);
        Assert.NotSame(incident, other);
        Assert.Equal("opened the incident; not linked through host:wks3.corp.example (in 4 alerts within 2h: a hub)", other.Grouping[0].Explanation);
        Assert.Equal(dns, incident.Grouping[3].Via);
        Assert.Equal("shares ipv4:10.0.0.53 with the incident within 2h; not linked through host:wks3.corp.example (in 5 alerts within 2h: a hub)", incident.Grouping[3].Explanation);
        Assert.Equal([host], grouper.Hubs);
    }

    private static Alert Tagged(Alert alert, params string[] tags)
    {
        alert.Tags.AddRange(tags);
        return alert;
    }
}
