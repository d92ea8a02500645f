using System.Globalization;
using Vedette.Domain;
using static Vedette.Simulation.Durations;

namespace Vedette.Simulation;

/// <summary>Hands-on-keyboard scenarios on Windows servers: remote service execution with stolen admin credentials, and a backdoor local admin.</summary>
internal static class IntrusionScenarios
{
    private const string PsExecServiceImage = @"C:\Windows\PSEXESVC.exe";
    private const string SystemTemp = @"C:\Windows\TEMP\";

    /// <summary>
    /// From compromised workstation A, a stolen admin account runs a command on server B through a service: PsExec
    /// (PSEXESVC) or, in a third of the seeds, an Impacket smbexec-style random service running cmd via a batch file.
    /// A logs 4648; B logs the network logon (4624 type 3), the service install (7045) and the processes (Sysmon 1).
    /// Each instance has its own workstation, server and admin account.
    /// </summary>
    public static IReadOnlyList<Observable> LateralMovement(World world, long start, int instance)
    {
        var dice = world.Dice;
        var source = world.ClaimEmployee();
        var a = source.Workstation;
        var b = world.Claim(world.Estate.Servers);
        var admin = world.ClaimAdmin().AdminAccount!;
        var impacket = dice.Chance(1.0 / 3);
        var tools = source.User.Profile + @"\AppData\Local\Temp\";

        var toolImage = tools + (impacket ? "smbexec.exe" : "PsExec64.exe");
        var toolCommandLine = impacket
            ? $"smbexec.exe {Organisation.NetbiosDomain}/{admin.SamName}@{b.Name}"
            : $@"PsExec64.exe \\{b.Name} -accepteula -u {admin.Qualified} cmd.exe /c ""whoami & hostname""";
        var tool = world.Process(
            toolImage, toolCommandLine, tools, source.User.Qualified, "Medium", ProcessTemplate.FakeHashes(toolImage), Programs.CmdImage, Programs.CmdCommandLine);
        world.Started(start, a, tool, audited: false);

        var ticks = start + Ms(dice.Between(300, 900));
        world.Add(new SecurityExplicitCredentials(ticks, a, source.User.SamName, admin.SamName, b.Name, b.Ip, toolImage));
        ticks += Ms(dice.Between(50, 300));
        world.Add(new SecurityLogon(ticks, b, Logon.Ntlm(admin.SamName, a, dice.Port())));
        ticks += Ms(dice.Between(400, 1_200));
        if (impacket)
        {
            SmbExec(world, b, ticks);
        }
        else
        {
            PsExec(world, b, admin, ticks);
        }
        return [Entity.Host(a), Entity.Host(b), Entity.User(admin)];
    }

    private static void PsExec(World world, OrganisationHost server, OrganisationUser admin, long ticks)
    {
        var dice = world.Dice;
        world.Add(new SystemServiceInstalled(ticks, server, "PSEXESVC", @"%SystemRoot%\PSEXESVC.exe", "demand start"));
        ticks += Ms(dice.Between(100, 400));
        var service = world.Process(
            PsExecServiceImage, PsExecServiceImage, @"C:\Windows\system32\", SimProcess.SystemUser, "System",
            ProcessTemplate.FakeHashes(PsExecServiceImage), Programs.ServicesImage, Programs.ServicesCommandLine);
        world.Started(ticks, server, service, audited: true);
        ticks += Ms(dice.Between(200, 600));
        var shell = world.Process(
            Programs.CmdImage, "cmd.exe /c \"whoami & hostname\"", @"C:\Windows\system32\", admin.Qualified, "High", Programs.Cmd.Hashes,
            PsExecServiceImage, PsExecServiceImage);
        world.Started(ticks, server, shell, audited: true);
        ticks += Ms(dice.Between(20, 80));
        world.Started(ticks, server, Child(world, shell, Programs.Whoami, "whoami"), audited: true);
        ticks += Ms(dice.Between(20, 80));
        world.Started(ticks, server, Child(world, shell, Programs.Hostname, "hostname"), audited: true);
    }

    /// <summary>Impacket smbexec: a random eight-letter service whose ImagePath is the command, echoed into a batch file and run.</summary>
    private static void SmbExec(World world, OrganisationHost server, long ticks)
    {
        var dice = world.Dice;
        Span<char> letters = stackalloc char[8];
        for (var i = 0; i < letters.Length; i++)
        {
            letters[i] = (char)('A' + dice.Below(26));
        }
        var output = string.Create(CultureInfo.InvariantCulture, $"__{(ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond}.{dice.Between(100, 999)}");
        var imagePath = $@"%COMSPEC% /Q /c echo whoami ^> \\127.0.0.1\ADMIN$\{output} 2^>^&1 > %TEMP%\execute.bat & %COMSPEC% /Q /c %TEMP%\execute.bat & del %TEMP%\execute.bat";
        world.Add(new SystemServiceInstalled(ticks, server, new string(letters), imagePath, "demand start"));
        ticks += Ms(dice.Between(100, 400));
        var expanded = imagePath.Replace("%COMSPEC%", @"C:\Windows\system32\cmd.exe", StringComparison.Ordinal).Replace("%TEMP%\\", SystemTemp, StringComparison.Ordinal);
        var launcher = world.Process(
            Programs.CmdImage, expanded, @"C:\Windows\system32\", SimProcess.SystemUser, "System", Programs.Cmd.Hashes,
            Programs.ServicesImage, Programs.ServicesCommandLine);
        world.Started(ticks, server, launcher, audited: true);
        ticks += Ms(dice.Between(30, 120));
        var batch = world.Process(
            Programs.CmdImage, $@"C:\Windows\system32\cmd.exe /Q /c {SystemTemp}execute.bat", @"C:\Windows\system32\", SimProcess.SystemUser, "System",
            Programs.Cmd.Hashes, launcher.Image, launcher.CommandLine);
        world.Started(ticks, server, batch, audited: true);
        ticks += Ms(dice.Between(20, 80));
        world.Started(ticks, server, Child(world, batch, Programs.Whoami, "whoami"), audited: true);
    }

    /// <summary>
    /// An admin logs on to a server over RDP and, within a minute or two, creates a local account (4720) and adds it to
    /// the local Administrators group (4732), typing the net commands that Sysmon also records. Each instance has its own
    /// server, admin account and backdoor name.
    /// </summary>
    public static IReadOnlyList<Observable> NewLocalAdmin(World world, long start, int instance)
    {
        var dice = world.Dice;
        var server = world.Claim(world.Estate.Servers);
        var admin = world.ClaimAdmin();
        var account = admin.AdminAccount!;
        // The first instance draws from the original names, as it always has.
        var backdoor = world.ClaimName(instance == 0 ? Names.BackdoorAccounts : Names.AllBackdoorAccounts);
        var sid = string.Create(
            CultureInfo.InvariantCulture,
            $"S-1-5-21-{dice.Between(1_000_000_000, 2_000_000_000)}-{dice.Between(1_000_000_000, 2_000_000_000)}-{dice.Between(100_000_000, 999_999_999)}-{dice.Between(1001, 1012)}");

        world.Add(new SecurityLogon(start, server, Logon.RemoteInteractive(account.SamName, admin.Workstation.Ip, dice.Port(), admin.Workstation.ShortName)));
        var ticks = start + Seconds(dice.Between(30, 90));
        var shell = world.Launch(Programs.Cmd, account);
        world.Started(ticks, server, shell, audited: true);

        ticks += Seconds(dice.Between(5, 20));
        world.Started(ticks, server, Net(world, account, $"net user {backdoor} Winter2026! /add"), audited: true);
        world.Add(new SecurityUserCreated(ticks + Ms(dice.Between(20, 120)), server, account.SamName, backdoor, sid));

        ticks += Seconds(dice.Between(10, 45));
        world.Started(ticks, server, Net(world, account, $"net localgroup Administrators {backdoor} /add"), audited: true);
        world.Add(new SecurityAdministratorsMemberAdded(ticks + Ms(dice.Between(20, 120)), server, account.SamName, sid));

        return [Entity.Host(server), Entity.User(account), Entity.User(backdoor)];
    }

    private static SimProcess Net(World world, OrganisationUser admin, string commandLine) =>
        world.Process(
            Programs.Net.Image, commandLine, @"C:\Windows\system32\", admin.Qualified, "High", Programs.Net.Hashes,
            Programs.CmdImage, Programs.Cmd.CommandLine);

    private static SimProcess Child(World world, SimProcess parent, ProcessTemplate program, string commandLine) =>
        world.Process(
            program.Image, commandLine, parent.CurrentDirectory, parent.User, parent.IntegrityLevel, program.Hashes, parent.Image, parent.CommandLine);
}
