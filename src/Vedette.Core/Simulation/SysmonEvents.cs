namespace Vedette.Simulation;

/// <summary>One running process, shared by every event about it so that its id, guid and image agree across events.</summary>
internal sealed record SimProcess(
    string Image,
    string CommandLine,
    string CurrentDirectory,
    string User,
    string IntegrityLevel,
    string Hashes,
    string ParentImage,
    string ParentCommandLine,
    int ProcessId,
    Guid ProcessGuid)
{
    public const string SystemUser = @"NT AUTHORITY\SYSTEM";

    public bool IsSystem => User == SystemUser;

    /// <summary>The account name without its domain, as the Security log's SubjectUserName holds it.</summary>
    public ReadOnlySpan<char> AccountName => User.AsSpan(User.IndexOf('\\') + 1);
}

/// <summary>Sysmon event 1, process creation.</summary>
internal sealed class SysmonProcessCreate(long ticks, OrganisationHost host, SimProcess process) : SimEvent(ticks)
{
    public override void Write(EventWriter writer)
    {
        writer.StartSysmon(Ticks, 1, host, process);
        writer.Field("CommandLine"u8, process.CommandLine);
        writer.Field("CurrentDirectory"u8, process.CurrentDirectory);
        writer.Field("User"u8, process.User);
        writer.Field("IntegrityLevel"u8, process.IntegrityLevel);
        writer.Field("Hashes"u8, process.Hashes);
        writer.Field("ParentImage"u8, process.ParentImage);
        writer.Field("ParentCommandLine"u8, process.ParentCommandLine);
        writer.End();
    }
}

/// <summary>Sysmon event 3, an outbound TCP connection made by the process.</summary>
internal sealed class SysmonNetworkConnect(
    long ticks,
    OrganisationHost host,
    SimProcess process,
    string destinationIp,
    string destinationHostname,
    int destinationPort,
    int sourcePort) : SimEvent(ticks)
{
    public override void Write(EventWriter writer)
    {
        writer.StartSysmon(Ticks, 3, host, process);
        writer.Field("User"u8, process.User);
        writer.Field("Protocol"u8, "tcp"u8);
        writer.Field("Initiated"u8, "true"u8);
        writer.Field("SourceIp"u8, host.Ip);
        writer.Digits("SourcePort"u8, sourcePort);
        writer.Field("DestinationIp"u8, destinationIp);
        writer.Field("DestinationHostname"u8, destinationHostname);
        writer.Digits("DestinationPort"u8, destinationPort);
        writer.End();
    }
}

/// <summary>Sysmon event 11, a file created by the process.</summary>
internal sealed class SysmonFileCreate(long ticks, OrganisationHost host, SimProcess process, string targetFilename) : SimEvent(ticks)
{
    public override void Write(EventWriter writer)
    {
        writer.StartSysmon(Ticks, 11, host, process);
        writer.Field("TargetFilename"u8, targetFilename);
        writer.Field("User"u8, process.User);
        writer.End();
    }
}

/// <summary>Sysmon event 22, a DNS query made by the process, answered.</summary>
internal sealed class SysmonDnsQuery(long ticks, OrganisationHost host, SimProcess process, string queryName, string queryResults) : SimEvent(ticks)
{
    public override void Write(EventWriter writer)
    {
        writer.StartSysmon(Ticks, 22, host, process);
        writer.Field("QueryName"u8, queryName);
        writer.Field("QueryStatus"u8, "0"u8);
        writer.Field("QueryResults"u8, queryResults);
        writer.Field("User"u8, process.User);
        writer.End();
    }
}
