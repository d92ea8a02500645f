using Microsoft.Extensions.Time.Testing;
using Vedette.Detect;
using Vedette.Detection;
using Vedette.Domain;

namespace Vedette.Tests.Rules;

public sealed class ShippedRulesTests
{
    private static readonly RuleSet Shipped = RuleSet.Load([Repo.Rules], Repo.LoadMappings());

    [Fact]
    public void Every_shipped_rule_loads()
    {
        Assert.Empty(Shipped.Errors.Select(e => e.ToString()));
        Assert.True(Shipped.Rules.Count >= 14, $"only {Shipped.Rules.Count} rules loaded");
    }

    [Fact]
    public void The_required_detections_are_shipped()
    {
        var titles = Shipped.Rules.Select(r => r.Meta.Title).ToList();
        Assert.Contains("SSH Brute Force From One Source", titles);
        Assert.Contains("Burst Of Logon Failures Against One Account", titles);
        Assert.Contains("Password Spraying From One Source", titles);
        Assert.Contains(Shipped.Rules, r => r.LogSource?.Category == "process_creation");
    }

    [Fact]
    public void Base_rules_of_correlations_raise_no_alerts_of_their_own()
    {
        var failure = Shipped.Rules.Single(r => r.Meta.Name == "vedette_win_logon_failure");
        Assert.False(failure.GeneratesAlerts);
        Assert.Equal(2, failure.UsedBy.Count);
    }

    [Fact]
    public void Every_shipped_rule_has_the_metadata_an_analyst_needs()
    {
        Assert.All(Shipped.Rules, rule =>
        {
            Assert.NotNull(rule.Meta.Level);
            Assert.False(string.IsNullOrWhiteSpace(rule.Meta.Description));
            Assert.NotEmpty(rule.Meta.Tags);
            Assert.NotEmpty(rule.Meta.FalsePositives);
            Assert.True(Guid.TryParse(rule.Meta.Id, out _), $"{rule.Meta.Title}: id is no UUID");
        });
        Assert.Equal(Shipped.Rules.Count, Shipped.Rules.Select(r => r.Meta.Id).Distinct().Count());
    }

    [Fact]
    public void The_encoded_PowerShell_rule_fires_on_an_encoded_command_and_not_on_a_script_file()
    {
        var detector = new SigmaDetector(Shipped, new FakeTimeProvider(Events.T0));
        var output = new DetectionOutput();
        detector.Detect(Events.ProcessCreation("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "powershell.exe -nop -w hidden -enc SQBFAFgA"), output);
        detector.Detect(Events.ProcessCreation("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "powershell.exe -NoProfile -ExecutionPolicy Bypass -File \\\\srv-fs01\\it$\\inventory.ps1"), output);
        var alert = Assert.Single(output.Alerts);
        Assert.Equal("Encoded PowerShell Command Line", alert.Title);
        Assert.Equal(Severity.Medium, alert.Severity);
        Assert.Contains(new Observable(ObservableType.User, "jdoe"), alert.Observables);
        Assert.Contains(new Observable(ObservableType.Host, "wks001.corp.example"), alert.Observables);
        Assert.Equal("test:1", alert.Evidence.Single().Ref.ToString());
    }
}
