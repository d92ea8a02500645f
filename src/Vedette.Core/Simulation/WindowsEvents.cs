namespace Vedette.Simulation;

/// <summary>The fields 4624 and 4625 share: who logged on, how, and from where.</summary>
internal sealed record Logon(string User, string LogonType, string IpAddress, int IpPort, string Workstation, string LogonProcess, string AuthenticationPackage)
{
    public static Logon Interactive(string user, OrganisationHost host) =>
        new(user, "2", "127.0.0.1", 0, host.ShortName, "User32 ", "Negotiate");

    public static Logon CachedInteractive(string user, OrganisationHost host) =>
        new(user, "11", "127.0.0.1", 0, host.ShortName, "User32 ", "Negotiate");

    public static Logon Kerberos(string user, OrganisationHost client, int port) =>
        new(user, "3", client.Ip, port, "-", "Kerberos", "Kerberos");

    public static Logon Ntlm(string user, OrganisationHost client, int port) =>
        new(user, "3", client.Ip, port, client.ShortName, "NtLmSsp ", "NTLM");

    public static Logon RemoteInteractive(string user, string ip, int port, string workstation) =>
        new(user, "10", ip, port, workstation, "User32 ", "Negotiate");

    public static Logon Service(string user) => new(user, "5", "-", -1, "-", "Advapi  ", "Negotiate");

    public void WriteFields(EventWriter writer)
    {
        writer.Field("SubjectUserName"u8, "-"u8);
        writer.Field("TargetUserName"u8, User);
        writer.Field("TargetDomainName"u8, Organisation.NetbiosDomain);
        writer.Field("LogonType"u8, LogonType);
        writer.Field("IpAddress"u8, IpAddress);
        writer.Port("IpPort"u8, IpPort);
        writer.Field("WorkstationName"u8, Workstation);
        writer.Field("LogonProcessName"u8, LogonProcess);
        writer.Field("AuthenticationPackageName"u8, AuthenticationPackage);
    }
}

/// <summary>Why a logon failed, in the codes 4625 carries.</summary>
internal sealed record LogonFailure(string Status, string SubStatus, string FailureReason)
{
    public static LogonFailure BadPassword { get; } = new("0xc000006d", "0xc000006a", "%%2313");

    public static LogonFailure NoSuchUser { get; } = new("0xc000006d", "0xc0000064", "%%2313");

    public static LogonFailure AccountDisabled { get; } = new("0xc000006e", "0xc0000072", "%%2310");

    public static LogonFailure PasswordExpired { get; } = new("0xc000006e", "0xc0000071", "%%2309");

    public static LogonFailure AccountExpired { get; } = new("0xc000006e", "0xc0000193", "%%2305");
}

/// <summary>4624, an account logged on.</summary>
internal sealed class SecurityLogon(long ticks, OrganisationHost host, Logon logon) : SimEvent(ticks)
{
    public override void Write(EventWriter writer)
    {
        writer.StartWindows(Ticks, 4624, WindowsLog.Security, host);
        logon.WriteFields(writer);
        writer.End();
    }
}

/// <summary>4625, an account failed to log on.</summary>
internal sealed class SecurityLogonFailure(long ticks, OrganisationHost host, Logon logon, LogonFailure failure) : SimEvent(ticks)
{
    public override void Write(EventWriter writer)
    {
        writer.StartWindows(Ticks, 4625, WindowsLog.Security, host);
        logon.WriteFields(writer);
        writer.Field("Status"u8, failure.Status);
        writer.Field("SubStatus"u8, failure.SubStatus);
        writer.Field("FailureReason"u8, failure.FailureReason);
        writer.End();
    }
}

/// <summary>4648, a logon was attempted with explicit credentials (runas, PsExec -u, an MMC connecting as someone else).</summary>
internal sealed class SecurityExplicitCredentials(
    long ticks,
    OrganisationHost host,
    string subjectUser,
    string targetUser,
    string targetServer,
    string ipAddress,
    string processName) : SimEvent(ticks)
{
    public override void Write(EventWriter writer)
    {
        writer.StartWindows(Ticks, 4648, WindowsLog.Security, host);
        writer.Field("SubjectUserName"u8, subjectUser);
        writer.Field("SubjectDomainName"u8, Organisation.NetbiosDomain);
        writer.Field("TargetUserName"u8, targetUser);
        writer.Field("TargetDomainName"u8, Organisation.NetbiosDomain);
        writer.Field("TargetServerName"u8, targetServer);
        writer.Field("IpAddress"u8, ipAddress);
        writer.Field("ProcessName"u8, processName);
        writer.End();
    }
}

/// <summary>4688, the Security log's view of a process creation.</summary>
internal sealed class SecurityProcessCreation(long ticks, OrganisationHost host, SimProcess process) : SimEvent(ticks)
{
    public override void Write(EventWriter writer)
    {
        writer.StartWindows(Ticks, 4688, WindowsLog.Security, host);
        if (process.IsSystem)
        {
            writer.Field("SubjectUserName"u8, host.MachineAccount);
        }
        else
        {
            writer.Field("SubjectUserName"u8, process.AccountName);
        }
        writer.Field("SubjectDomainName"u8, Organisation.NetbiosDomain);
        writer.Hex("NewProcessId"u8, process.ProcessId);
        writer.Field("NewProcessName"u8, process.Image);
        writer.Field("TokenElevationType"u8, process.IntegrityLevel == "Medium" ? "%%1938"u8 : "%%1936"u8);
        writer.Field("CommandLine"u8, process.CommandLine);
        writer.Field("ParentProcessName"u8, process.ParentImage);
        writer.End();
    }
}

/// <summary>4720, a user account was created (here: a local account, whose domain is the machine's name).</summary>
internal sealed class SecurityUserCreated(long ticks, OrganisationHost host, string subjectUser, string newUser, string newSid) : SimEvent(ticks)
{
    public override void Write(EventWriter writer)
    {
        writer.StartWindows(Ticks, 4720, WindowsLog.Security, host);
        writer.Field("SubjectUserName"u8, subjectUser);
        writer.Field("SubjectDomainName"u8, Organisation.NetbiosDomain);
        writer.Field("TargetUserName"u8, newUser);
        writer.Field("TargetDomainName"u8, host.ShortName);
        writer.Field("TargetSid"u8, newSid);
        writer.Field("SamAccountName"u8, newUser);
        writer.End();
    }
}

/// <summary>4732, a member was added to the local Administrators group.</summary>
internal sealed class SecurityAdministratorsMemberAdded(long ticks, OrganisationHost host, string subjectUser, string memberSid) : SimEvent(ticks)
{
    public override void Write(EventWriter writer)
    {
        writer.StartWindows(Ticks, 4732, WindowsLog.Security, host);
        writer.Field("SubjectUserName"u8, subjectUser);
        writer.Field("SubjectDomainName"u8, Organisation.NetbiosDomain);
        writer.Field("MemberName"u8, "-"u8);
        writer.Field("MemberSid"u8, memberSid);
        writer.Field("TargetUserName"u8, "Administrators"u8);
        writer.Field("TargetDomainName"u8, "Builtin"u8);
        writer.Field("TargetSid"u8, "S-1-5-32-544"u8);
        writer.End();
    }
}

internal enum KerberosEvent
{
    TicketGranted = 4768,
    ServiceTicket = 4769,
    PreAuthenticationFailed = 4771,
}

/// <summary>4768, 4769 and 4771 on a domain controller: a TGT, a service ticket, or a failed pre-authentication (bad password).</summary>
internal sealed class SecurityKerberos(long ticks, OrganisationHost dc, KerberosEvent kind, string user, OrganisationHost client, string service, int port)
    : SimEvent(ticks)
{
    public override void Write(EventWriter writer)
    {
        writer.StartWindows(Ticks, (int)kind, WindowsLog.Security, dc);
        if (kind == KerberosEvent.ServiceTicket)
        {
            writer.Field("TargetUserName"u8, user + "@" + Organisation.KerberosRealm);
        }
        else
        {
            writer.Field("TargetUserName"u8, user);
        }
        writer.Field("TargetDomainName"u8, Organisation.KerberosRealm);
        writer.Field("ServiceName"u8, service);
        writer.Field("IpAddress"u8, client.MappedIp);
        writer.Digits("IpPort"u8, port);
        writer.Field("Status"u8, kind == KerberosEvent.PreAuthenticationFailed ? "0x18"u8 : "0x0"u8);
        if (kind == KerberosEvent.ServiceTicket)
        {
            writer.Field("TicketOptions"u8, "0x40810000"u8);
        }
        else
        {
            writer.Field("PreAuthType"u8, "2"u8);
        }
        writer.Field("TicketEncryptionType"u8, "0x12"u8);
        writer.End();
    }
}

/// <summary>4776, a domain controller validated NTLM credentials.</summary>
internal sealed class SecurityNtlmValidation(long ticks, OrganisationHost dc, string user, OrganisationHost client, bool success) : SimEvent(ticks)
{
    public override void Write(EventWriter writer)
    {
        writer.StartWindows(Ticks, 4776, WindowsLog.Security, dc);
        writer.Field("PackageName"u8, "MICROSOFT_AUTHENTICATION_PACKAGE_V1_0"u8);
        writer.Field("TargetUserName"u8, user);
        writer.Field("Workstation"u8, client.ShortName);
        writer.Field("Status"u8, success ? "0x0"u8 : "0xc000006a"u8);
        writer.End();
    }
}

/// <summary>7045 in the System log, a service was installed.</summary>
internal sealed class SystemServiceInstalled(long ticks, OrganisationHost host, string serviceName, string imagePath, string startType) : SimEvent(ticks)
{
    public override void Write(EventWriter writer)
    {
        writer.StartWindows(Ticks, 7045, WindowsLog.System, host);
        writer.Field("ServiceName"u8, serviceName);
        writer.Field("ImagePath"u8, imagePath);
        writer.Field("ServiceType"u8, "user mode service"u8);
        writer.Field("StartType"u8, startType);
        writer.Field("AccountName"u8, "LocalSystem"u8);
        writer.End();
    }
}
