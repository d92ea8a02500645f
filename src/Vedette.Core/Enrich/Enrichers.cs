using Vedette.Domain;
using Vedette.Enrich.Intel;

namespace Vedette.Enrich;

/// <summary>
/// Looks up every observable of an alert in the current threat-intel snapshot and attaches each match, once per
/// feed that lists it, with the listed value, its score now and how it matched (exact, cidr, parent-domain).
/// </summary>
public sealed class IntelEnricher(IntelStore intel, TimeProvider time) : IEnricher
{
    public void Enrich(Alert alert)
    {
        var snapshot = intel.Current;
        if (snapshot.Count == 0)
        {
            return;
        }
        var now = time.GetUtcNow();
        foreach (var observable in alert.Observables)
        {
            if (HasHit(alert, observable))
            {
                continue;
            }
            foreach (var match in snapshot.MatchAll(observable, now))
            {
                foreach (var feed in match.Feeds)
                {
                    alert.IntelHits.Add(new IntelHit(observable, match.Indicator.Value, feed, match.Score, IntelMatch.ReasonName(match.Reason)));
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

/// <summary>Records the criticality of the hosts, users and known addresses an alert involves, as the inventory knows them.</summary>
public sealed class AssetEnricher(AssetInventory inventory) : IEnricher
{
    public void Enrich(Alert alert)
    {
        foreach (var observable in alert.Observables)
        {
            if (observable.Type is ObservableType.Host or ObservableType.User or ObservableType.Ipv4 or ObservableType.Ipv6 && inventory.TryFind(observable, out var asset))
            {
                alert.Context[observable.ToString()] = asset.Criticality.ToString().ToLowerInvariant();
            }
        }
    }
}
