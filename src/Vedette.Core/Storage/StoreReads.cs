using Vedette.Domain;

namespace Vedette.Storage;

/// <summary>Whole listings read page by page: what every caller that needs all of them would otherwise write again.</summary>
public static class StoreReads
{
    /// <summary>Every alert the query matches, newest first, however many pages that takes.</summary>
    public static async Task<List<Alert>> AllAlertsAsync(this IStore store, AlertQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        var all = new List<Alert>();
        var page = query with { Limit = 1000, After = null };
        while (true)
        {
            var listed = await store.ListAlertsAsync(page, cancellationToken);
            all.AddRange(listed.Items);
            if (listed.Next is null)
            {
                return all;
            }
            page = page with { After = listed.Next };
        }
    }

    /// <summary>Every incident the query matches, in queue order.</summary>
    public static async Task<List<Incident>> AllIncidentsAsync(this IStore store, IncidentQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        var all = new List<Incident>();
        var page = query with { Limit = 1000, After = null };
        while (true)
        {
            var listed = await store.ListIncidentsAsync(page, cancellationToken);
            all.AddRange(listed.Items);
            if (listed.Next is null)
            {
                return all;
            }
            page = page with { After = listed.Next };
        }
    }

    /// <summary>
    /// Every alert of the incident in the order they joined it (the store lists newest first): a merge appends them to
    /// the target and a split rebuilds rule lists from them in this order.
    /// </summary>
    public static async Task<IReadOnlyList<Alert>> AlertsOfAsync(this IStore store, Incident incident, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var alerts = await store.AllAlertsAsync(new AlertQuery { IncidentId = incident.Id }, cancellationToken);
        var joined = new Dictionary<Guid, int>(incident.AlertIds.Count);
        foreach (var id in incident.AlertIds)
        {
            joined.TryAdd(id, joined.Count);
        }
        return [.. alerts.OrderBy(a => joined.GetValueOrDefault(a.Id, int.MaxValue))];
    }
}
