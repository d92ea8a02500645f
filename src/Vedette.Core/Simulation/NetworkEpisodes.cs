using System.Security.Cryptography;
using System.Text;
using static Vedette.Simulation.Durations;

namespace Vedette.Simulation;

/// <summary>Network-side background: internal DNS, SSH administration, routine IDS alerts and the vulnerability scanner's window.</summary>
internal static class NetworkEpisodes
{
    private static readonly IReadOnlyList<string> ScannerGuesses = ["root", "admin", "test", "oracle", "guest", "user"];

    private const int ScannerGuessesPerServer = 6;

    /// <summary>A lookup of an internal name at the DNS server; now and then the WPAD probe Windows makes, which fails.</summary>
    public static void InternalDns(World world, long start)
    {
        var dice = world.Dice;
        var estate = world.Estate;
        var client = world.AnyEmployee().Workstation;
        if (dice.Chance(0.1))
        {
            world.Add(new DnsServerLog(start, estate.Dns, client.Ip, "wpad." + Organisation.DnsDomain, "-", "NXDOMAIN"));
            return;
        }
        var server = dice.Chance(0.3) ? dice.Pick(estate.DomainControllers) : dice.Pick(estate.Servers);
        world.Add(new DnsServerLog(start, estate.Dns, client.Ip, server.CanonicalName, server.Ip, "NOERROR"));
    }

    /// <summary>
    /// An SSH session: deploy from the bastion with its key, or an admin from their workstation to the bastion (by key,
    /// sometimes by password), then the disconnect some minutes later.
    /// </summary>
    public static void SshSession(World world, long start)
    {
        var dice = world.Dice;
        var estate = world.Estate;
        var bastion = estate.Bastion;
        string user;
        string ip;
        OrganisationHost server;
        if (dice.Chance(0.6))
        {
            user = estate.Deploy.SamName;
            ip = bastion.Ip;
            do
            {
                server = dice.Pick(estate.LinuxServers);
            }
            while (server == bastion);
        }
        else
        {
            var admin = dice.Pick(estate.Admins);
            user = admin.User.SamName;
            ip = admin.Workstation.Ip;
            server = bastion;
        }
        var pid = dice.Between(2000, 60000);
        var port = dice.Port();
        var accepted = user != estate.Deploy.SamName && dice.Chance(0.2)
            ? Sshd.AcceptedPassword(user, ip, port)
            : Sshd.AcceptedPublicKey(user, ip, port, Fingerprint(user));
        world.Add(new SshdLog(start, server, pid, accepted));
        world.Add(new SshdLog(start + Seconds(dice.Between(5, 1_800)), server, pid, Sshd.Disconnected(user, ip, port)));
    }

    /// <summary>A routine ET POLICY / ET INFO alert (severity 3) for ordinary outbound traffic.</summary>
    public static void BenignIdsAlert(World world, long start)
    {
        var dice = world.Dice;
        var client = world.AnyEmployee().Workstation;
        var site = dice.Pick(world.Internet.Sites);
        var ticks = start + (dice.Below(1000) * TimeSpan.TicksPerMicrosecond);
        world.Add(new SuricataAlert(ticks, world.Estate.Sensor, dice.FlowId(), client.Ip, dice.Port(), site.Ip, dice.Pick(Signatures.Benign)));
    }

    /// <summary>
    /// The scheduled vulnerability scan: ET SCAN alerts (severity 2) from the scanner against many hosts, and a few
    /// failed SSH logins (at most six) against each Linux server, all within a 20–40 minute window.
    /// </summary>
    public static void ScannerWindow(World world, int alerts)
    {
        var dice = world.Dice;
        var estate = world.Estate;
        var scanner = estate.Scanner;
        var timeline = world.Timeline;
        var start = timeline.At(0.05 + (dice.Fraction() * 0.5));
        var length = Minutes(dice.Between(20, 40));
        for (var i = 0; i < alerts; i++)
        {
            var target = dice.Chance(0.5) ? dice.Pick(estate.Employees).Workstation : dice.Pick(estate.Servers);
            var ticks = start + (long)(dice.Fraction() * length / TimeSpan.TicksPerMicrosecond) * TimeSpan.TicksPerMicrosecond;
            world.Add(new SuricataAlert(ticks, estate.Sensor, dice.FlowId(), scanner.Ip, dice.Port(), target.Ip, dice.Pick(Signatures.Scan)));
        }
        foreach (var server in estate.LinuxServers)
        {
            var ticks = start + (long)(dice.Fraction() * (length - Minutes(5)));
            var guesses = dice.Between(3, ScannerGuessesPerServer);
            for (var i = 0; i < guesses; i++)
            {
                ticks = Sshd.FailedConnection(world, server, scanner.Ip, ScannerGuesses[i], failures: 1, ticks, Ms(dice.Between(200, 2_000)));
            }
        }
    }

    /// <summary>A stable key fingerprint per user, shaped as OpenSSH prints it (unpadded base64 of a SHA-256).</summary>
    private static string Fingerprint(string user) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("ssh-ed25519:" + user))).TrimEnd('=');
}
