using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Domain;
using Vedette.Identity;
using Vedette.Serialization;
using Vedette.Server.Auth;
using Vedette.Storage;
using Vedette.Triage;

namespace Vedette.Server.Api;

/// <summary>Incidents: the queue, show, their alerts, the analyst workflow, and merge/split (recorded regroupings).</summary>
internal static class IncidentsApi
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var kind = WorkKind.Incidents;
        routes.MapApi("GET", "/api/v1/incidents", ListAsync);
        routes.MapApi("GET", "/api/v1/incidents/{id}", (Guid id, HttpContext context, IStore store) => WorkItemActions.ShowAsync(kind, id, context, store));
        routes.MapApi("GET", "/api/v1/incidents/{id}/alerts", AlertsAsync);
        routes.MapApi("GET", "/api/v1/incidents/{id}/comments", (Guid id, HttpContext context, IStore store) => WorkItemActions.CommentsAsync(kind, id, context, store));
        routes.MapApi("POST", "/api/v1/incidents/{id}/acknowledge", (Guid id, ActionRequest? request, HttpContext context, IStore store, TimeProvider time) =>
            WorkItemActions.AcknowledgeAsync(kind, id, request, context, store, time));
        routes.MapApi("POST", "/api/v1/incidents/{id}/assign", (Guid id, AssignRequest request, HttpContext context, IStore store, IIdentityStore identity, TimeProvider time) =>
            WorkItemActions.AssignAsync(kind, id, request, context, store, identity, time));
        routes.MapApi("POST", "/api/v1/incidents/{id}/status", (Guid id, StatusRequest request, HttpContext context, IStore store, TimeProvider time) =>
            WorkItemActions.ChangeStatusAsync(kind, id, request, context, store, time));
        routes.MapApi("POST", "/api/v1/incidents/{id}/comments", (Guid id, CommentRequest request, HttpContext context, IStore store, TimeProvider time) =>
            WorkItemActions.CommentAsync(kind, id, request, context, store, time));
        routes.MapApi("POST", "/api/v1/incidents/{id}/merge", MergeAsync);
        routes.MapApi("POST", "/api/v1/incidents/{id}/split", SplitAsync);
    }

    /// <summary>GET /api/v1/incidents?status=&amp;severity=(minimum)&amp;rule=&amp;assignee=&amp;from=&amp;to=&amp;q=&amp;limit=&amp;after=, in queue order.</summary>
    private static async Task<IResult> ListAsync(HttpContext context, IStore store)
    {
        var query = context.Request.Query;
        try
        {
            var page = await store.ListIncidentsAsync(Filters.Incidents(query), context.RequestAborted);
            return ApiResults.Page(page.Items, page.Next, DomainJson.WriteIncident);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return ApiResults.BadRequest(ex.Message);
        }
    }

    private static async Task<IResult> AlertsAsync(Guid id, HttpContext context, IStore store)
    {
        var query = context.Request.Query;
        try
        {
            if (await store.GetIncidentAsync(id, context.RequestAborted) is null)
            {
                return ApiResults.NotFound($"no incident {id}");
            }
            var page = await store.ListAlertsAsync(new AlertQuery { IncidentId = id, Limit = Filters.Limit(query["limit"]), After = Filters.Text(query["after"]) }, context.RequestAborted);
            return ApiResults.Page(page.Items, page.Next, (writer, alert) => DomainJson.WriteAlert(writer, alert, includeEvidence: false));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return ApiResults.BadRequest(ex.Message);
        }
    }

    private static async Task<IResult> MergeAsync(Guid id, MergeRequest request, HttpContext context, IStore store, IncidentFeedback feedback, TimeProvider time) =>
        Answer(await TryMergeAsync(id, request, context, store, feedback, time));

    private static async Task<IResult> SplitAsync(Guid id, SplitRequest request, HttpContext context, IStore store, IncidentFeedback feedback, TimeProvider time) =>
        Answer(await TrySplitAsync(id, request, context, store, feedback, time));

    /// <summary>Moves every alert of the sources into incident <paramref name="id"/> (the API's and the console's merge).</summary>
    public static async Task<ActionOutcome> TryMergeAsync(Guid id, MergeRequest request, HttpContext context, IStore store, IncidentFeedback feedback, TimeProvider time)
    {
        var ct = context.RequestAborted;
        if (request.Sources is not { Count: > 0 })
        {
            return ActionOutcome.BadRequest("sources must name at least one incident to merge into this one");
        }
        if (await store.GetIncidentAsync(id, ct) is not { } target)
        {
            return ActionOutcome.NotFound($"no incident {id}");
        }
        if (request.Version is { } read && read != target.Version)
        {
            return ActionOutcome.Conflict($"incident {id} changed since version {read} was read: read it again", target.Version);
        }
        var sources = new List<(Incident, IReadOnlyList<Alert>)>();
        foreach (var sourceId in request.Sources)
        {
            if (await store.GetIncidentAsync(sourceId, ct) is not { } source)
            {
                return ActionOutcome.NotFound($"no incident {sourceId}");
            }
            sources.Add((source, await store.AlertsOfAsync(source, ct)));
        }
        var caller = Caller.From(context);
        var now = time.GetUtcNow();
        Regrouping regrouping;
        try
        {
            regrouping = IncidentRegrouper.Merge(target, sources, await store.AlertsOfAsync(target, ct), Actor.Analyst(caller.Name), now, request.Note, new GroupingOptions());
        }
        catch (InvalidOperationException ex)
        {
            return ActionOutcome.Conflict(ex.Message);
        }
        return await SaveAsync(store, feedback, regrouping, caller, "incident.merge", id, $"merged {string.Join(", ", request.Sources)} into {id}", request.Note, now, ct);
    }

    /// <summary>Moves some alerts of incident <paramref name="id"/> into a new incident (the API's and the console's split).</summary>
    public static async Task<ActionOutcome> TrySplitAsync(Guid id, SplitRequest request, HttpContext context, IStore store, IncidentFeedback feedback, TimeProvider time)
    {
        var ct = context.RequestAborted;
        if (request.Alerts is not { Count: > 0 })
        {
            return ActionOutcome.BadRequest("alerts must name at least one alert to move into a new incident");
        }
        if (await store.GetIncidentAsync(id, ct) is not { } incident)
        {
            return ActionOutcome.NotFound($"no incident {id}");
        }
        if (request.Version is { } read && read != incident.Version)
        {
            return ActionOutcome.Conflict($"incident {id} changed since version {read} was read: read it again", incident.Version);
        }
        var caller = Caller.From(context);
        var now = time.GetUtcNow();
        Regrouping regrouping;
        try
        {
            regrouping = IncidentRegrouper.Split(incident, await store.AlertsOfAsync(incident, ct), request.Alerts.ToHashSet(), Guid.CreateVersion7(now),
                Actor.Analyst(caller.Name), now, request.Note, new GroupingOptions());
        }
        catch (InvalidOperationException ex)
        {
            return ActionOutcome.Conflict(ex.Message);
        }
        return await SaveAsync(store, feedback, regrouping, caller, "incident.split", id, $"split {request.Alerts.Count} alert(s) into {regrouping.Created!.Id}", request.Note, now, ct);
    }

    private static async Task<ActionOutcome> SaveAsync(IStore store, IncidentFeedback feedback, Regrouping regrouping, Caller caller, string action, Guid target, string summary, string? note, DateTimeOffset at, CancellationToken ct)
    {
        var result = await store.RegroupAsync(regrouping, ct);
        if (result != UpdateResult.Updated)
        {
            return result == UpdateResult.Conflict
                ? ActionOutcome.Conflict("someone changed one of these incidents meanwhile; nothing was changed: read them again and retry")
                : ActionOutcome.NotFound("one of these incidents is gone; nothing was changed");
        }
        // The running grouper's copies of these incidents are out of date now: it must not add alerts to them, nor write
        // snapshots that would undo the move.
        foreach (var incident in regrouping.Changed)
        {
            feedback.Retire(incident.Id);
        }
        await store.AppendAuditAsync(caller.Name, action, $"incident/{target}",
            WorkItemActions.Details(("summary", summary), ("note", note), ("moved", regrouping.Moves.Count)), at, ct);
        return new ActionOutcome.Regrouped(regrouping, action);
    }

    private static IResult Answer(ActionOutcome outcome) => outcome is ActionOutcome.Regrouped done
        ? ApiResults.Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("action", done.Action);
            writer.WriteStartArray("incidents");
            foreach (var incident in done.Regrouping.Changed.Append(done.Regrouping.Created).OfType<Incident>())
            {
                DomainJson.WriteIncident(writer, incident);
            }
            writer.WriteEndArray();
            writer.WriteNumber("moved", done.Regrouping.Moves.Count);
            writer.WriteEndObject();
        })
        : WorkItemActions.Answer(WorkKind.Incidents, outcome);
}
