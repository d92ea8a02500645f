using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Vedette.Detect;
using Vedette.Detection;
using Vedette.Domain;
using Vedette.Ingest;

namespace Vedette.Tests.Rules;

/// <summary>The shipped brute-force and spraying rules on real attack recordings nobody on the team made.</summary>
public sealed class AuthenticationRulesTests
{
    private static readonly RuleSet Shipped = RuleSet.Load([Repo.Rules], Repo.LoadMappings());

    private static List<Alert> Run(IEnumerable<(byte[] Json, RecordRef Ref)> records, bool reuseBuffers = false)
    {
        var normalizer = new RecordNormalizer(new FakeTimeProvider(Events.T0), reuseBuffers);
        var detector = new SigmaDetector(Shipped, new FakeTimeProvider(Events.T0));
        var output = new DetectionOutput();
        foreach (var (json, reference) in records)
        {
            detector.Detect(normalizer.Normalize(json, reference).Event, output);
        }
        detector.Flush(output);
        return output.Alerts;
    }

    private static IEnumerable<(byte[], RecordRef)> JsonLines(string path)
    {
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return (Encoding.UTF8.GetBytes(line), new RecordRef(path, number));
            }
        }
    }

    private static IEnumerable<(byte[], RecordRef)> ZippedJsonLines(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        using var reader = new StreamReader(zip.Entries.Single(e => e.Length > 0).Open());
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return (Encoding.UTF8.GetBytes(line), new RecordRef(path, number));
            }
        }
    }

    [Fact]
    public void Kerberos_spraying_in_the_EVTX_attack_sample_is_detected_from_its_source_address()
    {
        var alerts = Run(JsonLines(SharedData.Path("evtx", "EVTX-ATTACK-SAMPLES", "Credential Access", "kerberos_pwd_spray_4771.jsonl")));
        var spraying = Assert.Single(alerts, a => a.Title == "Kerberos Password Spraying From One Source");
        Assert.Equal("172.16.66.1", spraying.GroupBy["IpAddress"]);
        Assert.Contains("attack.t1110.003", spraying.Tags);
        Assert.Contains(new Observable(ObservableType.Ipv4, "172.16.66.1"), spraying.Observables);
    }

    [Fact]
    public void The_PurpleSharp_playbook_spraying_is_detected_on_the_workstation_and_at_the_domain_controller()
    {
        var alerts = Run(ZippedJsonLines(SharedData.Path("winlogs", "otrf", "windows", "lateral_movement", "host", "purplesharp_ad_playbook_I.zip")));
        var local = Assert.Single(alerts, a => a.Title == "Local Password Spraying On One Host");
        Assert.Equal("WORKSTATION5.theshire.local", local.GroupBy["Computer"]);
        var ntlm = Assert.Single(alerts, a => a.Title == "NTLM Password Spraying From One Workstation");
        Assert.Equal("WORKSTATION5", ntlm.GroupBy["Workstation"]);
        Assert.DoesNotContain(alerts, a => a.Title == "Burst Of Logon Failures Against One Account");
    }

    /// <summary>
    /// Correlation windows keep events as evidence long after the reader moved on: read into reused buffers (as
    /// <c>vedette hunt</c> reads), they must keep copies, and the alerts and their evidence must be the same.
    /// </summary>
    [Fact]
    public void Correlations_over_events_read_into_reused_buffers_keep_the_same_evidence()
    {
        var path = SharedData.Path("winlogs", "otrf", "windows", "lateral_movement", "host", "purplesharp_ad_playbook_I.zip");
        string Describe(Alert a) => $"{a.Title} {string.Join(",", a.GroupBy.Select(g => $"{g.Key}={g.Value}"))} {a.EventCount}\n  "
            + string.Join("\n  ", a.Evidence.Select(e => $"{e.Ref} {e.Json}"));
        var owned = Run(ZippedJsonLines(path)).Select(Describe).ToList();
        var reused = Run(ZippedJsonLines(path), reuseBuffers: true).Select(Describe).ToList();
        Assert.Contains(owned, a => a.StartsWith("NTLM Password Spraying", StringComparison.Ordinal) && a.Contains("TargetUserName", StringComparison.Ordinal));
        Assert.Equal(owned, reused);
    }

    [Fact]
    public void A_burst_against_one_account_is_a_brute_force_and_not_spraying()
    {
        var events = Enumerable.Range(0, 30).Select(i => Events.Security(4625, Events.T0.AddSeconds(5 * i), """
            "TargetUserName":"administrator","IpAddress":"203.0.113.9","LogonType":"10","Status":"0xc000006d","SubStatus":"0xc000006a"
            """));
        var detector = new SigmaDetector(Shipped, new FakeTimeProvider(Events.T0));
        var output = new DetectionOutput();
        foreach (var e in events)
        {
            detector.Detect(e, output);
        }
        detector.Flush(output);
        Assert.Equal(["Burst Of Logon Failures Against One Account"], output.Alerts.Select(a => a.Title));
    }

    [Fact]
    public void A_successful_SSH_login_after_a_brute_force_from_the_same_address_is_critical()
    {
        string Line(int second, string message) => $$"""{"@timestamp":"{{Events.T0.AddSeconds(second):O}}","host":"web01","program":"sshd","pid":{{second}},"message":"{{message}}"}""";
        var lines = Enumerable.Range(0, 12).Select(i => Line(i * 5, $"Failed password for root from 203.0.113.77 port {40000 + i} ssh2")).ToList();
        lines.Add(Line(300, "Accepted password for root from 203.0.113.77 port 41000 ssh2"));
        lines.Add(Line(310, "Accepted publickey for deploy from 10.0.5.20 port 50432 ssh2: ED25519 SHA256:abc"));
        var alerts = Run(lines.Select((l, i) => (Encoding.UTF8.GetBytes(l), new RecordRef("auth", i + 1))));

        Assert.Contains(alerts, a => a.Title == "SSH Brute Force From One Source");
        var login = Assert.Single(alerts, a => a.Title == "SSH Login Succeeded After Brute Force From The Same Source");
        Assert.Equal(Severity.Critical, login.Severity);
        Assert.Equal("203.0.113.77", login.GroupBy["src_ip"]);
        Assert.DoesNotContain(alerts, a => a.Title is "SSH Authentication Success" or "SSH Failure Burst From One Source");
    }

    [Fact]
    public void A_mistyped_password_then_a_login_is_not_a_brute_force()
    {
        string Line(int second, string message) => $$"""{"@timestamp":"{{Events.T0.AddSeconds(second):O}}","host":"web01","program":"sshd","pid":{{second}},"message":"{{message}}"}""";
        var alerts = Run(new[]
        {
            Line(0, "Failed password for alice from 10.0.5.21 port 40000 ssh2"),
            Line(4, "Failed password for alice from 10.0.5.21 port 40001 ssh2"),
            Line(9, "Accepted password for alice from 10.0.5.21 port 40002 ssh2"),
        }.Select((l, i) => (Encoding.UTF8.GetBytes(l), new RecordRef("auth", i + 1))));
        Assert.Empty(alerts);
    }
}
