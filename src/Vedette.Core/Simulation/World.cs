namespace Vedette.Simulation;

/// <summary>Everything an episode draws on: the organisation's estate, the internet around it, the adversary, the dice and the timeline.</summary>
internal sealed class World(Organisation organisation, Internet internet, Adversary adversary, Dice dice, Timeline timeline)
{
    public const string ChromeUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";
    public const string EdgeUserAgent = ChromeUserAgent + " Edg/130.0.0.0";

    // Scenario victims are claimed so that no two scenarios share one: each incident then has its own entities.
    private readonly HashSet<string> _claimed = new(StringComparer.Ordinal);

    public Estate Estate { get; } = organisation.Estate;

    public Internet Internet { get; } = internet;

    public Adversary Adversary { get; } = adversary;

    public Dice Dice { get; } = dice;

    public Timeline Timeline { get; } = timeline;

    public void Add(SimEvent simEvent) => Timeline.Add(simEvent);

    public Employee AnyEmployee() => Dice.Pick(Estate.Employees);

    /// <summary>A member of staff outside IT no scenario has touched yet.</summary>
    public Employee ClaimEmployee()
    {
        while (true)
        {
            var employee = AnyEmployee();
            if (employee.AdminAccount is null && _claimed.Add(employee.Workstation.Name))
            {
                return employee;
            }
        }
    }

    /// <summary>An IT employee whose admin account no scenario has used yet.</summary>
    public Employee ClaimAdmin()
    {
        while (true)
        {
            var admin = Dice.Pick(Estate.Admins);
            if (_claimed.Add(admin.AdminAccount!.SamName))
            {
                return admin;
            }
        }
    }

    public OrganisationHost Claim(IReadOnlyList<OrganisationHost> pool)
    {
        while (true)
        {
            var host = Dice.Pick(pool);
            if (_claimed.Add(host.Name))
            {
                return host;
            }
        }
    }

    /// <summary>Claims <paramref name="host"/> unless another scenario already has it.</summary>
    public bool TryClaim(OrganisationHost host) => _claimed.Add(host.Name);

    /// <summary>A name from <paramref name="pool"/> no scenario has used yet, such as an attacker's account.</summary>
    public string ClaimName(IReadOnlyList<string> pool) => Dice.PickUnused(pool, _claimed);

    /// <summary>A new process of a known program, run by the user or, for system programs, by SYSTEM.</summary>
    public SimProcess Launch(ProcessTemplate template, OrganisationUser? user) =>
        template.RunAs == RunAs.System || user is null
            ? Process(template.Image, template.CommandLine, template.CurrentDirectory, SimProcess.SystemUser, "System", template.Hashes, template.ParentImage, template.ParentCommandLine)
            : Process(template.Image, template.CommandLine, template.CurrentDirectory, user.Qualified, user.Role == UserRole.Admin ? "High" : "Medium", template.Hashes, template.ParentImage, template.ParentCommandLine);

    public SimProcess Process(
        string image,
        string commandLine,
        string currentDirectory,
        string user,
        string integrityLevel,
        string hashes,
        string parentImage,
        string parentCommandLine) =>
        new(image, commandLine, currentDirectory, user, integrityLevel, hashes, parentImage, parentCommandLine, Dice.ProcessId(), Dice.Guid());

    /// <summary>Sysmon 1 for the process and, where the host also audits process creation, 4688 a moment later.</summary>
    public void Started(long ticks, OrganisationHost host, SimProcess process, bool audited)
    {
        Add(new SysmonProcessCreate(ticks, host, process));
        if (audited)
        {
            Add(new SecurityProcessCreation(ticks + Durations.Ms(Dice.Between(1, 30)), host, process));
        }
    }

    /// <summary>A browser's or program's name lookup: Sysmon 22 on the host and the DNS server's own log line.</summary>
    public void Resolved(long ticks, OrganisationHost host, SimProcess process, Site site)
    {
        Add(new SysmonDnsQuery(ticks, host, process, site.Domain, site.QueryResults));
        Add(new DnsServerLog(ticks + Durations.Ms(1), Estate.Dns, host.Ip, site.Domain, site.Ip, "NOERROR"));
    }

    public void Proxied(long ticks, ProxyRequest request) => Add(new ProxyLog(ticks, Estate.Proxy, request));
}
