using Vedette.Domain;
using Vedette.Enrich;
using Vedette.Pipeline;
using Vedette.Simulation;

namespace Vedette.Tests.Simulation;

public sealed class OrganisationTests
{
    private readonly SimulatedDay _day = SimulatedDay.Of(SimulatedDay.Small);

    private Organisation Organisation => _day.Result.Organisation;

    private string Inventory()
    {
        using var writer = new StringWriter();
        Organisation.WriteInventory(writer);
        return writer.ToString();
    }

    [Fact]
    public void The_inventory_lists_every_host_the_events_name()
    {
        var listed = Inventory().Split('\n').Where(l => l.StartsWith("host,", StringComparison.Ordinal)).Select(l => l.Split(',')[1]).ToHashSet();

        var named = _day.Records.Select(r => r["Hostname"] ?? r["host"]).OfType<string>()
            .Concat(_day.Records.Select(r => r["TargetServerName"]).OfType<string>().Where(n => n != "localhost"))
            .Select(n => n.ToLowerInvariant())
            .ToHashSet();

        Assert.Empty(named.Except(listed));
        Assert.True(named.Count > 100, $"only {named.Count} hosts are named");
    }

    [Fact]
    public void The_inventory_reads_back_into_the_asset_inventory_without_errors()
    {
        var errors = new ErrorReport();

        var assets = AssetInventory.ReadCsv(new StringReader(Inventory()), "inventory.csv", errors);

        Assert.Equal(0, errors.Count);
        Assert.Equal(Organisation.Hosts.Count + Organisation.Users.Count, assets.Count);
        Assert.True(assets.TryFind(Observable.Parse(ObservableType.Host, "DC01.corp.example"), out var dc));
        Assert.Equal(Criticality.Critical, dc.Criticality);
        Assert.Contains("role:domain-controller", dc.Tags);
        Assert.True(assets.TryFind(Observable.Parse(ObservableType.Host, "web01"), out _));
    }

    [Fact]
    public void The_inventory_starts_with_the_agreed_header_and_has_a_row_per_host_and_user()
    {
        var lines = Inventory().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("type,value,criticality,owner,tags", lines[0]);
        Assert.Equal(Organisation.Hosts.Count, lines.Count(l => l.StartsWith("host,", StringComparison.Ordinal)));
        Assert.Equal(Organisation.Users.Count, lines.Count(l => l.StartsWith("user,", StringComparison.Ordinal)));
        Assert.Contains("host,scanner01,medium,security,role:scanner;os:linux;ip:10.0.9.50", lines);
    }

    [Fact]
    public void The_organisation_is_a_small_company_of_a_few_hundred_hosts_and_users()
    {
        var hosts = Organisation.Hosts;

        Assert.Equal(220, hosts.Count(h => h.Role == HostRole.Workstation));
        Assert.Equal(25, hosts.Count(h => h.Role == HostRole.Server));
        Assert.Equal(["DC01.corp.example", "DC02.corp.example"], hosts.Where(h => h.Role == HostRole.DomainController).Select(h => h.Name));
        Assert.Equal(["web01", "web02", "db01", "bastion01"], hosts.Where(h => h.Role == HostRole.LinuxServer).Select(h => h.Name));
        Assert.All(hosts.Where(h => h.Role == HostRole.Workstation), h => Assert.StartsWith("10.1.", h.Ip, StringComparison.Ordinal));
        Assert.All(hosts.Where(h => h.Role != HostRole.Workstation), h => Assert.StartsWith("10.0.", h.Ip, StringComparison.Ordinal));
        Assert.Equal(hosts.Count, hosts.Select(h => h.Ip).Distinct().Count());
        Assert.InRange(Organisation.Users.Count, 230, 270);
        Assert.Contains(Organisation.Users, u => u.Role == UserRole.Admin && u.SamName.StartsWith("adm_", StringComparison.Ordinal));
        Assert.Contains(Organisation.Users, u => u.Role == UserRole.Service && u.SamName.StartsWith("svc_", StringComparison.Ordinal));
        Assert.Equal(Organisation.Users.Count, Organisation.Users.Select(u => u.SamName).Distinct().Count());
        Assert.All(Organisation.Users, u => Assert.Equal(u.SamName.ToLowerInvariant(), u.SamName));
    }
}
