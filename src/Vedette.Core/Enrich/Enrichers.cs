using Vedette.Domain;

namespace Vedette.Enrich;

/// <summary>Looks up every observable of an alert in the current threat-intel snapshot.</summary>
public sealed class IntelEnricher(IndicatorStore indicators) : IEnricher
{
    public void Enrich(Alert alert)
    {
        var snapshot = indicators.Current;
        foreach (var observable in alert.Observables)
        {
            if (snapshot.TryMatch(observable, out var match) && !HasHit(alert, observable))
            {
                foreach (var feed in match.Indicator.Feeds)
                {
                    alert.IntelHits.Add(new IntelHit(observable, match.Indicator.Value.ToString(), feed, match.Indicator.Score, match.How));
                }
            }
        }
    }

    private static bool HasHit(Alert alert, Observable observable)
    {
        foreach (var hit in alert.IntelHits)
        {
            if (hit.Observable == observable)
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>Records the criticality of the hosts and users an alert involves, as the inventory knows them.</summary>
public sealed class AssetEnricher(AssetInventory inventory) : IEnricher
{
    public void Enrich(Alert alert)
    {
        foreach (var observable in alert.Observables)
        {
            if (observable.Type is ObservableType.Host or ObservableType.User && inventory.TryFind(observable, out var asset))
            {
                alert.Context[observable.ToString()] = asset.Criticality.ToString().ToLowerInvariant();
            }
        }
    }
}
