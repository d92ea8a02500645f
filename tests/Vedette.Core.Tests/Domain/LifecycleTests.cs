using Microsoft.Extensions.Time.Testing;
using Vedette.Domain;

namespace Vedette.Tests.Domain;

public sealed class LifecycleTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly Actor _ana = Actor.Analyst("ana");

    private Alert NewAlert() => new(Ids.New(_time), _time.GetUtcNow(), "rule-1", "Test", Severity.High, AlertOrigin.Rule, _time.GetUtcNow(), _time.GetUtcNow());

    [Fact]
    public void The_full_workflow_keeps_every_transition_with_time_and_actor()
    {
        var alert = NewAlert();
        var t0 = _time.GetUtcNow();
        alert.Acknowledge(_ana, t0.AddMinutes(3));
        alert.Investigate(_ana, t0.AddMinutes(5));
        alert.Escalate(Actor.Analyst("lead"), t0.AddMinutes(9), "needs IR");
        alert.Close(Verdict.TruePositive, Actor.Analyst("lead"), t0.AddMinutes(40));

        Assert.Equal(CaseStatus.Closed, alert.Status);
        Assert.Equal(Verdict.TruePositive, alert.Verdict);
        Assert.Equal(t0.AddMinutes(3), alert.AcknowledgedAt);
        Assert.Equal(t0.AddMinutes(40), alert.ClosedAt);
        Assert.Equal(
            [CaseStatus.Acknowledged, CaseStatus.Investigating, CaseStatus.Escalated, CaseStatus.Closed],
            alert.Transitions.Select(t => t.To));
        Assert.Equal("lead", alert.Transitions[2].By.Name);
        Assert.Equal("needs IR", alert.Transitions[2].Note);
    }

    [Fact]
    public void An_illegal_transition_is_a_clear_error_and_changes_nothing()
    {
        var alert = NewAlert();
        var error = Assert.Throws<InvalidTransitionException>(() => alert.Investigate(_ana, _time.GetUtcNow()));
        Assert.Contains("cannot go from new to investigating", error.Message, StringComparison.Ordinal);
        Assert.Contains(alert.Id.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Equal(CaseStatus.New, alert.Status);
        Assert.Empty(alert.Transitions);
    }

    [Fact]
    public void Closing_needs_a_verdict_and_only_closing_takes_one()
    {
        var incident = new Incident(Ids.New(_time), _time.GetUtcNow(), "x", _time.GetUtcNow());
        Assert.Throws<InvalidTransitionException>(() => incident.MoveTo(CaseStatus.Closed, _ana, _time.GetUtcNow()));
        Assert.Throws<InvalidTransitionException>(() => incident.MoveTo(CaseStatus.Acknowledged, _ana, _time.GetUtcNow(), Verdict.FalsePositive));
        incident.MoveTo(CaseStatus.Closed, _ana, _time.GetUtcNow(), Verdict.FalsePositive);
        Assert.Equal(Verdict.FalsePositive, incident.Verdict);
    }

    [Fact]
    public void A_closed_item_can_only_be_reopened_and_reopening_clears_the_verdict()
    {
        var alert = NewAlert();
        alert.Close(Verdict.BenignPositive, Actor.System, _time.GetUtcNow());
        Assert.True(alert.Transitions[0].By.IsSystem);
        Assert.Throws<InvalidTransitionException>(() => alert.Acknowledge(_ana, _time.GetUtcNow()));
        Assert.Throws<InvalidTransitionException>(() => alert.Close(Verdict.TruePositive, _ana, _time.GetUtcNow()));
        alert.Reopen(_ana, _time.GetUtcNow().AddMinutes(1));
        Assert.Equal(CaseStatus.Investigating, alert.Status);
        Assert.Null(alert.Verdict);
        Assert.Null(alert.ClosedAt);
    }

    [Fact]
    public void A_transition_earlier_than_the_previous_one_is_refused()
    {
        var alert = NewAlert();
        alert.Acknowledge(_ana, _time.GetUtcNow().AddMinutes(10));
        Assert.Throws<InvalidTransitionException>(() => alert.Investigate(_ana, _time.GetUtcNow()));
    }

    [Theory]
    [InlineData(CaseStatus.New, CaseStatus.Acknowledged, true)]
    [InlineData(CaseStatus.New, CaseStatus.Closed, true)]
    [InlineData(CaseStatus.New, CaseStatus.Escalated, false)]
    [InlineData(CaseStatus.Acknowledged, CaseStatus.New, false)]
    [InlineData(CaseStatus.Investigating, CaseStatus.Acknowledged, false)]
    [InlineData(CaseStatus.Escalated, CaseStatus.Investigating, true)]
    [InlineData(CaseStatus.Closed, CaseStatus.Closed, false)]
    public void The_workflow_allows_exactly_its_steps(CaseStatus from, CaseStatus to, bool allowed)
    {
        Assert.Equal(allowed, Lifecycle.IsAllowed(from, to));
    }

    [Theory]
    [InlineData("informational", Severity.Informational)]
    [InlineData("LOW", Severity.Low)]
    [InlineData(" medium ", Severity.Medium)]
    [InlineData("High", Severity.High)]
    [InlineData("critical", Severity.Critical)]
    public void Sigma_levels_parse_to_ordered_severities(string text, Severity expected)
    {
        Assert.Equal(expected, SeverityNames.Parse(text));
        Assert.Equal(expected, SeverityNames.Parse(expected.ToName()));
    }

    [Fact]
    public void An_unknown_severity_names_the_value_and_the_allowed_ones()
    {
        var error = Assert.Throws<FormatException>(() => SeverityNames.Parse("urgent"));
        Assert.Contains("'urgent'", error.Message, StringComparison.Ordinal);
        Assert.Contains("critical", error.Message, StringComparison.Ordinal);
    }
}
