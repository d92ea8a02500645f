using System.Globalization;
using Vedette.Enrich;

namespace Vedette.Simulation;

/// <summary>
/// Builds an organisation from the dice: staff with their workstations, IT staff with admin accounts, and a server estate
/// that grows with the staff. At the default size (220 staff) it is the fixed estate documentation and rules name.
/// </summary>
internal static class OrganisationBuilder
{
    // Name, criticality, owning team, and whether even the smallest estate has it. Fixed so that documentation and rules
    // can name them; each keeps its address (10.0.1.10 onwards, in this order) at every size.
    private static readonly (string Name, Criticality Criticality, string Owner, bool Core)[] WindowsServers =
    [
        ("SRV-FS01", Criticality.High, "it-ops", true), ("SRV-FS02", Criticality.Medium, "it-ops", false),
        ("SRV-APP01", Criticality.Medium, "app-team", true), ("SRV-APP02", Criticality.Medium, "app-team", false),
        ("SRV-APP03", Criticality.Medium, "app-team", false), ("SRV-APP04", Criticality.Medium, "app-team", false),
        ("SRV-APP05", Criticality.Medium, "app-team", false), ("SRV-APP06", Criticality.Medium, "app-team", false),
        ("SRV-SQL01", Criticality.High, "dba", true), ("SRV-SQL02", Criticality.High, "dba", false),
        ("SRV-EXCH01", Criticality.High, "it-ops", true), ("SRV-RDS01", Criticality.High, "it-ops", true),
        ("SRV-JUMP01", Criticality.High, "it-ops", true), ("SRV-PRN01", Criticality.Low, "it-ops", false),
        ("SRV-BKP01", Criticality.High, "it-ops", true), ("SRV-SCCM01", Criticality.High, "it-ops", false),
        ("SRV-CA01", Criticality.Critical, "security", true), ("SRV-HR01", Criticality.High, "hr-apps", false),
        ("SRV-ERP01", Criticality.Critical, "finance-apps", false), ("SRV-FIN01", Criticality.High, "finance-apps", false),
        ("SRV-WSUS01", Criticality.Medium, "it-ops", false), ("SRV-MON01", Criticality.Medium, "it-ops", false),
        ("SRV-ADFS01", Criticality.Critical, "security", false), ("SRV-WEB01", Criticality.Medium, "web-team", false),
        ("SRV-DEV01", Criticality.Low, "engineering", false),
    ];

    // A larger estate adds servers of these families in turn, numbered after the fixed ones.
    private static readonly (string Prefix, Criticality Criticality, string Owner)[] ServerFamilies =
    [
        ("SRV-APP", Criticality.Medium, "app-team"), ("SRV-FS", Criticality.Medium, "it-ops"), ("SRV-APP", Criticality.Medium, "app-team"),
        ("SRV-SQL", Criticality.High, "dba"), ("SRV-WEB", Criticality.Medium, "web-team"), ("SRV-APP", Criticality.Medium, "app-team"),
        ("SRV-RDS", Criticality.High, "it-ops"), ("SRV-DEV", Criticality.Low, "engineering"), ("SRV-PRN", Criticality.Low, "it-ops"),
    ];

    // A larger estate adds Linux servers of these kinds in turn, after web01, web02, db01 and bastion01.
    private static readonly (string Prefix, Criticality Criticality, string Owner)[] LinuxFamilies =
    [
        ("web", Criticality.Medium, "web-team"), ("db", Criticality.High, "dba"), ("app", Criticality.Medium, "app-team"),
    ];

    private static readonly (string Name, Criticality Criticality, string Owner)[] ServiceAccountNames =
    [
        ("svc_backup", Criticality.High, "it-ops"), ("svc_sql", Criticality.High, "dba"),
        ("svc_web", Criticality.Medium, "web-team"), ("svc_sccm", Criticality.High, "it-ops"),
        ("svc_adsync", Criticality.Critical, "it-ops"), ("svc_print", Criticality.Low, "it-ops"),
        ("svc_monitor", Criticality.Medium, "it-ops"), ("svc_erp", Criticality.High, "finance-apps"),
        ("svc_jenkins", Criticality.Medium, "engineering"), ("svc_scan", Criticality.Medium, "security"),
    ];

    public static Organisation Build(Dice dice, int staff)
    {
        var size = new OrganisationSize(staff);
        var people = People(dice, staff + size.Departed);
        var seats = Enumerable.Range(1, staff).ToArray();
        dice.Shuffle(seats);

        var employees = new List<Employee>(staff);
        var admins = new List<Employee>(size.ItStaff);
        var staffUsers = new List<OrganisationUser>(staff);
        var adminUsers = new List<OrganisationUser>(size.ItStaff);
        var workstations = new List<OrganisationHost>(staff);
        for (var i = 0; i < staff; i++)
        {
            var (sam, display) = people[i];
            var department = i < size.ItStaff ? "it" : i < size.ItStaff + size.Executives ? "executive" : dice.Pick(Names.Departments);
            var userCriticality = department switch
            {
                "executive" => Criticality.High,
                "finance" or "hr" => Criticality.Medium,
                _ => Criticality.Low,
            };
            var user = new OrganisationUser(sam, display, UserRole.User, userCriticality, department);
            var seat = seats[i];
            var workstation = new OrganisationHost(
                $"WKS{seat:D3}.{Organisation.DnsDomain}",
                $"10.1.{seat / 200}.{(seat % 200) + 20}",
                HostRole.Workstation,
                department is "it" or "executive" ? Criticality.Medium : Criticality.Low,
                sam);
            OrganisationUser? admin = null;
            if (i < size.ItStaff)
            {
                admin = new OrganisationUser("adm_" + sam, display + " (admin)", UserRole.Admin, Criticality.High, sam);
                adminUsers.Add(admin);
            }
            var employee = new Employee(user, workstation, admin);
            employees.Add(employee);
            if (admin is not null)
            {
                admins.Add(employee);
            }
            staffUsers.Add(user);
            workstations.Add(workstation);
        }
        workstations.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));

        var domainControllers = new List<OrganisationHost>(size.DomainControllers);
        for (var i = 0; i < size.DomainControllers; i++)
        {
            domainControllers.Add(new($"DC{i + 1:D2}.{Organisation.DnsDomain}", $"10.0.0.{10 + i}", HostRole.DomainController, Criticality.Critical, "it-ops"));
        }
        var servers = Servers(size.Servers);
        var bastion = new OrganisationHost("bastion01", "10.0.2.5", HostRole.LinuxServer, Criticality.High, "it-ops");
        var linux = new List<OrganisationHost>
        {
            new("web01", "10.0.2.10", HostRole.LinuxServer, Criticality.Medium, "web-team"),
            new("web02", "10.0.2.11", HostRole.LinuxServer, Criticality.Medium, "web-team"),
            new("db01", "10.0.2.20", HostRole.LinuxServer, Criticality.High, "dba"),
            bastion,
        };
        AddNumbered(linux, size.LinuxServers, LinuxFamilies, static (i, name, criticality, owner) =>
            new OrganisationHost(name, $"10.0.2.{30 + i}", HostRole.LinuxServer, criticality, owner));
        var scanner = new OrganisationHost("scanner01", "10.0.9.50", HostRole.Scanner, Criticality.Medium, "security");
        var proxy = new OrganisationHost("proxy01", "10.0.0.20", HostRole.Proxy, Criticality.Medium, "it-ops");
        var dns = new OrganisationHost("dns01", "10.0.0.53", HostRole.Dns, Criticality.High, "it-ops");
        var sensor = new OrganisationHost("ids01", "10.0.9.60", HostRole.Sensor, Criticality.Medium, "security");

        var builtinAdministrator = new OrganisationUser("administrator", "Built-in Administrator", UserRole.Admin, Criticality.Critical, "it-ops");
        var deploy = new OrganisationUser("deploy", "Deployment automation", UserRole.Service, Criticality.High, "web-team");
        var serviceAccounts = ServiceAccountNames
            .Select(static s => new OrganisationUser(s.Name, "Service account " + s.Name[4..], UserRole.Service, s.Criticality, s.Owner))
            .ToList();
        var departed = new List<OrganisationUser>(size.Departed);
        for (var i = staff; i < staff + size.Departed; i++)
        {
            departed.Add(new OrganisationUser(people[i].Sam, people[i].Display, UserRole.User, Criticality.Low, dice.Pick(Names.Departments), Enabled: false));
        }

        var hosts = new List<OrganisationHost>();
        hosts.AddRange(domainControllers);
        hosts.AddRange(servers);
        hosts.AddRange(linux);
        hosts.AddRange([scanner, proxy, dns, sensor]);
        hosts.AddRange(workstations);
        var users = new List<OrganisationUser> { builtinAdministrator };
        users.AddRange(adminUsers);
        users.AddRange(serviceAccounts);
        users.Add(deploy);
        users.AddRange(staffUsers);
        users.AddRange(departed);

        return new Organisation(hosts, users, new Estate
        {
            Employees = employees,
            Admins = admins,
            Servers = servers,
            DomainControllers = domainControllers,
            LinuxServers = linux,
            ServiceAccounts = serviceAccounts,
            DisabledUsers = departed,
            FileServer = servers[0],
            RemoteDesktopServer = servers.Single(static s => s.Name.StartsWith("SRV-RDS01", StringComparison.Ordinal)),
            JumpServer = servers.Single(static s => s.Name.StartsWith("SRV-JUMP01", StringComparison.Ordinal)),
            Bastion = bastion,
            Scanner = scanner,
            Proxy = proxy,
            Dns = dns,
            Sensor = sensor,
            BuiltinAdministrator = builtinAdministrator,
            Deploy = deploy,
        });
    }

    /// <summary>
    /// What <paramref name="attacks"/> needs of an organisation of <paramref name="users"/> that it lacks, as a sentence;
    /// null when it has enough. Every instance claims its own victims, so that no two attacks share one.
    /// </summary>
    public static string? Shortfall(int users, AttackMix attacks)
    {
        var size = new OrganisationSize(users);
        var lateral = attacks.Count(ScenarioKinds.LateralMovementServiceInstall);
        var localAdmin = attacks.Count(ScenarioKinds.NewLocalAdmin);
        var needs = new (int Needed, int Has, string What, string Attacks)[]
        {
            (attacks.Count(ScenarioKinds.SshBruteForce), size.LinuxServers, "Linux servers", ScenarioKinds.SshBruteForce),
            (attacks.Count(ScenarioKinds.WindowsBruteForce) + lateral + localAdmin, size.Servers, "Windows servers",
                $"{ScenarioKinds.WindowsBruteForce}, {ScenarioKinds.LateralMovementServiceInstall} and {ScenarioKinds.NewLocalAdmin}"),
            (lateral + localAdmin, size.ItStaff, "admin accounts", $"{ScenarioKinds.LateralMovementServiceInstall} and {ScenarioKinds.NewLocalAdmin}"),
            (attacks.Count(ScenarioKinds.PasswordSpraying) + attacks.Count(ScenarioKinds.PhishingExecutionBeaconing) + lateral, size.Staff - size.ItStaff, "staff outside IT",
                $"{ScenarioKinds.PasswordSpraying}, {ScenarioKinds.PhishingExecutionBeaconing} and {ScenarioKinds.LateralMovementServiceInstall}"),
        };
        foreach (var (needed, has, what, kinds) in needs)
        {
            if (needed > has)
            {
                return $"an organisation of {users} users has {has} {what}, and the {kinds} attacks need {needed}, one each";
            }
        }
        return null;
    }

    /// <summary>The fixed servers an estate of <paramref name="count"/> keeps (the core ones, then the first of the rest), then numbered additions.</summary>
    private static List<OrganisationHost> Servers(int count)
    {
        var servers = new List<OrganisationHost>(count);
        var optional = count - WindowsServers.Count(static s => s.Core);
        for (var i = 0; i < WindowsServers.Length && servers.Count < count; i++)
        {
            var (name, criticality, owner, core) = WindowsServers[i];
            if (!core && optional-- <= 0)
            {
                continue;
            }
            servers.Add(new OrganisationHost($"{name}.{Organisation.DnsDomain}", ServerIp(i), HostRole.Server, criticality, owner));
        }
        AddNumbered(servers, count, ServerFamilies, static (i, name, criticality, owner) =>
            new OrganisationHost($"{name}.{Organisation.DnsDomain}", ServerIp(WindowsServers.Length + i), HostRole.Server, criticality, owner));
        return servers;
    }

    // 10.0.1.10-254 as always, then further /24s from 10.0.16.0, clear of the DCs, Linux servers and security tools.
    private static string ServerIp(int index) =>
        index < 245 ? $"10.0.1.{10 + index}" : $"10.0.{16 + ((index - 245) / 250)}.{4 + ((index - 245) % 250)}";

    /// <summary>Adds hosts until <paramref name="hosts"/> holds <paramref name="count"/>, taking the families in turn and numbering each after its highest name.</summary>
    private static void AddNumbered(
        List<OrganisationHost> hosts,
        int count,
        (string Prefix, Criticality Criticality, string Owner)[] families,
        Func<int, string, Criticality, string, OrganisationHost> create)
    {
        var next = families.Select(static f => f.Prefix).Distinct().ToDictionary(static p => p, static _ => 1);
        foreach (var host in hosts)
        {
            foreach (var prefix in next.Keys)
            {
                if (host.Name.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(host.Name.AsSpan(prefix.Length, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    next[prefix] = Math.Max(next[prefix], number + 1);
                }
            }
        }
        for (var i = 0; hosts.Count < count; i++)
        {
            var (prefix, criticality, owner) = families[i % families.Length];
            hosts.Add(create(i, $"{prefix}{next[prefix]++:D2}", criticality, owner));
        }
    }

    /// <summary>
    /// Distinct people; the sam name is the first initial and the surname, with a digit where two would clash. A large
    /// organisation has more people than there are first-and-last-name pairs: there a repeated name gets a middle initial.
    /// </summary>
    private static List<(string Sam, string Display)> People(Dice dice, int count)
    {
        var namesakes = count > Names.FirstNames.Count * Names.LastNames.Count / 4;
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var people = new List<(string, string)>(count);
        while (people.Count < count)
        {
            var first = dice.Pick(Names.FirstNames);
            var last = dice.Pick(Names.LastNames);
            var display = first + " " + last;
            if (namesakes && taken.Contains(display))
            {
                display = $"{first} {(char)('A' + dice.Below(26))}. {last}";
            }
            if (!taken.Add(display))
            {
                continue;
            }
            var sam = (first[0] + last).ToLowerInvariant();
            for (var suffix = 2; !taken.Add("sam:" + sam); suffix++)
            {
                sam = (first[0] + last).ToLowerInvariant() + suffix;
            }
            people.Add((sam, display));
        }
        return people;
    }
}

/// <summary>
/// How many of each an organisation of a given number of staff has. The default 220 staff give the original estate
/// (8 IT staff, 6 executives, 6 departed accounts, 25 Windows servers, 2 domain controllers, 4 Linux servers); the rest
/// scale in proportion, with floors a small company still has.
/// </summary>
internal readonly record struct OrganisationSize(int Staff)
{
    private const int Reference = SimulationOptions.DefaultUsers;

    /// <summary>Employees with an admin account: about one in 27, and at least four.</summary>
    public int ItStaff => Math.Max(4, Staff * 8 / Reference);

    public int Executives => Math.Max(2, Staff * 6 / Reference);

    /// <summary>Disabled accounts of people who left.</summary>
    public int Departed => Math.Max(2, Staff * 6 / Reference);

    /// <summary>About one Windows server for every nine staff, and at least the eight core ones.</summary>
    public int Servers => Math.Max(8, Staff * 25 / Reference);

    /// <summary>Two, and one more for every further thousand staff.</summary>
    public int DomainControllers => Math.Max(2, (Staff + 999) / 1000);

    /// <summary>Four, and one more for every further 250 staff.</summary>
    public int LinuxServers => 4 + (Math.Max(0, Staff - Reference) / 250);
}
