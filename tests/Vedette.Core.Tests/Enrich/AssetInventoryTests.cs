using Vedette.Domain;
using Vedette.Enrich;
using Vedette.Pipeline;

namespace Vedette.Tests.Enrich;

public sealed class AssetInventoryTests
{
    [Fact]
    public void Hosts_and_users_are_found_by_their_canonical_names()
    {
        var errors = new ErrorReport();
        var inventory = AssetInventory.ReadCsv(new StringReader("type,value,criticality,owner,tags\nhost,DC01.corp.example,critical,it-ops,dc;tier0\nuser,CORP\\Adm_Jane,high,,admin\n"), "inv.csv", errors);

        Assert.Equal(0, errors.Count);
        Assert.True(inventory.TryFind(Observable.Parse(ObservableType.Host, "dc01.corp.example"), out var dc));
        Assert.Equal(Criticality.Critical, dc.Criticality);
        Assert.Equal(["dc", "tier0"], dc.Tags);
        Assert.True(inventory.TryFind(Observable.Parse(ObservableType.User, "adm_jane"), out var jane));
        Assert.Equal(Criticality.High, jane.Criticality);
        Assert.Null(jane.Owner);
    }

    [Fact]
    public void Bad_rows_are_reported_with_their_line_and_good_rows_kept()
    {
        var errors = new ErrorReport();
        var inventory = AssetInventory.ReadCsv(new StringReader("host,web01,high\nrouter,r1,low\nhost,web02,extreme\nshort\nuser,bob,low\n"), "inv.csv", errors);
        Assert.Equal(2, inventory.Count);
        Assert.Equal(["inv.csv:2", "inv.csv:3", "inv.csv:4"], errors.Kept.Select(e => e.Ref.ToString()));
        Assert.Contains(errors.Kept, e => e.Message.Contains("unknown criticality 'extreme'", StringComparison.Ordinal));
    }

    [Fact]
    public void The_asset_enricher_records_criticality_of_the_alert_entities()
    {
        var inventory = new AssetInventory([new Asset(Observable.Parse(ObservableType.Host, "srv-fs01.corp.example"), Criticality.High, "it", [])]);
        var alert = Some.Alert(observables: [Observable.Parse(ObservableType.Host, "SRV-FS01.corp.example"), Observable.Parse(ObservableType.User, "bob")]);
        new AssetEnricher(inventory).Enrich(alert);
        Assert.Equal("high", alert.Context["host:srv-fs01.corp.example"]);
        Assert.False(alert.Context.ContainsKey("user:bob"));
    }
}
