using Vedette.Domain;
using Vedette.Enrich;

namespace Vedette.Simulation;

/// <summary>
/// Enriched alerts, as triage receives them, for benchmarks: a mix of endpoint, identity and network rules of every
/// level; one to four observables each, drawn with a skew from pools of hosts, users, addresses, domains and hashes
/// (so that entities recur, some often enough to become hubs); runs of repeats of one rule on one entity (what the
/// repeat folder folds); intel hits on the listed part of the external pools; now and then an intrusion that walks
/// one host from initial access through execution to command and control. Event time advances about 3,000 alerts an
/// hour, so a stream of a million covers two weeks and the grouping window keeps expiring state. Deterministic per
/// seed, with an inventory of the same hosts and users.
/// </summary>
public sealed class TriageCorpus
{
    /// <summary>Where the stream's event time starts.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private const double MeanGapSeconds = 1.2;
    private const int ListedShare = 20; // one external value in 20 is listed by a feed

    private static readonly RuleShape[] Rules =
    [
        new("win-ps-download-cradle", "Suspicious PowerShell Download Cradle", Severity.Medium, Shape.Endpoint, 6, "attack.execution", "attack.t1059.001"),
        new("win-mshta-remote", "Mshta Executes Remote Script", Severity.High, Shape.Endpoint, 2, "attack.defense-evasion", "attack.t1218.005"),
        new("win-lsass-access", "LSASS Memory Access by Unusual Process", Severity.Critical, Shape.Endpoint, 1, "attack.credential-access", "attack.t1003.001"),
        new("win-service-installed", "New Service Installed", Severity.Low, Shape.Endpoint, 6, "attack.persistence", "attack.privilege-escalation", "attack.t1543.003"),
        new("win-schtask-created", "Scheduled Task Created", Severity.Low, Shape.Endpoint, 6, "attack.persistence", "attack.execution", "attack.t1053.005"),
        new("win-whoami", "Whoami Execution", Severity.Low, Shape.Endpoint, 5, "attack.discovery", "attack.t1033"),
        new("win-net-group-enum", "Net.exe Domain Group Enumeration", Severity.Low, Shape.Endpoint, 4, "attack.discovery", "attack.t1069.002"),
        new("win-office-shell", "Office Application Spawns a Shell", Severity.High, Shape.Endpoint, 2, "attack.initial-access", "attack.t1566.001"),
        new("win-rundll32-noargs", "Rundll32 Without Arguments", Severity.Medium, Shape.Endpoint, 3, "attack.defense-evasion", "attack.t1218.011"),
        new("win-shadow-delete", "Shadow Copies Deleted", Severity.Critical, Shape.Endpoint, 1, "attack.impact", "attack.t1490"),
        new("win-run-key", "Registry Run Key Added", Severity.Medium, Shape.Endpoint, 4, "attack.persistence", "attack.t1547.001"),
        new("win-certutil-decode", "Certutil Decodes a File", Severity.Medium, Shape.Endpoint, 2, "attack.defense-evasion", "attack.command-and-control", "attack.t1140"),
        new("win-unsigned-driver", "Unsigned Driver Loaded", Severity.Informational, Shape.Endpoint, 4, "attack.privilege-escalation"),
        new("win-defender-off", "Windows Defender Disabled", Severity.High, Shape.Endpoint, 2, "attack.defense-evasion", "attack.t1562.001"),
        new("policy-software-inventory", "Unapproved Software Installed", Severity.Informational, Shape.Endpoint, 6),
        new("policy-usb-mount", "USB Storage Mounted", Severity.Informational, Shape.Endpoint, 4, "attack.initial-access", "attack.t1091"),
        new("id-failed-logons", "Burst of Failed Logons", Severity.Low, Shape.Identity, 7, "attack.credential-access", "attack.t1110"),
        new("id-unusual-host", "Logon From an Unusual Host", Severity.Medium, Shape.Identity, 4, "attack.lateral-movement", "attack.t1021"),
        new("id-admin-share", "Admin Share Accessed", Severity.Medium, Shape.Identity, 3, "attack.lateral-movement", "attack.t1021.002"),
        new("id-kerberoast", "Kerberoasting Ticket Request", Severity.High, Shape.Identity, 1, "attack.credential-access", "attack.t1558.003"),
        new("id-domain-admins", "Account Added to Domain Admins", Severity.Critical, Shape.Identity, 1, "attack.persistence", "attack.privilege-escalation", "attack.t1098"),
        new("id-password-spray", "Password Spray", Severity.Medium, Shape.Identity, 2, "attack.credential-access", "attack.t1110.003"),
        new("net-listed-address", "Outbound Connection to a Listed Address", Severity.High, Shape.Network, 3, "attack.command-and-control", "attack.t1071"),
        new("net-new-domain", "DNS Query for a Newly Seen Domain", Severity.Low, Shape.Network, 7, "attack.command-and-control", "attack.t1071.004"),
        new("net-beacon", "Periodic Beacon to an External Host", Severity.High, Shape.Network, 2, "attack.command-and-control", "attack.t1071.001"),
        new("net-large-upload", "Large Upload to an External Host", Severity.Medium, Shape.Network, 3, "attack.exfiltration", "attack.t1048"),
        new("net-inbound-scan", "Inbound Port Scan", Severity.Low, Shape.Network, 5, "attack.reconnaissance", "attack.t1595"),
        new("net-tor-exit", "Connection to a TOR Exit Node", Severity.Medium, Shape.Network, 2, "attack.command-and-control", "attack.t1090.003"),
        new("policy-cloud-upload", "Upload to Personal Cloud Storage", Severity.Informational, Shape.Network, 5, "attack.exfiltration", "attack.t1567.002"),
        new("ids-et-policy", "IDS: ET POLICY Outdated Client", Severity.Informational, Shape.Network, 4),
    ];

    private static readonly string[] Feeds = ["ipsum", "feodo", "firehol_level1", "urlhaus", "misp"];

    private TriageCorpus(Alert[] alerts, AssetInventory inventory, int entities)
    {
        Alerts = alerts;
        Inventory = inventory;
        Entities = entities;
    }

    /// <summary>In event-time order.</summary>
    public IReadOnlyList<Alert> Alerts { get; }

    /// <summary>The hosts (with their addresses) and users the alerts name, with criticality and roles.</summary>
    public AssetInventory Inventory { get; }

    /// <summary>Distinct values in the pools the observables are drawn from.</summary>
    public int Entities { get; }

    public static int RuleCount => Rules.Length;

    public static TriageCorpus Create(int count, int seed)
    {
        var dice = new Dice(seed);
        var pools = new Pools(dice);
        var rules = new Weighted<RuleShape>([.. Rules.Select(r => (r, r.Weight))]);
        var evidence = Rules.ToDictionary(r => r.Id, r => $$"""{"rule":"{{r.Id}}","EventID":1,"Image":"C:\\Windows\\System32\\cmd.exe"}""", StringComparer.Ordinal);
        var alerts = new Alert[count];
        var recent = new Alert?[64];
        var time = Start;
        var chain = new Queue<(RuleShape Rule, Observable Host)>();
        for (var i = 0; i < count; i++)
        {
            time += TimeSpan.FromSeconds(-Math.Log(1 - dice.Fraction()) * MeanGapSeconds);
            Alert alert;
            if (chain.TryDequeue(out var step))
            {
                alert = NewAlert(dice, step.Rule, time);
                alert.AddObservable(step.Host);
                pools.Fill(alert, step.Rule.Shape, linkedHost: true);
            }
            else if (recent[dice.Below(recent.Length)] is { } repeated && dice.Chance(0.25))
            {
                // The same rule on the same entities again: an admin tool or a beacon tripping one rule repeatedly.
                alert = NewAlert(dice, Rules.First(r => r.Id == repeated.RuleId), time);
                foreach (var observable in repeated.Observables)
                {
                    alert.AddObservable(observable);
                }
            }
            else
            {
                if (dice.Chance(0.002))
                {
                    // An intrusion walking one host: initial access, then execution, then command and control.
                    var host = pools.Host();
                    chain.Enqueue((Rules.First(r => r.Id == "win-office-shell"), host));
                    chain.Enqueue((Rules.First(r => r.Id == "win-ps-download-cradle"), host));
                    chain.Enqueue((Rules.First(r => r.Id == "net-beacon"), host));
                }
                var rule = rules.Pick(dice);
                alert = NewAlert(dice, rule, time);
                pools.Fill(alert, rule.Shape, linkedHost: false);
            }
            pools.AddIntelHits(alert);
            alert.Evidence.Add(new EvidenceEvent(new RecordRef("triage-bench", i + 1), time, evidence[alert.RuleId]));
            recent[i % recent.Length] = alert;
            alerts[i] = alert;
        }
        return new TriageCorpus(alerts, pools.Inventory(), pools.Count);
    }

    private static Alert NewAlert(Dice dice, RuleShape rule, DateTimeOffset time)
    {
        var alert = new Alert(dice.Guid(), time, rule.Id, rule.Title, rule.Severity, AlertOrigin.Rule, time, time);
        alert.Tags.AddRange(rule.Tags);
        return alert;
    }

    private enum Shape
    {
        Endpoint,
        Identity,
        Network,
    }

    private sealed record RuleShape(string Id, string Title, Severity Severity, Shape Shape, int Weight, params string[] Tags);

    /// <summary>The entities alerts are drawn from; low indices come up far more often than high ones.</summary>
    private sealed class Pools
    {
        private readonly Dice _dice;
        private readonly Observable[] _hosts;
        private readonly Observable[] _hostAddresses;
        private readonly Observable[] _users;
        private readonly Observable[] _external;
        private readonly Observable[] _domains;
        private readonly Observable[] _hashes;
        private readonly Dictionary<Observable, int> _listed = [];

        public Pools(Dice dice)
        {
            _dice = dice;
            _hosts = new Observable[3_000];
            _hostAddresses = new Observable[_hosts.Length];
            for (var i = 0; i < _hosts.Length; i++)
            {
                var name = i switch
                {
                    < 4 => $"dc{i + 1:00}.corp.example",
                    < 200 => $"srv{i:000}.corp.example",
                    _ => $"wks{i:0000}.corp.example",
                };
                _hosts[i] = new Observable(ObservableType.Host, name);
                _hostAddresses[i] = new Observable(ObservableType.Ipv4, $"10.{1 + (i / 250)}.{i % 250}.{10 + (i % 7)}");
            }
            _users = new Observable[1_500];
            for (var i = 0; i < _users.Length; i++)
            {
                _users[i] = new Observable(ObservableType.User, i < 40 ? $"adm_{First(i)}" : $"{First(i)}.{Names.LastNames[i % Names.LastNames.Count].ToLowerInvariant()}{i}");
            }
            _external = new Observable[6_000];
            for (var i = 0; i < _external.Length; i++)
            {
                _external[i] = new Observable(ObservableType.Ipv4, $"{11 + (i % 190)}.{(i * 7) % 256}.{(i * 13) % 256}.{1 + (i % 250)}");
            }
            _domains = new Observable[4_000];
            for (var i = 0; i < _domains.Length; i++)
            {
                _domains[i] = new Observable(ObservableType.Domain, $"{Label(dice, 5 + dice.Below(8))}.{(i % 3 == 0 ? "net" : i % 3 == 1 ? "com" : "xyz")}");
            }
            _hashes = new Observable[2_500];
            for (var i = 0; i < _hashes.Length; i++)
            {
                _hashes[i] = new Observable(ObservableType.Sha256, dice.Hex(64).ToLowerInvariant());
            }
            // Listed values are spread over the pools, not only the popular end.
            for (var i = 0; i < _external.Length; i += ListedShare)
            {
                _listed[_external[(i * 7) % _external.Length]] = 50 + (i % 50);
            }
            for (var i = 0; i < _domains.Length; i += ListedShare)
            {
                _listed[_domains[(i * 11) % _domains.Length]] = 60 + (i % 40);
            }
        }

        public int Count => _hosts.Length * 2 + _users.Length + _external.Length + _domains.Length + _hashes.Length;

        public Observable Host() => Skewed(_hosts, out _);

        public void Fill(Alert alert, Shape shape, bool linkedHost)
        {
            switch (shape)
            {
                case Shape.Endpoint:
                    if (!linkedHost)
                    {
                        alert.AddObservable(Host());
                    }
                    if (_dice.Chance(0.8))
                    {
                        alert.AddObservable(Skewed(_users, out _));
                    }
                    if (_dice.Chance(0.4))
                    {
                        alert.AddObservable(Skewed(_hashes, out _));
                    }
                    if (_dice.Chance(0.15))
                    {
                        alert.AddObservable(Skewed(_domains, out _));
                    }
                    break;
                case Shape.Identity:
                    var target = Skewed(_hosts, out var index);
                    if (!linkedHost)
                    {
                        alert.AddObservable(target);
                    }
                    alert.AddObservable(Skewed(_users, out _));
                    if (_dice.Chance(0.5))
                    {
                        alert.AddObservable(_hostAddresses[(index + 1 + _dice.Below(40)) % _hostAddresses.Length]);
                    }
                    if (_dice.Chance(0.1))
                    {
                        alert.AddObservable(Skewed(_external, out _));
                    }
                    break;
                default:
                    var source = Skewed(_hostAddresses, out var host);
                    if (!linkedHost)
                    {
                        alert.Observables.Insert(0, source);
                    }
                    alert.AddObservable(_dice.Chance(0.6) ? Skewed(_external, out _) : Skewed(_domains, out _));
                    if (_dice.Chance(0.25))
                    {
                        alert.AddObservable(_hosts[host]);
                    }
                    if (_dice.Chance(0.2))
                    {
                        alert.AddObservable(Skewed(_domains, out _));
                    }
                    break;
            }
        }

        public void AddIntelHits(Alert alert)
        {
            foreach (var observable in alert.Observables)
            {
                if (_listed.TryGetValue(observable, out var score))
                {
                    var feeds = 1 + (score % 3 == 0 ? 1 : 0);
                    for (var f = 0; f < feeds; f++)
                    {
                        alert.IntelHits.Add(new IntelHit(observable, observable.Value, Feeds[(score + f) % Feeds.Length], score, "exact"));
                    }
                }
            }
        }

        public AssetInventory Inventory()
        {
            var assets = new List<Asset>(_hosts.Length + _users.Length);
            for (var i = 0; i < _hosts.Length; i++)
            {
                var criticality = i < 4 ? Criticality.Critical : i < 200 ? (i % 3 == 0 ? Criticality.High : Criticality.Medium) : (i % 10 == 0 ? Criticality.Medium : Criticality.Low);
                var tags = new List<string> { $"ip:{_hostAddresses[i].Value}" };
                if (i is 150 or 151)
                {
                    tags.Add("role:scanner");
                }
                assets.Add(new Asset(_hosts[i], criticality, "it-ops", tags));
            }
            for (var i = 0; i < _users.Length; i++)
            {
                assets.Add(new Asset(_users[i], i < 40 ? Criticality.High : Criticality.Low, null, i < 40 ? ["role:admin"] : []));
            }
            return new AssetInventory(assets);
        }

        private static string First(int i) => Names.FirstNames[i % Names.FirstNames.Count].ToLowerInvariant();

        private Observable Skewed(Observable[] pool, out int index)
        {
            // u² puts a tenth of the draws on the first 1 % of the pool: a few busy servers, a long quiet tail.
            var u = _dice.Fraction();
            index = Math.Min(pool.Length - 1, (int)(pool.Length * u * u));
            return pool[index];
        }

        private static string Label(Dice dice, int length)
        {
            Span<char> chars = stackalloc char[length];
            for (var i = 0; i < length; i++)
            {
                chars[i] = (char)('a' + dice.Below(26));
            }
            return new string(chars);
        }
    }
}
