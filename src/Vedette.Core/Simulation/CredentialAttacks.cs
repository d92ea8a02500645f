using Vedette.Domain;
using static Vedette.Simulation.Durations;

namespace Vedette.Simulation;

/// <summary>The password-guessing scenarios: SSH brute force from the internet, password spraying from inside, RDP brute force.</summary>
internal static class CredentialAttacks
{
    private const string SprayCommandLine =
        @"powershell.exe -ep bypass -c ""Import-Module C:\Users\Public\DomainPasswordSpray.ps1; Invoke-DomainPasswordSpray -Password 'Autumn2026!' -Force""";

    private static readonly IReadOnlyList<string> AttackerMachineNames = ["kali", "WIN-Q7K2M9P4L1R", "DESKTOP-8F3JQ2A", "-"];

    /// <summary>
    /// One internet address guesses 40–150 passwords against one Linux server within 5–10 minutes, a few guesses per
    /// connection, mixing real accounts (root) with invalid ones. Each instance has its own address and server.
    /// </summary>
    public static IReadOnlyList<Observable> SshBruteForce(World world, long start, int instance)
    {
        var dice = world.Dice;
        var target = world.Claim(world.Estate.LinuxServers);
        var attacker = world.Adversary.SshAttackers[instance];
        var failures = dice.Between(40, 150);
        var gap = Ms(dice.Between(280_000, 540_000) / failures);
        var ticks = start;
        var done = 0;
        while (done < failures)
        {
            var guesses = Math.Min(dice.Between(1, 3), failures - done);
            ticks = Sshd.FailedConnection(world, target, attacker, dice.Pick(Names.SshGuesses), guesses, ticks, gap);
            done += guesses;
        }
        return [Entity.Ip(attacker), Entity.Host(target)];
    }

    /// <summary>
    /// On a compromised workstation the attacker starts a spraying script (Sysmon 1), which tries one or two common
    /// passwords against 30–60 real accounts within about ten minutes; DC01 logs each as 4625 (network logon, bad
    /// password), and some as 4771 (Kerberos pre-authentication failed). Each instance starts from its own workstation.
    /// </summary>
    public static IReadOnlyList<Observable> PasswordSpraying(World world, long start, int instance)
    {
        var dice = world.Dice;
        var victim = world.ClaimEmployee();
        var source = victim.Workstation;
        var dc = world.Estate.DomainControllers[0];
        var script = world.Process(
            Programs.PowerShellImage, SprayCommandLine, @"C:\Users\Public\", victim.User.Qualified, "Medium", Programs.PowerShell.Hashes,
            Programs.CmdImage, Programs.CmdCommandLine);
        world.Started(start, source, script, audited: true);
        var accounts = world.Estate.Employees.Select(static e => e.User).ToList();
        dice.Shuffle(accounts);
        // A small organisation has fewer accounts than the script would try: it sprays them all.
        var count = Math.Min(dice.Between(30, 60), accounts.Count);
        var gap = Ms(dice.Between(300_000, 570_000) / count);
        var ticks = start + Seconds(dice.Between(2, 6));
        for (var i = 0; i < count; i++)
        {
            var account = accounts[i].SamName;
            var tries = dice.Chance(0.25) ? 2 : 1;
            for (var attempt = 0; attempt < tries; attempt++)
            {
                ticks += Ms(dice.Between(50, 400));
                world.Add(new SecurityLogonFailure(ticks, dc, Logon.Ntlm(account, source, dice.Port()), LogonFailure.BadPassword));
                if (dice.Chance(0.3))
                {
                    world.Add(new SecurityKerberos(ticks + Ms(3), dc, KerberosEvent.PreAuthenticationFailed, account, source, "krbtgt", dice.Port()));
                }
            }
            ticks += gap;
        }
        return [Entity.Ip(source.Ip), Entity.Host(source)];
    }

    /// <summary>
    /// One internet address makes 20–60 RDP logon attempts (4625, LogonType 10) against the built-in administrator of a
    /// server within five minutes. Each instance has its own address and server: the RDS server, then the jump server
    /// (the ones exposed to the internet), then any server whose RDP was exposed by mistake. Every instance tries the
    /// built-in administrator, as RDP brute-forcers do.
    /// </summary>
    public static IReadOnlyList<Observable> WindowsBruteForce(World world, long start, int instance)
    {
        var dice = world.Dice;
        var estate = world.Estate;
        var target = world.TryClaim(estate.RemoteDesktopServer) ? estate.RemoteDesktopServer
            : world.TryClaim(estate.JumpServer) ? estate.JumpServer
            : world.Claim(estate.Servers);
        var account = estate.BuiltinAdministrator;
        var attacker = world.Adversary.RdpAttackers[instance];
        var machine = dice.Pick(AttackerMachineNames);
        var attempts = dice.Between(20, 60);
        var gap = Ms(dice.Between(120_000, 290_000) / attempts);
        var ticks = start;
        for (var i = 0; i < attempts; i++)
        {
            world.Add(new SecurityLogonFailure(ticks, target, Logon.RemoteInteractive(account.SamName, attacker, dice.Port(), machine), LogonFailure.BadPassword));
            ticks += gap + Ms(dice.Between(0, 400));
        }
        return [Entity.User(account), Entity.Ip(attacker), Entity.Host(target)];
    }
}
