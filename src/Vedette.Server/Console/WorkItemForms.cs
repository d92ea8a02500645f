using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vedette.Cases;
using Vedette.Identity;
using Vedette.Server.Api;
using Vedette.Server.Auth;
using Vedette.Storage;
using Vedette.Triage;

namespace Vedette.Server.Console;

/// <summary>Renders an item's page, with a refusal's status and reason when an action was refused.</summary>
internal delegate Task<IResult> ItemPageRenderer(Guid id, HttpContext context, IStore store, int status, string? error);

/// <summary>
/// The console's action forms on alerts and incidents: each runs the API's own action (<see cref="WorkItemActions"/>,
/// <see cref="IncidentsApi"/>), so validation, optimistic concurrency and the audit entry are the same whichever way
/// an analyst acts. Done: back to the page (post/redirect/get, so a reload does not post again). Refused: the page
/// again with the reason.
/// </summary>
internal static class WorkItemForms
{
    /// <summary>The actions alerts and incidents share, under /console/{prefix}/{id}/….</summary>
    public static void MapItemActions(IEndpointRouteBuilder routes, string prefix, WorkKind kind, ItemPageRenderer render)
    {
        Map(routes, prefix, "acknowledge", kind, render, (id, form, context, store, time) =>
            WorkItemActions.TryAcknowledgeAsync(kind, id, new ActionRequest(Version(form), Note(form)), context, store, time));
        Map(routes, prefix, "assign", kind, render, (id, form, context, store, time) =>
            WorkItemActions.TryAssignAsync(kind, id, new AssignRequest(form["assignee"].ToString(), Version(form), Note(form)), context, store,
                context.RequestServices.GetRequiredService<IIdentityStore>(), time));
        Map(routes, prefix, "status", kind, render, (id, form, context, store, time) =>
            WorkItemActions.TryChangeStatusAsync(kind, id, new StatusRequest(form["status"].ToString(), Filters.Text(form["verdict"].ToString()), Note(form), Version(form)),
                context, store, time));
        Map(routes, prefix, "close", kind, render, (id, form, context, store, time) =>
            form["verdict"].ToString().Length == 0
                ? Task.FromResult(ActionOutcome.BadRequest("Closing takes a verdict."))
                : WorkItemActions.TryChangeStatusAsync(kind, id, new StatusRequest("closed", form["verdict"].ToString(), Note(form), Version(form)), context, store, time));
        Map(routes, prefix, "comment", kind, render, (id, form, context, store, time) =>
            WorkItemActions.TryCommentAsync(kind, id, form["text"].ToString(), context, store, time));
    }

    /// <summary>Merge and split: incidents only, senior analysts and up (the endpoint table says so).</summary>
    public static void MapRegrouping(IEndpointRouteBuilder routes, ItemPageRenderer render)
    {
        Map(routes, "incidents", "merge", WorkKind.Incidents, render, (id, form, context, store, time) =>
        {
            var sources = new List<Guid>();
            foreach (var text in form["sources"].ToString().Split([' ', ',', ';', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (!Guid.TryParse(text, out var source))
                {
                    return Task.FromResult(ActionOutcome.BadRequest($"'{text}' is not an incident id."));
                }
                sources.Add(source);
            }
            return IncidentsApi.TryMergeAsync(id, new MergeRequest(sources, Note(form), Version(form)), context, store,
                context.RequestServices.GetRequiredService<IncidentFeedback>(), time);
        });
        Map(routes, "incidents", "split", WorkKind.Incidents, render, (id, form, context, store, time) =>
        {
            var alerts = new List<Guid>();
            foreach (var text in form["alert"])
            {
                if (!Guid.TryParse(text, out var alert))
                {
                    return Task.FromResult(ActionOutcome.BadRequest($"'{text}' is not an alert id."));
                }
                alerts.Add(alert);
            }
            return IncidentsApi.TrySplitAsync(id, new SplitRequest(alerts, Note(form), Version(form)), context, store,
                context.RequestServices.GetRequiredService<IncidentFeedback>(), time);
        });
    }

    /// <summary>Legal hold: leads and up place it with a reason and release it (the CLI's and the API's steps).</summary>
    public static void MapLegalHold(IEndpointRouteBuilder routes, ItemPageRenderer render)
    {
        Map(routes, "incidents", "hold", WorkKind.Incidents, render, async (id, form, context, store, time) =>
        {
            try
            {
                return Outcome(await LegalHolds.PlaceAsync(store, id, Caller.From(context).Name, form["reason"].ToString(), time.GetUtcNow(), context.RequestAborted));
            }
            catch (ArgumentException ex)
            {
                return ActionOutcome.BadRequest(ex.Message);
            }
        });
        Map(routes, "incidents", "release", WorkKind.Incidents, render, async (id, _, context, store, time) =>
            Outcome(await LegalHolds.ReleaseAsync(store, id, Caller.From(context).Name, time.GetUtcNow(), context.RequestAborted)));
    }

    private static ActionOutcome Outcome(HoldOutcome outcome) => outcome switch
    {
        { Result: HoldResult.Done, Incident: { } incident } => new ActionOutcome.Done(incident),
        { Result: HoldResult.NotFound } or { Incident: null } => ActionOutcome.NotFound(outcome.Refusal ?? "the incident is gone"),
        _ => ActionOutcome.Conflict(outcome.Refusal!),
    };

    private static void Map(IEndpointRouteBuilder routes, string prefix, string action, WorkKind kind, ItemPageRenderer render,
        Func<Guid, IFormCollection, HttpContext, IStore, TimeProvider, Task<ActionOutcome>> act)
    {
        routes.MapApi("POST", $"/console/{prefix}/{{id}}/{action}", async (string id, HttpContext context, IStore store, TimeProvider time) =>
        {
            if (!Guid.TryParse(id, out var guid))
            {
                return ConsolePages.Message(StatusCodes.Status404NotFound, "Not found", $"'{id}' is not an {kind.Name} id.");
            }
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            return await act(guid, form, context, store, time) switch
            {
                ActionOutcome.Refused refused => await render(guid, context, store, refused.Status, refused.Detail),
                // A split's alerts now live in a new incident: the page that shows them is the place to go next.
                ActionOutcome.Regrouped { Regrouping.Created: { } created } => Results.Redirect($"/console/{prefix}/{created.Id}", permanent: false, preserveMethod: false),
                _ => Results.Redirect($"/console/{prefix}/{guid}", permanent: false, preserveMethod: false),
            };
        }).AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
    }

    private static int? Version(IFormCollection form) =>
        int.TryParse(form["version"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;

    private static string? Note(IFormCollection form) => Filters.Text(form["note"].ToString());
}
