using System.Text;
using Vedette.Simulation;

namespace Vedette.Tests.Simulation;

/// <summary>The benign traffic that looks suspicious, which every run must contain for false positives to be real.</summary>
public sealed class BackgroundNoiseTests
{
    private readonly SimulatedDay _day = SimulatedDay.Of(SimulatedDay.Small);

    private IEnumerable<Record> Background => _day.Records.Where(r => r.Scenario is null);

    [Fact]
    public void Admins_run_the_inventory_script_with_execution_policy_bypass_from_a_share()
    {
        var runs = Background.Where(r => r.EventId == 1 && r.Has("CommandLine", @"powershell.exe -NoProfile -ExecutionPolicy Bypass -File \\srv-fs01\it$\inventory.ps1")).ToList();

        Assert.NotEmpty(runs);
        Assert.All(runs, r => Assert.StartsWith(@"CORP\adm_", r["User"], StringComparison.Ordinal));
        Assert.Contains(Background, r => r.EventId == 4688 && r["CommandLine"]!.Contains("inventory.ps1", StringComparison.Ordinal));
    }

    [Fact]
    public void The_management_agent_runs_encoded_powershell_that_decodes_to_harmless_queries()
    {
        const string Prefix = "powershell.exe -NoProfile -NonInteractive -EncodedCommand ";
        var runs = Background.Where(r => r.EventId == 1 && r["CommandLine"]!.StartsWith(Prefix, StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(runs);
        Assert.All(runs, r =>
        {
            Assert.Equal(@"C:\Program Files\ManageAgent\agent.exe", r["ParentImage"]);
            Assert.Equal(@"NT AUTHORITY\SYSTEM", r["User"]);
            var command = Encoding.Unicode.GetString(Convert.FromBase64String(r["CommandLine"]![Prefix.Length..]));
            Assert.StartsWith("Get-", command.TrimStart('('), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void The_scanner_fails_at_most_six_ssh_passwords_per_linux_server_and_trips_scan_signatures()
    {
        var failures = Background
            .Where(r => r["program"] == "sshd" && r["message"]!.StartsWith("Failed password for ", StringComparison.Ordinal) && r["message"]!.Contains(" from 10.0.9.50 port ", StringComparison.Ordinal))
            .GroupBy(r => r["host"])
            .ToDictionary(g => g.Key!, g => g.Count());

        Assert.Equal(["bastion01", "db01", "web01", "web02"], failures.Keys.Order());
        Assert.All(failures.Values, count => Assert.InRange(count, 3, 6));
        var scans = Background.Where(r => r["event_type"] == "alert" && r["src_ip"] == "10.0.9.50").ToList();
        Assert.True(scans.Select(r => r["dest_ip"]).Distinct().Count() >= 10);
        Assert.All(scans, r => Assert.StartsWith("ET SCAN ", r["alert.signature"], StringComparison.Ordinal));
        Assert.All(scans, r => Assert.Equal("2", r["alert.severity"]));
    }

    [Fact]
    public void Users_who_mistype_their_password_then_log_on_at_the_same_workstation()
    {
        var mistakes = Background.Where(r => r.EventId == 4625 && r.Has("LogonType", "2") && r.Has("SubStatus", "0xc000006a")).ToList();

        Assert.NotEmpty(mistakes);
        Assert.All(mistakes, failure =>
            Assert.Contains(Background, r => r.EventId == 4624 && r.Host == failure.Host && r["TargetUserName"] == failure["TargetUserName"]
                && r.Time > failure.Time && r.Time - failure.Time < TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void Disabled_and_expired_accounts_fail_once_on_a_domain_controller()
    {
        var failures = Background.Where(r => r.EventId == 4625 && r.Has("Status", "0xc000006e")).ToList();

        Assert.NotEmpty(failures);
        Assert.All(failures, r => Assert.StartsWith("dc0", r.Host, StringComparison.Ordinal));
        Assert.Contains(failures, r => r.Has("SubStatus", "0xc0000072"));
    }

    [Fact]
    public void Executable_downloads_outside_the_attacks_come_from_the_software_vendors()
    {
        var downloads = Background.Where(r => r["c-uri-extension"] is "exe" or "msi").ToList();

        Assert.NotEmpty(downloads);
        Assert.All(downloads, r => Assert.Contains(r["cs-host"], new[] { "downloads.fabrikam.example.com", "dl.google.com" }));
        Assert.DoesNotContain(Background, r => r["c-uri-extension"] == "hta");
    }

    [Fact]
    public void Ordinary_work_fills_the_day_with_every_record_shape()
    {
        var records = Background.ToList();

        foreach (var id in new[] { 1, 3, 11, 22, 4624, 4625, 4648, 4688, 4768, 4769, 4771, 4776 })
        {
            Assert.Contains(records, r => r.EventId == id);
        }
        Assert.Contains(records, r => r["message"]?.StartsWith("Accepted publickey for deploy from ", StringComparison.Ordinal) == true);
        Assert.Contains(records, r => r["message"]?.StartsWith("Disconnected from user ", StringComparison.Ordinal) == true);
        Assert.Contains(records, r => r["source"] == "proxy");
        Assert.Contains(records, r => r["source"] == "dns");
        Assert.Contains(records, r => r["event_type"] == "alert" && r["alert.severity"] == "3");
    }
}
