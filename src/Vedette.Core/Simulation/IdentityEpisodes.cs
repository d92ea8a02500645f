using static Vedette.Simulation.Durations;

namespace Vedette.Simulation;

/// <summary>Authentication as a working day produces it: morning logons, file-share access, services, admins, and human error.</summary>
internal static class IdentityEpisodes
{
    /// <summary>A user signs in at their workstation: a TGT from a DC (4768), the logon (4624 type 2, or 11 when cached), a service ticket (4769).</summary>
    public static void DomainLogon(World world, long start)
    {
        var dice = world.Dice;
        var employee = world.AnyEmployee();
        var host = employee.Workstation;
        var sam = employee.User.SamName;
        var dc = dice.Pick(world.Estate.DomainControllers);
        world.Add(new SecurityKerberos(start, dc, KerberosEvent.TicketGranted, sam, host, "krbtgt", dice.Port()));
        var logon = dice.Chance(0.8) ? Logon.Interactive(sam, host) : Logon.CachedInteractive(sam, host);
        world.Add(new SecurityLogon(start + Ms(dice.Between(150, 600)), host, logon));
        world.Add(new SecurityKerberos(start + Ms(dice.Between(700, 1_500)), dc, KerberosEvent.ServiceTicket, sam, host, host.MachineAccount, dice.Port()));
    }

    /// <summary>A user opens a share on a server: a Kerberos service ticket (4769) or NTLM validation (4776) on a DC, then 4624 type 3 on the server.</summary>
    public static void ShareAccess(World world, long start)
    {
        var dice = world.Dice;
        var estate = world.Estate;
        var employee = world.AnyEmployee();
        var client = employee.Workstation;
        var sam = employee.User.SamName;
        var server = dice.Chance(0.6) ? estate.FileServer : dice.Pick(estate.Servers);
        var dc = dice.Pick(estate.DomainControllers);
        if (dice.Chance(0.8))
        {
            world.Add(new SecurityKerberos(start, dc, KerberosEvent.ServiceTicket, sam, client, server.MachineAccount, dice.Port()));
            world.Add(new SecurityLogon(start + Ms(dice.Between(20, 200)), server, Logon.Kerberos(sam, client, dice.Port())));
            return;
        }
        world.Add(new SecurityNtlmValidation(start, dc, sam, client, success: true));
        world.Add(new SecurityLogon(start + Ms(dice.Between(20, 200)), server, Logon.Ntlm(sam, client, dice.Port())));
    }

    /// <summary>A service starts under its service account (4624 type 5).</summary>
    public static void ServiceLogon(World world, long start)
    {
        var dice = world.Dice;
        var account = dice.Pick(world.Estate.ServiceAccounts);
        world.Add(new SecurityLogon(start, dice.Pick(world.Estate.Servers), Logon.Service(account.SamName)));
    }

    /// <summary>An admin connects over RDP from their workstation to a server (4624 type 10), often to the RDS or jump server.</summary>
    public static void AdminRemoteDesktop(World world, long start)
    {
        var dice = world.Dice;
        var estate = world.Estate;
        var admin = dice.Pick(estate.Admins);
        var server = dice.Below(3) switch
        {
            0 => estate.RemoteDesktopServer,
            1 => estate.JumpServer,
            _ => dice.Pick(estate.Servers),
        };
        var logon = Logon.RemoteInteractive(admin.AdminAccount!.SamName, admin.Workstation.Ip, dice.Port(), admin.Workstation.ShortName);
        world.Add(new SecurityLogon(start, server, logon));
    }

    /// <summary>An admin uses their admin account from their everyday session (4648): runas locally, or an MMC snap-in against a server.</summary>
    public static void ExplicitCredentials(World world, long start)
    {
        var dice = world.Dice;
        var admin = dice.Pick(world.Estate.Admins);
        var host = admin.Workstation;
        if (dice.Chance(0.5))
        {
            world.Add(new SecurityExplicitCredentials(start, host, admin.User.SamName, admin.AdminAccount!.SamName, "localhost", "::1", @"C:\Windows\System32\svchost.exe"));
            return;
        }
        var server = dice.Pick(world.Estate.Servers);
        world.Add(new SecurityExplicitCredentials(start, host, admin.User.SamName, admin.AdminAccount!.SamName, server.Name, server.Ip, @"C:\Windows\System32\mmc.exe"));
    }

    /// <summary>
    /// A user mistypes their password one to three times at their workstation (4625 bad password there, 4771 on a DC),
    /// then gets it right (4624): the same user and workstation throughout.
    /// </summary>
    public static void MistypedPassword(World world, long start)
    {
        var dice = world.Dice;
        var employee = world.AnyEmployee();
        var host = employee.Workstation;
        var sam = employee.User.SamName;
        var dc = dice.Pick(world.Estate.DomainControllers);
        var failures = dice.Between(1, 3);
        var ticks = start;
        for (var i = 0; i < failures; i++)
        {
            world.Add(new SecurityKerberos(ticks, dc, KerberosEvent.PreAuthenticationFailed, sam, host, "krbtgt", dice.Port()));
            world.Add(new SecurityLogonFailure(ticks + Ms(dice.Between(5, 40)), host, Logon.Interactive(sam, host), LogonFailure.BadPassword));
            ticks += Seconds(dice.Between(4, 15));
        }
        world.Add(new SecurityLogon(ticks, host, Logon.Interactive(sam, host)));
    }

    /// <summary>A departed user's disabled account, or an active user's expired password, fails once on a DC from some workstation.</summary>
    public static void DisabledAccount(World world, long start)
    {
        var dice = world.Dice;
        var estate = world.Estate;
        var client = world.AnyEmployee().Workstation;
        var dc = dice.Pick(estate.DomainControllers);
        var (user, failure) = dice.Below(3) switch
        {
            0 => (dice.Pick(estate.DisabledUsers).SamName, LogonFailure.AccountDisabled),
            1 => (dice.Pick(estate.DisabledUsers).SamName, LogonFailure.AccountExpired),
            _ => (world.AnyEmployee().User.SamName, LogonFailure.PasswordExpired),
        };
        world.Add(new SecurityLogonFailure(start, dc, Logon.Ntlm(user, client, dice.Port()), failure));
    }
}
