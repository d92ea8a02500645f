using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vedette.Domain;
using Vedette.Identity;
using Vedette.Server.Api;
using Vedette.Server.Auth;
using Vedette.Storage;

namespace Vedette.Server.Console;

/// <summary>
/// GET /console/incidents/{id}: the incident, its entities with what threat intel knows of them, why it scores what it
/// scores, why each alert joined it, a timeline of its alerts, events and status changes, its alerts with their events,
/// comments and the audit entries about it, and the analyst's actions (<see cref="WorkItemForms"/>).
/// </summary>
internal static class IncidentPage
{
    private const int MaxAlerts = 200;

    /// <summary>Alerts shown with their evidence (one store read each); the rest list their fields only.</summary>
    private const int AlertsWithEvidence = 20;

    private const int EvidencePerAlert = 10;

    private const int MaxTimeline = 300;

    public static async Task<IResult> RenderAsync(Guid id, HttpContext context, IStore store, int status, string? error)
    {
        var ct = context.RequestAborted;
        if (await store.GetIncidentAsync(id, ct) is not { } incident)
        {
            return ConsolePages.Message(StatusCodes.Status404NotFound, "Not found", $"There is no incident {id}.");
        }
        var listed = await store.ListAlertsAsync(new AlertQuery { IncidentId = id, Limit = MaxAlerts }, ct);
        var alerts = new List<Alert>(listed.Items.Count);
        foreach (var alert in listed.Items)
        {
            alerts.Add(alerts.Count < AlertsWithEvidence ? await store.GetAlertAsync(alert.Id, ct) ?? alert : alert);
        }
        var caller = Caller.From(context);
        var comments = await WorkItemActions.ReadCommentsAsync(WorkKind.Incidents, id, store, ct);
        var activity = await store.SearchAuditAsync(new AuditQuery { Target = WorkKind.Incidents.Target(id), Limit = 100 }, ct);
        var canAct = caller.Role >= Role.Analyst && incident.MergedInto is null;
        var users = canAct ? await context.RequestServices.GetRequiredService<IIdentityStore>().ListUsersAsync(ct) : [];
        var token = ConsoleSecurity.FormToken(context);
        return ConsolePages.Page(ConsolePages.Layout(incident.Title, caller, token, html =>
        {
            html.M("<p><a href=\"/console/queue\">← Queue</a></p>");
            ConsolePages.Error(html, error);
            WriteHeader(html, incident);
            if (canAct)
            {
                ItemSections.WriteActions(html, "incidents", incident, caller, token, users);
                if (caller.Role >= Role.SeniorAnalyst)
                {
                    WriteRegrouping(html, incident, token);
                }
                if (caller.Role >= Role.Lead)
                {
                    WriteHold(html, incident, token);
                }
            }
            WriteEntities(html, incident, alerts);
            ItemSections.WriteScore(html, incident.Risk, "h2", "Score breakdown");
            WriteGrouping(html, incident);
            WriteTimeline(html, incident, alerts, comments);
            WriteAlerts(html, alerts, listed.Next is not null, canAct && caller.Role >= Role.SeniorAnalyst);
            ItemSections.WriteComments(html, "incidents", id, comments, canAct, token);
            ItemSections.WriteActivity(html, activity);
        }), status);
    }

    private static void WriteHeader(HtmlWriter html, Incident incident)
    {
        html.M("<h1>").T(incident.Title).M("</h1><dl class=\"facts\">")
            .El("dt", "Severity").El("dd", incident.Severity.ToName(), "sev sev-" + incident.Severity.ToName())
            .El("dt", "Score").El("dd", incident.Score.ToString(CultureInfo.InvariantCulture))
            .El("dt", "Status").El("dd", LifecycleNames.ToName(incident.Status) + (incident.Verdict is { } v ? " (" + LifecycleNames.ToName(v) + ")" : ""), "status")
            .El("dt", "SLA due").El("dd", ConsolePages.Time(incident.DueAt))
            .El("dt", "Assignee").El("dd", incident.Assignee ?? "—", "assignee")
            .El("dt", "First seen").El("dd", ConsolePages.Time(incident.FirstSeen))
            .El("dt", "Last seen").El("dd", ConsolePages.Time(incident.LastSeen))
            .El("dt", "Id").El("dd", incident.Id.ToString(), "id");
        if (incident.Hold is { } hold)
        {
            html.El("dt", "Legal hold").El("dd", $"placed by {hold.By} at {ConsolePages.Time(hold.At)}: {hold.Reason}", "hold");
        }
        if (incident.MergedInto is { } target)
        {
            html.El("dt", "Merged into").M("<dd><a").A("href", "/console/incidents/" + target).M(">").T(target.ToString()).M("</a></dd>");
        }
        html.M("</dl>");
    }

    /// <summary>Merge other incidents into this one, or move the alerts ticked below into a new incident.</summary>
    private static void WriteRegrouping(HtmlWriter html, Incident incident, string token)
    {
        var version = incident.Version.ToString(CultureInfo.InvariantCulture);
        html.M("<section class=\"actions\" aria-labelledby=\"regroup-h\"><h2 id=\"regroup-h\">Merge and split</h2>");
        ItemSections.Form(html, $"/console/incidents/{incident.Id}/merge", token, version);
        html.M("<label for=\"merge-sources\">Incident ids to merge into this one</label><input id=\"merge-sources\" name=\"sources\" required size=\"40\">")
            .M("<label for=\"merge-note\">Note</label><input id=\"merge-note\" name=\"note\" maxlength=\"4000\">")
            .M("<button type=\"submit\">Merge</button></form>");
        ItemSections.Form(html, $"/console/incidents/{incident.Id}/split", token, version, id: "split");
        html.M("<label for=\"split-note\">Note</label><input id=\"split-note\" name=\"note\" maxlength=\"4000\">")
            .M("<button type=\"submit\">Split the ticked alerts into a new incident</button></form></section>");
    }

    /// <summary>Retention keeps a held incident and its alerts, whatever their age, until a lead releases it.</summary>
    private static void WriteHold(HtmlWriter html, Incident incident, string token)
    {
        html.M("<section class=\"actions\" aria-labelledby=\"hold-h\"><h2 id=\"hold-h\">Legal hold</h2>");
        if (incident.Hold is null)
        {
            ItemSections.Form(html, $"/console/incidents/{incident.Id}/hold", token, null);
            html.M("<label for=\"hold-reason\">Reason</label><input id=\"hold-reason\" name=\"reason\" required maxlength=\"4000\" size=\"40\">")
                .M("<button type=\"submit\">Place legal hold</button></form>");
        }
        else
        {
            ItemSections.Form(html, $"/console/incidents/{incident.Id}/release", token, null);
            html.M("<button type=\"submit\">Release the hold</button></form>");
        }
        html.M("</section>");
    }

    /// <summary>Each entity with what the feeds said about it in this incident's alerts (feed, score, why it matched).</summary>
    private static void WriteEntities(HtmlWriter html, Incident incident, List<Alert> alerts)
    {
        html.M("<section aria-labelledby=\"entities-h\"><h2 id=\"entities-h\">Entities</h2>");
        if (incident.Entities.Count == 0)
        {
            html.El("p", "No entities.", "empty").M("</section>");
            return;
        }
        var hits = alerts.SelectMany(a => a.IntelHits).ToLookup(h => h.Observable);
        html.M("<table class=\"entities\"><thead><tr><th scope=\"col\">Entity</th><th scope=\"col\">Threat intelligence</th></tr></thead><tbody>");
        foreach (var entity in incident.Entities)
        {
            html.M("<tr>").El("td", entity.ToString(), "mono").M("<td>");
            var known = hits[entity].DistinctBy(h => (h.Feed, h.Indicator)).ToList();
            if (known.Count == 0)
            {
                html.El("span", "no feed lists it", "muted");
            }
            foreach (var hit in known)
            {
                html.El("span", ItemSections.IntelText(hit), "intel");
            }
            html.M("</td></tr>");
        }
        html.M("</tbody></table></section>");
    }

    private static void WriteGrouping(HtmlWriter html, Incident incident)
    {
        html.El("h2", "Why these alerts are grouped");
        if (incident.Grouping.Count == 0)
        {
            html.El("p", "No grouping reasons recorded.", "empty");
            return;
        }
        html.M("<table class=\"grouping\"><thead><tr><th scope=\"col\">Alert</th><th scope=\"col\">Shared entity</th><th scope=\"col\">Why</th></tr></thead><tbody>");
        foreach (var reason in incident.Grouping)
        {
            html.M("<tr><td><a").A("href", "#alert-" + reason.AlertId).M(">").T(reason.AlertId.ToString()).M("</a></td>")
                .El("td", reason.Via?.ToString() ?? "—").El("td", reason.Explanation).M("</tr>");
        }
        html.M("</tbody></table>");
    }

    /// <summary>What happened, in time order: alerts raised, the events behind them, status changes and comments.</summary>
    private static void WriteTimeline(HtmlWriter html, Incident incident, List<Alert> alerts, IReadOnlyList<Comment> comments)
    {
        var items = new List<(DateTimeOffset At, string Kind, string Text, string? Link)>();
        foreach (var alert in alerts)
        {
            items.Add((alert.FirstSeen, "alert", $"{alert.Severity.ToName()} alert: {alert.Title}", "#alert-" + alert.Id));
            foreach (var evidence in alert.Evidence.Take(EvidencePerAlert))
            {
                items.Add((evidence.Timestamp, "event", $"event {evidence.Ref} ({alert.Title})", null));
            }
        }
        foreach (var step in incident.Transitions)
        {
            items.Add((step.At, "status", $"{step.By.Name}: {LifecycleNames.ToName(step.From)} → {LifecycleNames.ToName(step.To)}"
                + (step.Verdict is { } v ? $" ({LifecycleNames.ToName(v)})" : "") + (step.Note is { } n ? $" — {n}" : ""), null));
        }
        foreach (var comment in comments)
        {
            items.Add((comment.At, "comment", $"{comment.Author}: {comment.Text}", null));
        }
        items.Sort((a, b) => a.At.CompareTo(b.At));
        html.M("<section aria-labelledby=\"timeline-h\"><h2 id=\"timeline-h\">Timeline</h2><ol class=\"timeline\">");
        foreach (var (at, kind, text, link) in items.Take(MaxTimeline))
        {
            html.M("<li").A("class", "tl-" + kind).M("><time").A("datetime", at.ToString("O", CultureInfo.InvariantCulture)).M(">").T(ConsolePages.Time(at)).M("</time> ")
                .El("span", kind, "tl-kind").M(" ");
            if (link is not null)
            {
                html.M("<a").A("href", link).M(">").T(text).M("</a>");
            }
            else
            {
                html.T(text);
            }
            html.M("</li>");
        }
        html.M("</ol>");
        if (items.Count > MaxTimeline)
        {
            html.El("p", $"{items.Count - MaxTimeline} later entries are not shown.", "more");
        }
        html.M("</section>");
    }

    private static void WriteAlerts(HtmlWriter html, List<Alert> alerts, bool more, bool canSplit)
    {
        html.El("h2", $"Alerts ({alerts.Count}{(more ? "+" : "")})");
        foreach (var alert in alerts)
        {
            html.M("<article class=\"alert\"").A("id", "alert-" + alert.Id).M("><h3>");
            if (canSplit)
            {
                html.M("<input type=\"checkbox\" name=\"alert\" form=\"split\"").A("value", alert.Id.ToString()).A("id", "split-" + alert.Id)
                    .A("aria-label", "Tick to split: " + alert.Title).M("> ");
            }
            html.El("span", alert.Severity.ToName(), "sev sev-" + alert.Severity.ToName()).M(" <a").A("href", "/console/alerts/" + alert.Id).M(">").T(alert.Title).M("</a></h3>");
            ItemSections.WriteAlertFacts(html, alert);
            if (alert.Risk is { Parts.Count: > 0 } risk)
            {
                html.M("<details><summary>Alert score ").T(risk.Total.ToString(CultureInfo.InvariantCulture)).M("</summary>");
                ItemSections.WriteScore(html, risk, "h4", "Alert score breakdown");
                html.M("</details>");
            }
            for (var i = 0; i < Math.Min(alert.Evidence.Count, EvidencePerAlert); i++)
            {
                ItemSections.WriteEvidence(html, alert.Evidence[i]);
            }
            if (alert.Evidence.Count > EvidencePerAlert)
            {
                html.M("<p class=\"more\"><a").A("href", "/console/alerts/" + alert.Id).M(">").T($"{alert.Evidence.Count - EvidencePerAlert} more events on the alert's page").M("</a></p>");
            }
            html.M("</article>");
        }
    }
}
