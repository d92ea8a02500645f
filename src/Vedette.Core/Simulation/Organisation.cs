using Vedette.Enrich;

namespace Vedette.Simulation;

public enum HostRole
{
    Workstation,
    Server,
    DomainController,
    LinuxServer,
    Scanner,
    Proxy,
    Dns,
    Sensor,
}

public enum UserRole
{
    User,
    Admin,
    Service,
}

/// <summary>A simulated host. <see cref="Name"/> is written exactly as its events name it: FQDN for Windows, short name for Linux.</summary>
public sealed record OrganisationHost(string Name, string Ip, HostRole Role, Criticality Criticality, string Owner)
{
    /// <summary>The name in canonical (lower-case) form, as inventories and host observables hold it.</summary>
    public string CanonicalName { get; } = Name.ToLowerInvariant();

    public bool IsWindows => Role is HostRole.Workstation or HostRole.Server or HostRole.DomainController;

    /// <summary>The NetBIOS-style name Windows writes in WorkstationName fields.</summary>
    internal string ShortName { get; } = Name.Split('.')[0];

    internal string MachineAccount { get; } = Name.Split('.')[0] + "$";

    /// <summary>The client address as Kerberos events write it.</summary>
    internal string MappedIp { get; } = "::ffff:" + Ip;
}

/// <summary>A simulated account, by the lower-case sam name its events use.</summary>
public sealed record OrganisationUser(string SamName, string DisplayName, UserRole Role, Criticality Criticality, string Owner, bool Enabled = true)
{
    internal string Qualified { get; } = Organisation.NetbiosDomain + "\\" + SamName;

    internal string Profile { get; } = @"C:\Users\" + SamName;
}

/// <summary>A member of staff: their everyday account, their workstation and, for IT staff, their separate admin account.</summary>
internal sealed record Employee(OrganisationUser User, OrganisationHost Workstation, OrganisationUser? AdminAccount);

/// <summary>The organisation's hosts and accounts by the part they play in the simulation.</summary>
internal sealed class Estate
{
    public required IReadOnlyList<Employee> Employees { get; init; }

    /// <summary>IT staff: employees with an admin account.</summary>
    public required IReadOnlyList<Employee> Admins { get; init; }

    public required IReadOnlyList<OrganisationHost> Servers { get; init; }

    public required IReadOnlyList<OrganisationHost> DomainControllers { get; init; }

    public required IReadOnlyList<OrganisationHost> LinuxServers { get; init; }

    public required IReadOnlyList<OrganisationUser> ServiceAccounts { get; init; }

    public required IReadOnlyList<OrganisationUser> DisabledUsers { get; init; }

    public required OrganisationHost FileServer { get; init; }

    public required OrganisationHost RemoteDesktopServer { get; init; }

    public required OrganisationHost JumpServer { get; init; }

    public required OrganisationHost Bastion { get; init; }

    public required OrganisationHost Scanner { get; init; }

    public required OrganisationHost Proxy { get; init; }

    public required OrganisationHost Dns { get; init; }

    public required OrganisationHost Sensor { get; init; }

    public required OrganisationUser BuiltinAdministrator { get; init; }

    public required OrganisationUser Deploy { get; init; }
}

/// <summary>The simulated organisation: its hosts and accounts, which the inventory lists and the events name.</summary>
public sealed class Organisation
{
    public const string DnsDomain = "corp.example";
    public const string NetbiosDomain = "CORP";
    internal const string KerberosRealm = "CORP.EXAMPLE";

    internal Organisation(IReadOnlyList<OrganisationHost> hosts, IReadOnlyList<OrganisationUser> users, Estate estate)
    {
        Hosts = hosts;
        Users = users;
        Estate = estate;
    }

    public IReadOnlyList<OrganisationHost> Hosts { get; }

    public IReadOnlyList<OrganisationUser> Users { get; }

    /// <summary>The same hosts and accounts, grouped by what the simulation does with them.</summary>
    internal Estate Estate { get; }

    /// <summary>
    /// Writes the asset and identity inventory as CSV (<c>type,value,criticality,owner,tags</c>); tags are
    /// <c>key:value</c> pairs separated by ';', and host values match the events' host names in lower case.
    /// </summary>
    public void WriteInventory(TextWriter writer)
    {
        writer.Write("type,value,criticality,owner,tags\n");
        foreach (var host in Hosts)
        {
            WriteRow(writer, "host", host.CanonicalName, host.Criticality, host.Owner, $"role:{Name(host.Role)};os:{(host.IsWindows ? "windows" : "linux")};ip:{host.Ip}");
        }
        foreach (var user in Users)
        {
            var tags = $"role:{Name(user.Role)};name:{user.DisplayName}";
            WriteRow(writer, "user", user.SamName, user.Criticality, user.Owner, user.Enabled ? tags : tags + ";disabled");
        }
    }

    private static void WriteRow(TextWriter writer, string type, string value, Criticality criticality, string owner, string tags)
    {
        writer.Write(type);
        writer.Write(',');
        WriteCell(writer, value);
        writer.Write(',');
        writer.Write(Name(criticality));
        writer.Write(',');
        WriteCell(writer, owner);
        writer.Write(',');
        WriteCell(writer, tags);
        writer.Write('\n');
    }

    private static void WriteCell(TextWriter writer, string text)
    {
        if (text.AsSpan().IndexOfAny(",\"\n\r") < 0)
        {
            writer.Write(text);
            return;
        }
        writer.Write('"');
        writer.Write(text.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }

    internal static string Name(HostRole role) => role switch
    {
        HostRole.Workstation => "workstation",
        HostRole.Server => "server",
        HostRole.DomainController => "domain-controller",
        HostRole.LinuxServer => "linux-server",
        HostRole.Scanner => "scanner",
        HostRole.Proxy => "proxy",
        HostRole.Dns => "dns",
        HostRole.Sensor => "sensor",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    internal static string Name(UserRole role) => role switch
    {
        UserRole.User => "user",
        UserRole.Admin => "admin",
        UserRole.Service => "service",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    internal static string Name(Criticality criticality) => criticality switch
    {
        Criticality.Low => "low",
        Criticality.Medium => "medium",
        Criticality.High => "high",
        Criticality.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(criticality), criticality, null),
    };
}
