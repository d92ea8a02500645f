using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vedette.Domain;
using Vedette.Identity;
using Vedette.Server.Api;
using Vedette.Server.Auth;
using Vedette.Storage;

namespace Vedette.Server.Console;

/// <summary>GET /console/alerts/{id}: one alert with every event behind it, its score, its incident, comments and activity.</summary>
internal static class AlertPage
{
    public static async Task<IResult> RenderAsync(Guid id, HttpContext context, IStore store, int status, string? error)
    {
        var ct = context.RequestAborted;
        if (await store.GetAlertAsync(id, ct) is not { } alert)
        {
            return ConsolePages.Message(StatusCodes.Status404NotFound, "Not found", $"There is no alert {id}.");
        }
        var caller = Caller.From(context);
        var comments = await WorkItemActions.ReadCommentsAsync(WorkKind.Alerts, id, store, ct);
        var activity = await store.SearchAuditAsync(new AuditQuery { Target = WorkKind.Alerts.Target(id), Limit = 100 }, ct);
        var canAct = caller.Role >= Role.Analyst;
        var users = canAct ? await context.RequestServices.GetRequiredService<IIdentityStore>().ListUsersAsync(ct) : [];
        var token = ConsoleSecurity.FormToken(context);
        return ConsolePages.Page(ConsolePages.Layout(alert.Title, caller, token, html =>
        {
            html.M("<p>");
            if (alert.IncidentId is { } incident)
            {
                html.M("<a").A("href", $"/console/incidents/{incident}#alert-{alert.Id}").M(">← Incident</a> · ");
            }
            html.M("<a href=\"/console/queue\">Queue</a></p>");
            ConsolePages.Error(html, error);
            html.M("<h1>").El("span", alert.Severity.ToName(), "sev sev-" + alert.Severity.ToName()).M(" ").T(alert.Title).M("</h1>");
            ItemSections.WriteAlertFacts(html, alert);
            if (alert.SuppressedBy is { } suppression)
            {
                html.El("p", $"Suppressed by suppression {suppression}: it does not reach the queue.", "muted");
            }
            if (canAct)
            {
                ItemSections.WriteActions(html, "alerts", alert, caller, token, users);
            }
            ItemSections.WriteScore(html, alert.Risk, "h2", "Score breakdown");
            html.M("<section aria-labelledby=\"events-h\"><h2 id=\"events-h\">Events (")
                .T(alert.Evidence.Count.ToString(CultureInfo.InvariantCulture)).M(" kept of ").T(alert.EventCount.ToString(CultureInfo.InvariantCulture)).M(")</h2>");
            for (var i = 0; i < alert.Evidence.Count; i++)
            {
                ItemSections.WriteEvidence(html, alert.Evidence[i], open: i == 0);
            }
            html.M("</section>");
            ItemSections.WriteComments(html, "alerts", id, comments, canAct, token);
            ItemSections.WriteActivity(html, activity);
        }), status);
    }
}
