using System.Security.Cryptography;
using System.Text;

namespace Vedette.Simulation;

internal enum RunAs
{
    User,
    System,
}

/// <summary>A program as the endpoints run it: where it lives, how it is usually started, and by what.</summary>
internal sealed record ProcessTemplate(string Image, string CommandLine, string CurrentDirectory, string ParentImage, string ParentCommandLine, RunAs RunAs)
{
    /// <summary>Derived from the image path, so a program has one hash on every host and in every run, as a real binary does.</summary>
    public string Hashes { get; } = FakeHashes(Image);

    public static string FakeHashes(string image)
    {
        var sha256 = SHA256.HashData(Encoding.UTF8.GetBytes("sha256:" + image));
        var md5 = SHA256.HashData(Encoding.UTF8.GetBytes("md5:" + image));
        return $"MD5={Convert.ToHexString(md5, 0, 16)},SHA256={Convert.ToHexString(sha256)}";
    }
}

/// <summary>The programs of the simulated estate, and the benign PowerShell its administrators and agents run.</summary>
internal static class Programs
{
    public const string System32 = @"C:\Windows\System32\";
    public const string PowerShellImage = @"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe";
    public const string CmdImage = @"C:\Windows\System32\cmd.exe";
    public const string CmdCommandLine = "\"C:\\Windows\\system32\\cmd.exe\"";
    public const string ServicesImage = @"C:\Windows\System32\services.exe";
    public const string ServicesCommandLine = @"C:\Windows\system32\services.exe";
    public const string ExplorerImage = @"C:\Windows\explorer.exe";
    public const string ExplorerCommandLine = @"C:\Windows\Explorer.EXE";
    public const string AgentImage = @"C:\Program Files\ManageAgent\agent.exe";

    /// <summary>The inventory script IT runs by hand and from a scheduled task: bypasses policy, reads from a share, is benign.</summary>
    public const string InventoryCommandLine = @"powershell.exe -NoProfile -ExecutionPolicy Bypass -File \\srv-fs01\it$\inventory.ps1";

    private const string ChromeImage = @"C:\Program Files\Google\Chrome\Application\chrome.exe";
    private const string EdgeImage = @"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe";
    private const string ScheduleImage = @"C:\Windows\System32\svchost.exe";
    private const string ScheduleCommandLine = @"C:\Windows\system32\svchost.exe -k netsvcs -p -s Schedule";
    private const string DcomLaunchCommandLine = @"C:\Windows\system32\svchost.exe -k DcomLaunch -p";
    private const string Office = @"C:\Program Files\Microsoft Office\root\Office16\";

    public static ProcessTemplate Chrome { get; } = UserApp(ChromeImage, @"C:\Program Files\Google\Chrome\Application\");

    public static ProcessTemplate Edge { get; } = UserApp(EdgeImage, @"C:\Program Files (x86)\Microsoft\Edge\Application\");

    public static ProcessTemplate Outlook { get; } = UserApp(Office + "OUTLOOK.EXE", Office);

    public static ProcessTemplate Excel { get; } = UserApp(Office + "EXCEL.EXE", Office);

    public static ProcessTemplate PowerShell { get; } = new(PowerShellImage, "powershell.exe", @"C:\Windows\system32\", ExplorerImage, ExplorerCommandLine, RunAs.User);

    public static ProcessTemplate Cmd { get; } = new(CmdImage, CmdCommandLine, @"C:\Windows\system32\", ExplorerImage, ExplorerCommandLine, RunAs.User);

    public static ProcessTemplate Mshta { get; } = new(System32 + "mshta.exe", "mshta.exe", @"C:\Windows\system32\", ExplorerImage, ExplorerCommandLine, RunAs.User);

    public static ProcessTemplate Net { get; } = new(System32 + "net.exe", "net.exe", @"C:\Windows\system32\", CmdImage, CmdCommandLine, RunAs.User);

    public static ProcessTemplate Whoami { get; } = new(System32 + "whoami.exe", "whoami", @"C:\Windows\system32\", CmdImage, "cmd.exe", RunAs.User);

    public static ProcessTemplate Hostname { get; } = new(System32 + "HOSTNAME.EXE", "hostname", @"C:\Windows\system32\", CmdImage, "cmd.exe", RunAs.User);

    public static ProcessTemplate FabrikamUpdater { get; } = new(
        @"C:\Program Files\Fabrikam\Agent\updater.exe", "\"C:\\Program Files\\Fabrikam\\Agent\\updater.exe\" --check", @"C:\Program Files\Fabrikam\Agent\",
        ServicesImage, ServicesCommandLine, RunAs.System);

    public static ProcessTemplate GoogleUpdate { get; } = new(
        @"C:\Program Files (x86)\Google\Update\GoogleUpdate.exe", "\"C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe\" /ua /installsource scheduler",
        @"C:\Program Files (x86)\Google\Update\", ScheduleImage, ScheduleCommandLine, RunAs.System);

    public static Weighted<ProcessTemplate> Workstation { get; } = new(
        (Chrome, 14),
        (new ProcessTemplate(ChromeImage, "\"" + ChromeImage + "\" --type=renderer --lang=en-US --renderer-client-id=7", @"C:\Program Files\Google\Chrome\Application\", ChromeImage, "\"" + ChromeImage + "\"", RunAs.User), 18),
        (Edge, 8),
        (new ProcessTemplate(EdgeImage, "\"" + EdgeImage + "\" --type=renderer --lang=en-US", @"C:\Program Files (x86)\Microsoft\Edge\Application\", EdgeImage, "\"" + EdgeImage + "\"", RunAs.User), 8),
        (Outlook, 6),
        (Excel, 6),
        (UserApp(Office + "WINWORD.EXE", Office), 5),
        (UserApp(Office + "POWERPNT.EXE", Office), 2),
        (UserApp(@"C:\Program Files\WindowsApps\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\ms-teams.exe", @"C:\Program Files\WindowsApps\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\"), 6),
        (new ProcessTemplate(@"C:\Program Files\Microsoft OneDrive\OneDrive.exe", "\"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe\" /background", @"C:\Program Files\Microsoft OneDrive\", ExplorerImage, ExplorerCommandLine, RunAs.User), 3),
        (UserApp(System32 + "notepad.exe", @"C:\Windows\system32\"), 2),
        (new ProcessTemplate(System32 + "backgroundTaskHost.exe", "\"C:\\Windows\\system32\\backgroundTaskHost.exe\" -ServerName:BackgroundTaskHost.WebAccountProvider", @"C:\Windows\system32\", ScheduleImage, DcomLaunchCommandLine, RunAs.User), 4),
        (new ProcessTemplate(System32 + "taskhostw.exe", "taskhostw.exe", @"C:\Windows\system32\", ScheduleImage, ScheduleCommandLine, RunAs.User), 3),
        (SystemService(@"C:\Windows\system32\svchost.exe -k netsvcs -p -s wuauserv"), 4),
        (SystemService(@"C:\Windows\system32\svchost.exe -k LocalServiceNetworkRestricted -p -s lmhosts"), 2),
        (new ProcessTemplate(System32 + "SearchProtocolHost.exe", "\"C:\\Windows\\system32\\SearchProtocolHost.exe\" Global\\UsGthrFltPipeMssGthrPipe5_ Global\\UsGthrCtrlFltPipeMssGthrPipe5 1 -2147483646 \"Software\\Microsoft\\Windows Search\"", @"C:\Windows\system32\", System32 + "SearchIndexer.exe", @"C:\Windows\system32\SearchIndexer.exe /Embedding", RunAs.System), 3),
        (new ProcessTemplate(@"C:\Program Files\Windows Defender\MpCmdRun.exe", "\"C:\\Program Files\\Windows Defender\\MpCmdRun.exe\" -SignatureUpdate -ScheduleJob -RestrictPrivileges", @"C:\Windows\system32\", ScheduleImage, ScheduleCommandLine, RunAs.System), 2),
        (GoogleUpdate, 1));

    public static Weighted<ProcessTemplate> Server { get; } = new(
        (SystemService(@"C:\Windows\system32\svchost.exe -k netsvcs -p -s Schedule"), 5),
        (SystemService(@"C:\Windows\system32\svchost.exe -k netsvcs -p -s wuauserv"), 3),
        (new ProcessTemplate(System32 + @"wbem\WmiPrvSE.exe", @"C:\Windows\system32\wbem\wmiprvse.exe -secured -Embedding", @"C:\Windows\system32\", ScheduleImage, DcomLaunchCommandLine, RunAs.System), 5),
        (new ProcessTemplate(@"C:\Windows\servicing\TrustedInstaller.exe", @"C:\Windows\servicing\TrustedInstaller.exe", @"C:\Windows\system32\", ServicesImage, ServicesCommandLine, RunAs.System), 1),
        (new ProcessTemplate(System32 + @"inetsrv\w3wp.exe", "c:\\windows\\system32\\inetsrv\\w3wp.exe -ap \"DefaultAppPool\" -v \"v4.0\" -l \"webengine4.dll\"", @"C:\Windows\system32\inetsrv\", ScheduleImage, @"C:\Windows\system32\svchost.exe -k iissvcs", RunAs.System), 3),
        (new ProcessTemplate(System32 + "conhost.exe", @"\??\C:\Windows\system32\conhost.exe 0xffffffff -ForceV1", @"C:\Windows\system32\", CmdImage, "C:\\Windows\\system32\\cmd.exe /c \"C:\\Scripts\\rotate-logs.cmd\"", RunAs.System), 2),
        (new ProcessTemplate(@"C:\Program Files\Windows Defender\MpCmdRun.exe", "\"C:\\Program Files\\Windows Defender\\MpCmdRun.exe\" -SignatureUpdate -ScheduleJob -RestrictPrivileges", @"C:\Windows\system32\", ScheduleImage, ScheduleCommandLine, RunAs.System), 2),
        (FabrikamUpdater, 1));

    /// <summary>What the management agent asks hosts, base64 of UTF-16LE as -EncodedCommand wants: harmless, but shaped like an attack.</summary>
    public static IReadOnlyList<string> AgentCommands { get; } =
    [
        .. ((string[])
        [
            "Get-Service | Where-Object Status -eq 'Stopped' | Select-Object -ExpandProperty Name",
            "Get-CimInstance Win32_OperatingSystem | Select-Object LastBootUpTime",
            "Get-HotFix | Sort-Object InstalledOn -Descending | Select-Object -First 5",
            "(Get-PSDrive C).Free",
        ]).Select(static command => Convert.ToBase64String(Encoding.Unicode.GetBytes(command))),
    ];

    private static ProcessTemplate UserApp(string image, string directory) =>
        new(image, "\"" + image + "\"", directory, ExplorerImage, ExplorerCommandLine, RunAs.User);

    private static ProcessTemplate SystemService(string commandLine) =>
        new(ScheduleImage, commandLine, @"C:\Windows\system32\", ServicesImage, ServicesCommandLine, RunAs.System);
}
