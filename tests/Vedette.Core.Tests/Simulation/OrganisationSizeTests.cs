using Vedette.Domain;
using Vedette.Simulation;

namespace Vedette.Tests.Simulation;

/// <summary>Organisations smaller and larger than the default: the estate scales with the staff, and the events stay within the inventory.</summary>
public sealed class OrganisationSizeTests
{
    public static TheoryData<int, int, int, int, int> Sizes => new()
    {
        // users, admin accounts, Windows servers, domain controllers, Linux servers
        { 80, 4, 9, 2, 4 },
        { 1500, 54, 170, 2, 9 },
    };

    private static SimulatedDay Day(int users) => SimulatedDay.Of(new SimulationOptions(30_000, 13) { Users = users });

    [Theory]
    [MemberData(nameof(Sizes))]
    public void An_organisation_of_n_users_has_n_staff_with_workstations_and_an_estate_in_proportion(int users, int adminAccounts, int servers, int domainControllers, int linuxServers)
    {
        var organisation = Day(users).Result.Organisation;
        var hosts = organisation.Hosts;

        Assert.Equal(users, hosts.Count(h => h.Role == HostRole.Workstation));
        Assert.Equal(users, organisation.Users.Count(u => u.Role == UserRole.User && u.Enabled));
        Assert.Equal(adminAccounts, organisation.Users.Count(u => u.Role == UserRole.Admin && u.SamName.StartsWith("adm_", StringComparison.Ordinal)));
        Assert.Equal(servers, hosts.Count(h => h.Role == HostRole.Server));
        Assert.Equal(domainControllers, hosts.Count(h => h.Role == HostRole.DomainController));
        Assert.Equal(linuxServers, hosts.Count(h => h.Role == HostRole.LinuxServer));
        Assert.Equal(["scanner01", "proxy01", "dns01", "ids01"], hosts.Where(h => h.Role is HostRole.Scanner or HostRole.Proxy or HostRole.Dns or HostRole.Sensor).Select(h => h.Name));
        Assert.Contains(hosts, h => h.Name == "SRV-FS01.corp.example");
        Assert.Contains(hosts, h => h.Name == "SRV-RDS01.corp.example");
        Assert.Contains(hosts, h => h.Name == "SRV-JUMP01.corp.example");
        Assert.Contains(hosts, h => h.Name == "bastion01");
        Assert.Equal(hosts.Count, hosts.Select(h => h.CanonicalName).Distinct().Count());
        Assert.Equal(hosts.Count, hosts.Select(h => h.Ip).Distinct().Count());
        Assert.All(hosts.Where(h => h.Role == HostRole.Workstation), h => Assert.StartsWith("10.1.", h.Ip, StringComparison.Ordinal));
        Assert.All(hosts.Where(h => h.Role != HostRole.Workstation), h => Assert.StartsWith("10.0.", h.Ip, StringComparison.Ordinal));
        Assert.All(hosts.Where(h => h.IsWindows), h => Assert.EndsWith(".corp.example", h.Name, StringComparison.Ordinal));
        Assert.Equal(organisation.Users.Count, organisation.Users.Select(u => u.SamName).Distinct().Count());
    }

    [Theory]
    [InlineData(80)]
    [InlineData(1500)]
    public void Every_host_address_and_account_the_events_name_is_in_the_inventory(int users)
    {
        var day = Day(users);
        var organisation = day.Result.Organisation;
        var hosts = organisation.Hosts.Select(h => h.CanonicalName).ToHashSet();
        var addresses = organisation.Hosts.Select(h => h.Ip).ToHashSet();
        var accounts = organisation.Users.Select(u => u.SamName).ToHashSet();

        foreach (var record in day.ReadRecords())
        {
            foreach (var host in new[] { record["Hostname"] ?? record["host"], record["TargetServerName"] }.OfType<string>().Where(n => n != "localhost"))
            {
                Assert.Contains(host.ToLowerInvariant(), hosts);
            }
            foreach (var address in new[] { record["IpAddress"], record["src_ip"], record["dest_ip"], record["c-ip"], record["client"] }
                .OfType<string>().Select(a => a.Replace("::ffff:", "", StringComparison.Ordinal)).Where(a => a.StartsWith("10.", StringComparison.Ordinal)))
            {
                Assert.Contains(address, addresses);
            }
            // Accounts attackers invent (a backdoor) are named by their scenario's truth.
            var invented = record.Scenario is null
                ? []
                : day.Result.Scenarios.Single(s => s.Id == record.Scenario).Entities.Where(e => e.Type == ObservableType.User).Select(e => e.Value).ToHashSet();
            foreach (var account in Accounts(record).Where(a => !invented.Contains(a)))
            {
                Assert.True(accounts.Contains(account), $"line {record.Line} names account '{account}', which the inventory does not list: {record.Text}");
            }
        }
    }

    [Fact]
    public void More_users_share_the_same_traffic_so_each_does_less()
    {
        static double LinesPerUser(int users)
        {
            var day = Day(users);
            var active = day.Records.Where(r => r["cs-username"] is { } user && user != "-").GroupBy(r => r["cs-username"]).ToList();
            return active.Sum(g => g.Count()) / (double)users;
        }

        var small = LinesPerUser(80);
        var large = LinesPerUser(1500);

        Assert.Equal(30_000, Day(80).Result.Events);
        Assert.Equal(30_000, Day(1500).Result.Events);
        Assert.True(large * 5 < small, $"{large} proxy lines per user at 1500 users, {small} at 80");
    }

    [Theory]
    [InlineData(SimulationOptions.MinimumUsers - 1)]
    [InlineData(SimulationOptions.MaximumUsers + 1)]
    public void An_organisation_outside_40_to_5000_users_is_refused(int users)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AttackSimulator().Run(new SimulationOptions(10_000, 1) { Users = users }, Stream.Null));

        Assert.Equal("Users", error.ParamName);
    }

    [Fact]
    public void The_largest_organisation_simulates_with_namesakes_told_apart_by_a_middle_initial()
    {
        using var output = new MemoryStream();
        var result = new AttackSimulator().Run(new SimulationOptions(20_000, 2) { Users = SimulationOptions.MaximumUsers }, output);

        var staff = result.Organisation.Users.Where(u => u.Role == UserRole.User).ToList();
        Assert.Equal(staff.Count, staff.Select(u => u.DisplayName).Distinct().Count());
        Assert.Contains(staff, u => u.DisplayName.Contains(". ", StringComparison.Ordinal));
        Assert.Equal(SimulationOptions.MaximumUsers, result.Organisation.Hosts.Count(h => h.Role == HostRole.Workstation));
    }

    /// <summary>The accounts a record names, in canonical (lower-case, domain-less) form; machine accounts, groups and placeholders left out.</summary>
    private static IEnumerable<string> Accounts(Record record)
    {
        foreach (var field in new[] { "TargetUserName", "SubjectUserName", "cs-username", "User" })
        {
            if (record[field] is not { } value)
            {
                continue;
            }
            var name = value[(value.LastIndexOf('\\') + 1)..].ToLowerInvariant();
            var at = name.IndexOf('@', StringComparison.Ordinal);
            name = at < 0 ? name : name[..at];
            if (name is not ("-" or "system" or "administrators") && !name.EndsWith('$'))
            {
                yield return name;
            }
        }
    }
}
