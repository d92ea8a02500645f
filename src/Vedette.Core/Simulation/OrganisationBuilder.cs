using Vedette.Enrich;

namespace Vedette.Simulation;

/// <summary>Builds a small organisation from the dice: a few hundred staff and workstations and a fixed server estate.</summary>
internal static class OrganisationBuilder
{
    private const int Staff = 220;
    private const int ItStaff = 8;
    private const int Executives = 6;
    private const int Departed = 6;

    // Name, role, criticality, owning team. Fixed so that documentation and rules can name them.
    private static readonly (string Name, Criticality Criticality, string Owner)[] WindowsServers =
    [
        ("SRV-FS01", Criticality.High, "it-ops"), ("SRV-FS02", Criticality.Medium, "it-ops"),
        ("SRV-APP01", Criticality.Medium, "app-team"), ("SRV-APP02", Criticality.Medium, "app-team"),
        ("SRV-APP03", Criticality.Medium, "app-team"), ("SRV-APP04", Criticality.Medium, "app-team"),
        ("SRV-APP05", Criticality.Medium, "app-team"), ("SRV-APP06", Criticality.Medium, "app-team"),
        ("SRV-SQL01", Criticality.High, "dba"), ("SRV-SQL02", Criticality.High, "dba"),
        ("SRV-EXCH01", Criticality.High, "it-ops"), ("SRV-RDS01", Criticality.High, "it-ops"),
        ("SRV-JUMP01", Criticality.High, "it-ops"), ("SRV-PRN01", Criticality.Low, "it-ops"),
        ("SRV-BKP01", Criticality.High, "it-ops"), ("SRV-SCCM01", Criticality.High, "it-ops"),
        ("SRV-CA01", Criticality.Critical, "security"), ("SRV-HR01", Criticality.High, "hr-apps"),
        ("SRV-ERP01", Criticality.Critical, "finance-apps"), ("SRV-FIN01", Criticality.High, "finance-apps"),
        ("SRV-WSUS01", Criticality.Medium, "it-ops"), ("SRV-MON01", Criticality.Medium, "it-ops"),
        ("SRV-ADFS01", Criticality.Critical, "security"), ("SRV-WEB01", Criticality.Medium, "web-team"),
        ("SRV-DEV01", Criticality.Low, "engineering"),
    ];

    private static readonly (string Name, Criticality Criticality, string Owner)[] ServiceAccountNames =
    [
        ("svc_backup", Criticality.High, "it-ops"), ("svc_sql", Criticality.High, "dba"),
        ("svc_web", Criticality.Medium, "web-team"), ("svc_sccm", Criticality.High, "it-ops"),
        ("svc_adsync", Criticality.Critical, "it-ops"), ("svc_print", Criticality.Low, "it-ops"),
        ("svc_monitor", Criticality.Medium, "it-ops"), ("svc_erp", Criticality.High, "finance-apps"),
        ("svc_jenkins", Criticality.Medium, "engineering"), ("svc_scan", Criticality.Medium, "security"),
    ];

    public static Organisation Build(Dice dice)
    {
        var people = People(dice, Staff + Departed);
        var seats = Enumerable.Range(1, Staff).ToArray();
        dice.Shuffle(seats);

        var employees = new List<Employee>(Staff);
        var admins = new List<Employee>(ItStaff);
        var staffUsers = new List<OrganisationUser>(Staff);
        var adminUsers = new List<OrganisationUser>(ItStaff);
        var workstations = new List<OrganisationHost>(Staff);
        for (var i = 0; i < Staff; i++)
        {
            var (sam, display) = people[i];
            var department = i < ItStaff ? "it" : i < ItStaff + Executives ? "executive" : dice.Pick(Names.Departments);
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
            if (i < ItStaff)
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

        var domainControllers = new List<OrganisationHost>
        {
            new($"DC01.{Organisation.DnsDomain}", "10.0.0.10", HostRole.DomainController, Criticality.Critical, "it-ops"),
            new($"DC02.{Organisation.DnsDomain}", "10.0.0.11", HostRole.DomainController, Criticality.Critical, "it-ops"),
        };
        var servers = new List<OrganisationHost>(WindowsServers.Length);
        for (var i = 0; i < WindowsServers.Length; i++)
        {
            var (name, criticality, owner) = WindowsServers[i];
            servers.Add(new OrganisationHost($"{name}.{Organisation.DnsDomain}", $"10.0.1.{10 + i}", HostRole.Server, criticality, owner));
        }
        var bastion = new OrganisationHost("bastion01", "10.0.2.5", HostRole.LinuxServer, Criticality.High, "it-ops");
        var linux = new List<OrganisationHost>
        {
            new("web01", "10.0.2.10", HostRole.LinuxServer, Criticality.Medium, "web-team"),
            new("web02", "10.0.2.11", HostRole.LinuxServer, Criticality.Medium, "web-team"),
            new("db01", "10.0.2.20", HostRole.LinuxServer, Criticality.High, "dba"),
            bastion,
        };
        var scanner = new OrganisationHost("scanner01", "10.0.9.50", HostRole.Scanner, Criticality.Medium, "security");
        var proxy = new OrganisationHost("proxy01", "10.0.0.20", HostRole.Proxy, Criticality.Medium, "it-ops");
        var dns = new OrganisationHost("dns01", "10.0.0.53", HostRole.Dns, Criticality.High, "it-ops");
        var sensor = new OrganisationHost("ids01", "10.0.9.60", HostRole.Sensor, Criticality.Medium, "security");

        var builtinAdministrator = new OrganisationUser("administrator", "Built-in Administrator", UserRole.Admin, Criticality.Critical, "it-ops");
        var deploy = new OrganisationUser("deploy", "Deployment automation", UserRole.Service, Criticality.High, "web-team");
        var serviceAccounts = ServiceAccountNames
            .Select(static s => new OrganisationUser(s.Name, "Service account " + s.Name[4..], UserRole.Service, s.Criticality, s.Owner))
            .ToList();
        var departed = new List<OrganisationUser>(Departed);
        for (var i = Staff; i < Staff + Departed; i++)
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

    /// <summary>Distinct people; the sam name is the first initial and the surname, with a digit where two would clash.</summary>
    private static List<(string Sam, string Display)> People(Dice dice, int count)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var people = new List<(string, string)>(count);
        while (people.Count < count)
        {
            var first = dice.Pick(Names.FirstNames);
            var last = dice.Pick(Names.LastNames);
            var display = first + " " + last;
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
