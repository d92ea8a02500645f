using System.Text;
using Vedette.Domain;
using Vedette.Simulation;

namespace Vedette.Tests.Simulation;

/// <summary>
/// The field-level contract of each scenario, which the shipped detection rules are written against: if one of these
/// changes, the rules and the docs change with it.
/// </summary>
public sealed class ScenarioShapeTests
{
    // Seed 7 moves laterally with Impacket smbexec, seed 1 with PsExec.
    public static TheoryData<int> Seeds => [7, 1];

    private static string Entity(ScenarioTruth scenario, ObservableType type, int index = 0) =>
        scenario.Entities.Where(e => e.Type == type).ElementAt(index).Value;

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_ssh_brute_force_fails_40_to_150_passwords_from_one_address_against_one_server_within_ten_minutes(int seed)
    {
        var day = SimulatedDay.Of(SimulatedDay.Small, seed);
        var scenario = day.Scenario(ScenarioKinds.SshBruteForce);
        var attacker = Entity(scenario, ObservableType.Ipv4);
        var target = Entity(scenario, ObservableType.Host);
        var lines = day.Of(scenario).ToList();

        var failed = lines.Where(r => r["message"]!.StartsWith("Failed password for ", StringComparison.Ordinal)).ToList();
        Assert.InRange(failed.Count, 40, 150);
        Assert.All(lines, r => Assert.Equal(target, r["host"]));
        Assert.All(lines, r => Assert.Equal("sshd", r["program"]));
        Assert.All(lines, r => Assert.Contains($" {attacker} port ", r["message"]!, StringComparison.Ordinal));
        Assert.Contains(failed, r => r["message"]!.StartsWith("Failed password for invalid user ", StringComparison.Ordinal));
        Assert.Contains(failed, r => r["message"]!.StartsWith("Failed password for root from ", StringComparison.Ordinal));
        Assert.Contains(lines, r => r["message"]!.StartsWith("Invalid user ", StringComparison.Ordinal));
        Assert.Contains(lines, r => r["message"]!.StartsWith("Connection closed by ", StringComparison.Ordinal) && r["message"]!.EndsWith(" [preauth]", StringComparison.Ordinal));
        Assert.True(scenario.End - scenario.Start <= TimeSpan.FromMinutes(10.5));
        Assert.Contains(attacker, day.Result.KnownBadIndicators);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_password_spray_fails_network_logons_for_30_to_60_accounts_from_one_workstation_on_dc01(int seed)
    {
        var day = SimulatedDay.Of(SimulatedDay.Small, seed);
        var scenario = day.Scenario(ScenarioKinds.PasswordSpraying);
        var source = Entity(scenario, ObservableType.Ipv4);
        var lines = day.Of(scenario).ToList();

        var failures = lines.Where(r => r.EventId == 4625).ToList();
        Assert.All(failures, r =>
        {
            Assert.Equal("DC01.corp.example", r["Hostname"]);
            Assert.Equal(source, r["IpAddress"]);
            Assert.Equal("3", r["LogonType"]);
            Assert.Equal("0xc000006d", r["Status"]);
            Assert.Equal("0xc000006a", r["SubStatus"]);
        });
        var accounts = failures.Select(r => r["TargetUserName"]).Distinct().Count();
        Assert.InRange(accounts, 30, 60);
        Assert.InRange(failures.Count, accounts, 2 * accounts);
        Assert.All(lines.Where(r => r.EventId == 4771), r => Assert.Equal("::ffff:" + source, r["IpAddress"]));
        Assert.Contains(lines, r => r.EventId == 1 && r["CommandLine"]!.Contains("Invoke-DomainPasswordSpray", StringComparison.Ordinal));
        var spray = failures.Max(r => r.Time) - failures.Min(r => r.Time);
        Assert.True(spray <= TimeSpan.FromMinutes(10), $"the spray lasts {spray}");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_rdp_brute_force_fails_20_to_60_remote_interactive_logons_for_one_account_on_one_server(int seed)
    {
        var day = SimulatedDay.Of(SimulatedDay.Small, seed);
        var scenario = day.Scenario(ScenarioKinds.WindowsBruteForce);
        var lines = day.Of(scenario).ToList();

        Assert.InRange(lines.Count, 20, 60);
        Assert.All(lines, r =>
        {
            Assert.Equal(4625, r.EventId);
            Assert.Equal("10", r["LogonType"]);
            Assert.Equal(Entity(scenario, ObservableType.User), r["TargetUserName"]);
            Assert.Equal(Entity(scenario, ObservableType.Ipv4), r["IpAddress"]);
            Assert.Equal(Entity(scenario, ObservableType.Host), r.Host);
        });
        Assert.True(scenario.End - scenario.Start <= TimeSpan.FromMinutes(5));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_phishing_chain_runs_from_hta_download_through_mshta_and_hidden_powershell_to_a_beaconing_payload(int seed)
    {
        var day = SimulatedDay.Of(SimulatedDay.Small, seed);
        var scenario = day.Scenario(ScenarioKinds.PhishingExecutionBeaconing);
        var user = Entity(scenario, ObservableType.User);
        var host = Entity(scenario, ObservableType.Host);
        var phishing = Entity(scenario, ObservableType.Domain, 0);
        var c2 = Entity(scenario, ObservableType.Domain, 1);
        var c2Ip = Entity(scenario, ObservableType.Ipv4);
        var sha256 = Entity(scenario, ObservableType.Sha256);
        var lines = day.Of(scenario).ToList();

        var download = Assert.Single(lines, r => r.Has("c-uri-extension", "hta"));
        Assert.Equal(phishing, download["cs-host"]);
        Assert.Equal(user, download["cs-username"]);
        var saved = Assert.Single(lines, r => r.EventId == 11 && r["TargetFilename"]!.EndsWith(".hta", StringComparison.Ordinal));
        Assert.StartsWith($@"C:\Users\{user}\Downloads\invoice_", saved["TargetFilename"], StringComparison.Ordinal);
        var mshta = Assert.Single(lines, r => r.EventId == 1 && r.Has("Image", @"C:\Windows\System32\mshta.exe"));
        Assert.Equal(@"C:\Windows\explorer.exe", mshta["ParentImage"]);
        Assert.Contains(saved["TargetFilename"]!, mshta["CommandLine"]!, StringComparison.Ordinal);
        var stager = Assert.Single(lines, r => r.EventId == 1 && r["CommandLine"]!.StartsWith("powershell.exe -nop -w hidden -enc ", StringComparison.Ordinal));
        Assert.Equal(@"C:\Windows\System32\mshta.exe", stager["ParentImage"]);
        var script = Encoding.Unicode.GetString(Convert.FromBase64String(stager["CommandLine"]!["powershell.exe -nop -w hidden -enc ".Length..]));
        Assert.Contains("DownloadFile", script, StringComparison.Ordinal);
        var payload = Assert.Single(lines, r => r.EventId == 1 && r["Hashes"]!.Contains("SHA256=" + sha256.ToUpperInvariant(), StringComparison.Ordinal));
        Assert.StartsWith($@"C:\Users\{user}\AppData\Roaming\", payload["Image"], StringComparison.Ordinal);
        Assert.Equal(stager["Image"], payload["ParentImage"]);

        var beacons = lines.Where(r => r.EventId == 3 && r.Has("DestinationIp", c2Ip)).ToList();
        Assert.InRange(beacons.Count, 20, 40);
        Assert.All(beacons, r => Assert.Equal("443", r["DestinationPort"]));
        Assert.All(beacons, r => Assert.Equal(payload["ProcessGuid"], r["ProcessGuid"]));
        var gaps = beacons.Zip(beacons.Skip(1), (a, b) => (b.Time - a.Time).TotalSeconds).ToList();
        Assert.All(gaps, g => Assert.InRange(g, 50, 70));
        Assert.Equal(beacons.Count, lines.Count(r => r.Has("cs-method", "CONNECT") && r.Has("cs-host", c2) && r.Has("dst-ip", c2Ip)));
        Assert.Contains(lines, r => r.EventId == 22 && r.Has("QueryName", c2));
        Assert.Contains(lines, r => r.Has("source", "dns") && r.Has("query", c2) && r.Has("answer", c2Ip));
        var alert = Assert.Single(lines, r => r["event_type"] == "alert");
        Assert.Equal("1", alert["alert.severity"]);
        Assert.Contains("CnC Beacon", alert["alert.signature"]!, StringComparison.Ordinal);
        Assert.Equal(c2Ip, alert["dest_ip"]);
        Assert.All(lines.Where(r => r["Hostname"] is not null), r => Assert.Equal(host, r.Host));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Lateral_movement_shows_explicit_credentials_a_network_logon_a_service_install_and_remote_processes(int seed)
    {
        var day = SimulatedDay.Of(SimulatedDay.Small, seed);
        var scenario = day.Scenario(ScenarioKinds.LateralMovementServiceInstall);
        var source = Entity(scenario, ObservableType.Host, 0);
        var target = Entity(scenario, ObservableType.Host, 1);
        var admin = Entity(scenario, ObservableType.User);
        var lines = day.Of(scenario).ToList();

        var explicitLogon = Assert.Single(lines, r => r.EventId == 4648);
        Assert.Equal(source, explicitLogon.Host);
        Assert.Equal(admin, explicitLogon["TargetUserName"]);
        Assert.Equal(target, explicitLogon["TargetServerName"]!.ToLowerInvariant());
        var logon = Assert.Single(lines, r => r.EventId == 4624);
        Assert.Equal(target, logon.Host);
        Assert.Equal("3", logon["LogonType"]);
        Assert.Equal(admin, logon["TargetUserName"]);
        var sourceIp = day.Result.Organisation.Hosts.Single(h => h.CanonicalName == source).Ip;
        Assert.Equal(sourceIp, logon["IpAddress"]);
        var service = Assert.Single(lines, r => r.EventId == 7045);
        Assert.Equal(target, service.Host);
        Assert.Equal("System", service["Channel"]);
        Assert.Equal("Service Control Manager", service["SourceName"]);
        Assert.True(
            (service["ServiceName"] == "PSEXESVC" && service["ImagePath"] == @"%SystemRoot%\PSEXESVC.exe")
            || (service["ServiceName"]!.Length == 8 && service["ImagePath"]!.StartsWith(@"%COMSPEC% /Q /c echo whoami ^> \\127.0.0.1\ADMIN$\__", StringComparison.Ordinal)),
            $"unexpected service {service["ServiceName"]} {service["ImagePath"]}");
        var remote = lines.Where(r => r.EventId == 1 && r.Host == target).ToList();
        Assert.Contains(remote, r => r.Has("ParentImage", @"C:\Windows\System32\services.exe"));
        Assert.Contains(remote, r => r.Has("Image", @"C:\Windows\System32\whoami.exe") && r.Has("ParentImage", @"C:\Windows\System32\cmd.exe"));
        if (service["ServiceName"] == "PSEXESVC")
        {
            Assert.Contains(remote, r => r.Has("Image", @"C:\Windows\PSEXESVC.exe") && r.Has("ParentImage", @"C:\Windows\System32\services.exe"));
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_new_local_admin_is_created_and_added_to_administrators_within_a_minute(int seed)
    {
        var day = SimulatedDay.Of(SimulatedDay.Small, seed);
        var scenario = day.Scenario(ScenarioKinds.NewLocalAdmin);
        var host = Entity(scenario, ObservableType.Host);
        var admin = Entity(scenario, ObservableType.User, 0);
        var account = Entity(scenario, ObservableType.User, 1);
        var lines = day.Of(scenario).ToList();

        var created = Assert.Single(lines, r => r.EventId == 4720);
        var added = Assert.Single(lines, r => r.EventId == 4732);
        Assert.Equal(host, created.Host);
        Assert.Equal(host, added.Host);
        Assert.Equal(admin, created["SubjectUserName"]);
        Assert.Equal(account, created["TargetUserName"]);
        Assert.Equal(admin, added["SubjectUserName"]);
        Assert.Equal(created["TargetSid"], added["MemberSid"]);
        Assert.Equal("S-1-5-32-544", added["TargetSid"]);
        Assert.Equal("Administrators", added["TargetUserName"]);
        Assert.Equal("Builtin", added["TargetDomainName"]);
        Assert.InRange(added.Time - created.Time, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Assert.DoesNotContain(day.Result.Organisation.Users, u => u.SamName == account);
    }
}
