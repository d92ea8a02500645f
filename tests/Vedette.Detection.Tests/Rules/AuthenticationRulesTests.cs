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

    private static List<Alert> Run(IEnumerable<(byte[] Json, RecordRef Ref)> records)
    {
        var normalizer = new RecordNormalizer(new FakeTimeProvider(Events.T0));
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
}
