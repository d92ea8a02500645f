using static Vedette.Simulation.Durations;

namespace Vedette.Simulation;

/// <summary>What people and agents do on Windows endpoints: browse, start programs, save files, update software, administer.</summary>
internal static class EndpointEpisodes
{
    private const string FabrikamUserAgent = "FabrikamUpdater/4.2 (Windows NT 10.0; Win64; x64)";
    private const string GoogleUpdateUserAgent = "Google Update/1.3.36.372;winhttp";

    /// <summary>Name lookup (Sysmon 22 and the DNS server), the browser's connection (Sysmon 3), then one to three proxied requests.</summary>
    public static void Browse(World world, long start)
    {
        var dice = world.Dice;
        var employee = world.AnyEmployee();
        var host = employee.Workstation;
        var site = dice.Pick(world.Internet.Sites);
        var edge = dice.Chance(0.4);
        var browser = world.Launch(edge ? Programs.Edge : Programs.Chrome, employee.User);
        world.Resolved(start, host, browser, site);
        world.Add(new SysmonNetworkConnect(start + Ms(dice.Between(20, 200)), host, browser, site.Ip, site.Domain, 443, dice.Port()));
        var ticks = start + Ms(dice.Between(220, 500));
        var requests = dice.Between(1, 3);
        for (var i = 0; i < requests; i++)
        {
            var resource = dice.Pick(site.Resources);
            var status = resource.Extension.Length == 0 ? 200 : dice.Chance(0.8) ? 200 : 304;
            world.Proxied(ticks, new ProxyRequest(
                host.Ip, employee.User.SamName, "GET", resource.Url, site.Domain, resource.Extension, edge ? World.EdgeUserAgent : World.ChromeUserAgent,
                status, dice.Between(380, 2_200), site.Ip));
            ticks += Ms(dice.Between(20, 900));
        }
    }

    /// <summary>A program starts on a workstation or server (Sysmon 1), half the time also audited as 4688.</summary>
    public static void ProcessLaunch(World world, long start)
    {
        var dice = world.Dice;
        if (dice.Chance(0.85))
        {
            var employee = world.AnyEmployee();
            world.Started(start, employee.Workstation, world.Launch(Programs.Workstation.Pick(dice), employee.User), audited: dice.Chance(0.5));
            return;
        }
        var server = dice.Pick(world.Estate.Servers);
        world.Started(start, server, world.Launch(Programs.Server.Pick(dice), user: null), audited: dice.Chance(0.5));
    }

    /// <summary>A file saved by a browser or Outlook (Sysmon 11): downloads and attachments, some of them named like invoices.</summary>
    public static void FileCreate(World world, long start)
    {
        var dice = world.Dice;
        var employee = world.AnyEmployee();
        var user = employee.User;
        var document = dice.Pick(Names.Documents);
        var (program, path) = dice.Below(3) switch
        {
            0 => (Programs.Chrome, $@"{user.Profile}\Downloads\{document}"),
            1 => (Programs.Outlook, $@"{user.Profile}\AppData\Local\Microsoft\Windows\INetCache\Content.Outlook\{dice.Hex(8)}\{document}"),
            _ => (Programs.Excel, $@"{user.Profile}\Documents\{document}"),
        };
        world.Add(new SysmonFileCreate(start, employee.Workstation, world.Launch(program, user), path));
    }

    /// <summary>
    /// An updater fetches an .msi or .exe through the proxy from its vendor and saves it: executable downloads that are benign
    /// because of who fetches them, from where, and with what user agent.
    /// </summary>
    public static void SoftwareUpdate(World world, long start)
    {
        var dice = world.Dice;
        var internet = world.Internet;
        var host = world.AnyEmployee().Workstation;
        var fabrikam = dice.Chance(0.6);
        var (site, resource, program, userAgent) = fabrikam
            ? (internet.Vendor, dice.Pick(internet.VendorDownloads), Programs.FabrikamUpdater, FabrikamUserAgent)
            : (internet.ChromeUpdates, internet.ChromeInstaller, Programs.GoogleUpdate, GoogleUpdateUserAgent);
        world.Proxied(start, new ProxyRequest(
            host.Ip, "-", "GET", resource.Url, site.Domain, resource.Extension, userAgent, 200, dice.Between(300, 600), site.Ip));
        var file = resource.Url[(resource.Url.LastIndexOf('/') + 1)..];
        var folder = fabrikam ? @"C:\ProgramData\Fabrikam\Updates\" : @"C:\Program Files (x86)\Google\Update\Download\";
        world.Add(new SysmonFileCreate(start + Seconds(dice.Between(2, 20)), host, world.Launch(program, user: null), folder + file));
    }

    /// <summary>An administrator runs IT's inventory script, by hand from cmd or from a scheduled task: policy bypass that is benign.</summary>
    public static void AdminPowerShell(World world, long start)
    {
        var dice = world.Dice;
        var admin = dice.Pick(world.Estate.Admins);
        var account = admin.AdminAccount!;
        var host = dice.Chance(0.5) ? admin.Workstation : dice.Pick(world.Estate.Servers);
        var (parent, parentCommandLine) = dice.Chance(0.6)
            ? (Programs.CmdImage, Programs.CmdCommandLine)
            : (@"C:\Windows\System32\svchost.exe", @"C:\Windows\system32\svchost.exe -k netsvcs -p -s Schedule");
        var process = world.Process(
            Programs.PowerShellImage, Programs.InventoryCommandLine, @"C:\Windows\system32\", account.Qualified, "High", Programs.PowerShell.Hashes,
            parent, parentCommandLine);
        world.Started(start, host, process, audited: true);
    }

    /// <summary>The management agent asks a host a question with -EncodedCommand, as SYSTEM: encoded PowerShell that is benign.</summary>
    public static void AgentPowerShell(World world, long start)
    {
        var dice = world.Dice;
        var host = dice.Chance(0.7) ? world.AnyEmployee().Workstation : dice.Pick(world.Estate.Servers);
        var process = world.Process(
            Programs.PowerShellImage, "powershell.exe -NoProfile -NonInteractive -EncodedCommand " + dice.Pick(Programs.AgentCommands),
            @"C:\Windows\system32\", SimProcess.SystemUser, "System", Programs.PowerShell.Hashes, Programs.AgentImage,
            "\"C:\\Program Files\\ManageAgent\\agent.exe\" --service");
        world.Started(start, host, process, audited: dice.Chance(0.3));
    }

    /// <summary>The vendor agent's installer registers its updater service on a server (7045): a service install that is benign.</summary>
    public static void AgentServiceInstall(World world, long start)
    {
        var server = world.Dice.Pick(world.Estate.Servers);
        world.Add(new SystemServiceInstalled(
            start, server, "Fabrikam Agent Updater", "\"C:\\Program Files\\Fabrikam\\Agent\\updater.exe\" --service", "auto start"));
    }
}
