using Vedette.Domain;
using static Vedette.Simulation.Durations;

namespace Vedette.Simulation;

/// <summary>
/// A user opens an HTA "invoice" from a phishing link; mshta runs hidden PowerShell that drops and starts a payload,
/// which then beacons to its C2 about once a minute for 20–40 minutes. Each instance is its own campaign against its own victim.
/// </summary>
internal static class PhishingScenario
{
    private const string PayloadUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64)";
    private const string PowerShellUserAgent = "Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.5007";

    public static IReadOnlyList<Observable> Plan(World world, long start, int instance)
    {
        var dice = world.Dice;
        var campaign = world.Adversary.Campaigns[instance];
        var victim = world.ClaimEmployee();
        var user = victim.User;
        var host = victim.Workstation;
        var fileName = $"invoice_{campaign.InvoiceNumber}.hta";
        var downloaded = $@"{user.Profile}\Downloads\{fileName}";

        // Delivery: the link in the mail opens in Edge, which fetches the HTA through the proxy and saves it.
        var browser = world.Launch(Programs.Edge, user);
        var phishing = campaign.PhishingSite;
        world.Resolved(start, host, browser, phishing);
        world.Add(new SysmonNetworkConnect(start + Ms(60), host, browser, phishing.Ip, phishing.Domain, 80, dice.Port()));
        world.Proxied(start + Ms(200), new ProxyRequest(
            host.Ip, user.SamName, "GET", $"http://{phishing.Domain}/documents/{fileName}", phishing.Domain, "hta", World.EdgeUserAgent, 200, 612, phishing.Ip));
        world.Add(new SysmonFileCreate(start + Ms(1_400), host, browser, downloaded));

        // Execution: the user double-clicks it; mshta runs the stager, which fetches the payload and starts it.
        var ticks = start + Seconds(dice.Between(40, 120));
        var mshtaCommandLine = $"\"{Programs.Mshta.Image}\" \"{downloaded}\"";
        var mshta = world.Process(
            Programs.Mshta.Image, mshtaCommandLine, user.Profile + @"\Downloads\", user.Qualified, "Medium", Programs.Mshta.Hashes,
            Programs.ExplorerImage, Programs.ExplorerCommandLine);
        world.Started(ticks, host, mshta, audited: true);

        ticks += Ms(dice.Between(1_500, 3_500));
        var stager = world.Process(
            Programs.PowerShellImage, "powershell.exe -nop -w hidden -enc " + campaign.StagerCommand, user.Profile + @"\Downloads\", user.Qualified,
            "Medium", Programs.PowerShell.Hashes, mshta.Image, mshtaCommandLine);
        world.Started(ticks, host, stager, audited: true);

        ticks += Ms(dice.Between(600, 1_500));
        world.Add(new SysmonNetworkConnect(ticks, host, stager, phishing.Ip, phishing.Domain, 80, dice.Port()));
        world.Proxied(ticks + Ms(30), new ProxyRequest(
            host.Ip, user.SamName, "GET", campaign.StagerUrl, phishing.Domain, "dat", PowerShellUserAgent, 200, 288, phishing.Ip));
        var payloadPath = $@"{user.Profile}\AppData\Roaming\{campaign.PayloadName}";
        ticks += Ms(dice.Between(800, 2_000));
        world.Add(new SysmonFileCreate(ticks, host, stager, payloadPath));

        ticks += Ms(dice.Between(500, 1_500));
        var payload = world.Process(
            payloadPath, $"\"{payloadPath}\"", user.Profile + @"\AppData\Roaming\", user.Qualified, "Medium",
            $"MD5={campaign.PayloadMd5},SHA256={campaign.PayloadSha256}", stager.Image, stager.CommandLine);
        world.Started(ticks, host, payload, audited: true);

        Beacon(world, campaign.C2Site, host, user, payload, ticks + Seconds(dice.Between(5, 15)));

        return
        [
            Entity.User(user), Entity.Host(host), Entity.Domain(phishing.Domain), Entity.Domain(campaign.C2Site.Domain),
            Entity.Ip(campaign.C2Site.Ip), Entity.Sha256(campaign.PayloadSha256),
        ];
    }

    /// <summary>
    /// A beacon about every 60 s (±6 s jitter): a TLS connection to the C2 that the proxy logs as CONNECT, a fresh DNS
    /// lookup every five beacons (the record's TTL), and one IDS alert on an early beacon.
    /// </summary>
    private static void Beacon(World world, Site c2, OrganisationHost host, OrganisationUser user, SimProcess payload, long ticks)
    {
        var dice = world.Dice;
        var beacons = dice.Between(20, 40);
        var alerted = dice.Between(1, 4);
        for (var i = 0; i < beacons; i++)
        {
            if (i % 5 == 0)
            {
                world.Resolved(ticks, host, payload, c2);
                ticks += Ms(dice.Between(5, 40));
            }
            var port = dice.Port();
            world.Add(new SysmonNetworkConnect(ticks, host, payload, c2.Ip, c2.Domain, 443, port));
            world.Proxied(ticks + Ms(dice.Between(5, 60)), new ProxyRequest(
                host.Ip, user.SamName, "CONNECT", c2.Domain + ":443", c2.Domain, "", PayloadUserAgent, 200, dice.Between(310, 720), c2.Ip));
            if (i == alerted)
            {
                var alertTicks = ticks + Ms(dice.Between(100, 900)) + (dice.Below(1000) * TimeSpan.TicksPerMicrosecond);
                world.Add(new SuricataAlert(alertTicks, world.Estate.Sensor, dice.FlowId(), host.Ip, port, c2.Ip, Signatures.Beacon));
            }
            ticks += Seconds(60) + Ms(dice.Between(-6_000, 6_000));
        }
    }
}
