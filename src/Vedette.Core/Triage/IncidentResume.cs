using Vedette.Domain;
using Vedette.Storage;

namespace Vedette.Triage;

/// <summary>
/// Hands a new grouper the open incidents an earlier run left that new alerts may still join: those whose last alert
/// is within the grouping window of the newest stored alert. Found through the newest alerts (ids are time-ordered),
/// so the work is bounded by <paramref name="recentAlerts"/> and those incidents' alerts, not by the store's size.
/// </summary>
public static class IncidentResume
{
    public static async Task<int> ResumeAsync(IStore store, IncidentGrouper grouper, GroupingOptions options, CancellationToken cancellationToken, int recentAlerts = 5_000)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(grouper);
        ArgumentNullException.ThrowIfNull(options);
        var incidentIds = new HashSet<Guid>();
        var newest = DateTimeOffset.MinValue;
        string? after = null;
        var read = 0;
        do
        {
            var page = await store.ListAlertsAsync(new AlertQuery { Limit = 1000, After = after }, cancellationToken);
            foreach (var alert in page.Items)
            {
                newest = alert.LastSeen > newest ? alert.LastSeen : newest;
                if (alert.IncidentId is { } id)
                {
                    incidentIds.Add(id);
                }
            }
            read += page.Items.Count;
            after = page.Next;
        }
        while (after is not null && read < recentAlerts);

        var resumed = 0;
        foreach (var id in incidentIds)
        {
            var incident = await store.GetIncidentAsync(id, cancellationToken);
            if (incident is null || incident.Status == CaseStatus.Closed || incident.MergedInto is not null || newest - incident.LastSeen > options.Window)
            {
                continue;
            }
            var alerts = await store.AllAlertsAsync(new AlertQuery { IncidentId = id }, cancellationToken);
            grouper.Resume(incident, alerts);
            resumed++;
        }
        return resumed;
    }
}
