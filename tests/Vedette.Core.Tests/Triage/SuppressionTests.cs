using Vedette.Domain;
using Vedette.Triage;

namespace Vedette.Tests.Triage;

public sealed class SuppressionTests
{
    private static readonly DateTimeOffset Now = Some.Time;

    private static Suppression Suppress(
        string? rule = null,
        Observable? entity = null,
        Dictionary<string, string>? fields = null,
        DateTimeOffset? expires = null,
        DateTimeOffset? at = null) =>
        Suppression.Create(rule, entity, fields, expires, "known admin tooling", "ana", at ?? Now.AddDays(-1));

    private static Alert WithEvidence(Alert alert, string json)
    {
        alert.Evidence.Add(new EvidenceEvent(new RecordRef("test.ndjson", 1), alert.FirstSeen, json));
        return alert;
    }

    [Fact]
    public void A_rule_suppression_matches_that_rule_s_alerts_only()
    {
        var set = new SuppressionSet([Suppress(rule: "proc_creation_win_whoami")]);

        Assert.NotNull(set.Match(Some.Alert("proc_creation_win_whoami"), Now));
        Assert.NotNull(set.Match(Some.Alert("PROC_CREATION_WIN_WHOAMI"), Now));
        Assert.Null(set.Match(Some.Alert("proc_creation_win_net_user"), Now));
    }

    [Fact]
    public void An_entity_suppression_matches_alerts_of_any_rule_that_have_the_entity()
    {
        var scanner = Some.Ip("10.9.0.5");
        var suppression = Suppress(entity: scanner);
        var set = new SuppressionSet([suppression]);

        Assert.Same(suppression, set.Match(Some.Alert("rule-a", observables: [Some.Host("wks1.corp.example"), scanner]), Now));
        Assert.Same(suppression, set.Match(Some.Alert("rule-b", observables: [scanner]), Now));
        Assert.Null(set.Match(Some.Alert("rule-a", observables: [Some.Ip("10.9.0.6")]), Now));
    }

    [Fact]
    public void Rule_and_entity_must_both_hold_when_both_are_given()
    {
        var set = new SuppressionSet([Suppress(rule: "rule-a", entity: Some.User("svc_backup"))]);

        Assert.NotNull(set.Match(Some.Alert("rule-a", observables: [Some.User("svc_backup")]), Now));
        Assert.Null(set.Match(Some.Alert("rule-b", observables: [Some.User("svc_backup")]), Now));
        Assert.Null(set.Match(Some.Alert("rule-a", observables: [Some.User("jdoe")]), Now));
    }

    [Fact]
    public void Field_values_match_the_first_evidence_event_without_regard_to_case()
    {
        var set = new SuppressionSet([Suppress(rule: "encoded-powershell", fields: new() { ["ParentImage"] = @"C:\Program Files\Agent\agent.exe", ["EventID"] = "1" })]);

        var agent = WithEvidence(Some.Alert("encoded-powershell"), """{"EventID":1,"parentimage":"c:\\program files\\agent\\AGENT.EXE","Image":"powershell.exe"}""");
        var mshta = WithEvidence(Some.Alert("encoded-powershell"), """{"EventID":1,"ParentImage":"C:\\Windows\\System32\\mshta.exe"}""");
        var otherEvent = WithEvidence(Some.Alert("encoded-powershell"), """{"EventID":4688,"ParentImage":"C:\\Program Files\\Agent\\agent.exe"}""");

        Assert.NotNull(set.Match(agent, Now));
        Assert.Null(set.Match(mshta, Now));
        Assert.Null(set.Match(otherEvent, Now));
    }

    [Fact]
    public void Field_values_match_any_item_of_a_list_and_booleans_as_written()
    {
        var set = new SuppressionSet([Suppress(fields: new() { ["tags"] = "lab", ["elevated"] = "true" })]);

        Assert.NotNull(set.Match(WithEvidence(Some.Alert(), """{"tags":["prod","LAB"],"elevated":true}"""), Now));
        Assert.Null(set.Match(WithEvidence(Some.Alert(), """{"tags":["prod"],"elevated":true}"""), Now));
        Assert.Null(set.Match(WithEvidence(Some.Alert(), """{"tags":["lab"],"elevated":false}"""), Now));
    }

    [Fact]
    public void Field_values_match_a_correlation_s_group_by_values()
    {
        var set = new SuppressionSet([Suppress(rule: "ssh-bruteforce", fields: new() { ["src_ip"] = "10.9.0.5" })]);
        var scan = Some.Alert("ssh-bruteforce");
        scan.GroupBy["SRC_IP"] = "10.9.0.5";
        var attack = Some.Alert("ssh-bruteforce");
        attack.GroupBy["src_ip"] = "203.0.113.7";

        Assert.NotNull(set.Match(scan, Now));
        Assert.Null(set.Match(attack, Now));
    }

    [Fact]
    public void Evidence_is_not_read_unless_rule_and_entity_already_match()
    {
        // Evidence that is not JSON would throw if it were parsed: only the alert of the suppressed rule reaches it.
        var set = new SuppressionSet([Suppress(rule: "rule-a", fields: new() { ["Image"] = "x.exe" })]);
        var other = WithEvidence(Some.Alert("rule-b"), "not json");
        var grouped = Some.Alert("rule-a");
        grouped.GroupBy["Image"] = "x.exe";
        grouped.Evidence.Add(new EvidenceEvent(new RecordRef("t", 1), Now, "not json"));

        Assert.Null(set.Match(other, Now));
        Assert.NotNull(set.Match(grouped, Now));
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => set.Match(WithEvidence(Some.Alert("rule-a"), "not json"), Now));
    }

    [Fact]
    public void An_expired_suppression_no_longer_matches()
    {
        var set = new SuppressionSet([Suppress(rule: "rule-1", expires: Now.AddHours(1))]);

        Assert.NotNull(set.Match(Some.Alert(), Now));
        Assert.NotNull(set.Match(Some.Alert(), Now.AddMinutes(59)));
        Assert.Null(set.Match(Some.Alert(), Now.AddHours(1)));
    }

    [Fact]
    public void A_removed_suppression_never_matches()
    {
        var removed = Suppress(rule: "rule-1") with { RemovedAt = Now.AddMinutes(-1), RemovedBy = "bob" };

        Assert.False(removed.Matches(Some.Alert(), Now));
        Assert.Null(new SuppressionSet([removed]).Match(Some.Alert(), Now));
        Assert.Equal(0, new SuppressionSet([removed]).Count);
    }

    [Fact]
    public void When_several_match_the_oldest_is_credited_and_rule_specific_ones_come_first()
    {
        var anyRuleOnHost = Suppress(entity: Some.Host("wks1.corp.example"), at: Now.AddDays(-3));
        var older = Suppress(rule: "rule-1", at: Now.AddDays(-2));
        var newer = Suppress(rule: "rule-1", at: Now.AddDays(-1));
        var set = new SuppressionSet([newer, anyRuleOnHost, older]);

        Assert.Same(older, set.Match(Some.Alert("rule-1", observables: [Some.Host("wks1.corp.example")]), Now));
        Assert.Same(anyRuleOnHost, set.Match(Some.Alert("rule-2", observables: [Some.Host("wks1.corp.example")]), Now));
    }

    [Fact]
    public void The_active_set_swaps_whole()
    {
        var active = new ActiveSuppressions();
        var before = active.Current;

        active.Swap(new SuppressionSet([Suppress(rule: "rule-1")]));

        Assert.Equal(0, before.Count);
        Assert.NotNull(active.Current.Match(Some.Alert(), Now));
        Assert.Null(before.Match(Some.Alert(), Now));
    }

    [Fact]
    public void A_suppression_of_everything_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Suppression.Create(" ", null, new Dictionary<string, string>(), null, "noise", "ana", Now));
        Assert.Contains("silence everything", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "ana", "reason")]
    [InlineData("  ", "ana", "reason")]
    [InlineData("noise", "", "author")]
    public void Reason_and_author_are_required(string reason, string author, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => Suppression.Create("rule-1", null, null, null, reason, author, Now));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_named_twice_or_without_a_name_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Suppress(fields: new() { [""] = "x" }));
        var twice = new Dictionary<string, string>(StringComparer.Ordinal) { ["Image"] = "a", ["image"] = "b" };
        Assert.Contains("given twice", Assert.Throws<ArgumentException>(() => Suppress(fields: twice)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_suppression_has_a_time_ordered_id_of_its_creation()
    {
        var suppression = Suppress(rule: "rule-1", at: Now);

        Assert.Equal(7, suppression.Id.Version);
        Assert.Equal(Now.ToUnixTimeMilliseconds(), Convert.ToInt64(suppression.Id.ToString("N")[..12], 16));
        Assert.Equal(Now, suppression.CreatedAt);
    }

    [Theory]
    [InlineData("7d", "2026-11-09T09:00:00Z")]
    [InlineData("12h", "2026-11-02T21:00:00Z")]
    [InlineData("2w", "2026-11-16T09:00:00Z")]
    [InlineData("2026-12-31", "2027-01-01T00:00:00Z")]
    [InlineData("2026-12-31T18:00:00Z", "2026-12-31T18:00:00Z")]
    [InlineData("2026-12-31T18:00", "2026-12-31T18:00:00Z")]
    [InlineData("2026-12-31T18:00:00+02:00", "2026-12-31T16:00:00Z")]
    public void Expiry_is_a_duration_from_now_or_a_date(string text, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Suppression.ParseExpiry(text, Now));
    }

    [Theory]
    [InlineData("soon", "neither a duration")]
    [InlineData("0d", "not a positive duration")]
    [InlineData("12/31/2026", "neither a duration")]
    [InlineData("2026-01-01", "already past")]
    public void An_unreadable_or_past_expiry_is_refused(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => Suppression.ParseExpiry(text, Now));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
