using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Vedette.Domain;
using Vedette.Server.Api;
using Vedette.Server.Auth;
using Vedette.Storage;

namespace Vedette.Server.Console;

/// <summary>
/// GET /console/incidents/{id}: the incident, why it scores what it scores, why each alert joined it, its alerts with
/// their fields and evidence, and the analyst's actions (the API's <see cref="WorkItemActions"/>, so they are audited).
/// </summary>
internal static class IncidentPage
{
    private const int MaxAlerts = 200;

    /// <summary>Alerts shown with their evidence (one store read each); the rest list their fields only.</summary>
    private const int AlertsWithEvidence = 20;

    private const int EvidencePerAlert = 10;

    public static async Task<IResult> ShowAsync(Guid id, HttpContext context, IStore store) =>
        await RenderAsync(id, context, store, StatusCodes.Status200OK, null);

    public static async Task<IResult> AcknowledgeAsync(Guid id, HttpContext context, IStore store, TimeProvider time)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var outcome = await WorkItemActions.TryAcknowledgeAsync(WorkKind.Incidents, id, new ActionRequest(Version(form), Note(form)), context, store, time);
        return await AfterAsync(outcome, id, context, store);
    }

    public static async Task<IResult> CloseAsync(Guid id, HttpContext context, IStore store, TimeProvider time)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var verdict = form["verdict"].ToString();
        if (verdict.Length == 0)
        {
            return await RenderAsync(id, context, store, StatusCodes.Status400BadRequest, "Closing takes a verdict.");
        }
        var request = new StatusRequest("closed", verdict, Note(form), Version(form));
        var outcome = await WorkItemActions.TryChangeStatusAsync(WorkKind.Incidents, id, request, context, store, time);
        return await AfterAsync(outcome, id, context, store);
    }

    /// <summary>Done: back to the page (a reload does not post again). Refused: the page with the reason.</summary>
    private static async Task<IResult> AfterAsync(ActionOutcome outcome, Guid id, HttpContext context, IStore store) => outcome switch
    {
        ActionOutcome.Done => Results.Redirect($"/console/incidents/{id}", permanent: false, preserveMethod: false),
        ActionOutcome.Refused refused => await RenderAsync(id, context, store, refused.Status, refused.Detail),
        _ => throw new InvalidOperationException($"unknown action outcome {outcome}"),
    };

    private static int? Version(IFormCollection form) =>
        int.TryParse(form["version"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;

    private static string? Note(IFormCollection form) => Filters.Text(form["note"].ToString());

    private static async Task<IResult> RenderAsync(Guid id, HttpContext context, IStore store, int status, string? error)
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
        var token = ConsoleSecurity.FormToken(context);
        return ConsolePages.Page(ConsolePages.Layout(incident.Title, caller, token, html =>
        {
            html.M("<p><a href=\"/console/queue\">← Queue</a></p>");
            if (error is not null)
            {
                html.M("<p class=\"error\" role=\"alert\">").T(error).M("</p>");
            }
            WriteHeader(html, incident);
            if (caller.Role >= Identity.Role.Analyst && incident.MergedInto is null)
            {
                WriteActions(html, incident, token);
            }
            WriteScore(html, incident.Risk, "h2", "Score breakdown");
            WriteGrouping(html, incident);
            WriteAlerts(html, alerts, listed.Next is not null);
            WriteHistory(html, incident);
        }), status);
    }

    private static void WriteHeader(HtmlWriter html, Incident incident)
    {
        html.M("<h1>").T(incident.Title).M("</h1><dl class=\"facts\">")
            .El("dt", "Severity").El("dd", incident.Severity.ToName(), "sev sev-" + incident.Severity.ToName())
            .El("dt", "Score").El("dd", incident.Score.ToString(CultureInfo.InvariantCulture))
            .El("dt", "Status").El("dd", LifecycleNames.ToName(incident.Status) + (incident.Verdict is { } v ? " (" + LifecycleNames.ToName(v) + ")" : ""), "status")
            .El("dt", "SLA due").El("dd", ConsolePages.Time(incident.DueAt))
            .El("dt", "Assignee").El("dd", incident.Assignee ?? "—")
            .El("dt", "First seen").El("dd", ConsolePages.Time(incident.FirstSeen))
            .El("dt", "Last seen").El("dd", ConsolePages.Time(incident.LastSeen))
            .El("dt", "Id").El("dd", incident.Id.ToString(), "id");
        if (incident.MergedInto is { } target)
        {
            html.El("dt", "Merged into").M("<dd><a").A("href", "/console/incidents/" + target).M(">").T(target.ToString()).M("</a></dd>");
        }
        html.M("</dl><h2>Entities</h2><ul class=\"entities\">");
        foreach (var entity in incident.Entities)
        {
            html.El("li", entity.ToString(), "entity");
        }
        html.M("</ul>");
    }

    private static void WriteActions(HtmlWriter html, Incident incident, string token)
    {
        var version = incident.Version.ToString(CultureInfo.InvariantCulture);
        html.M("<section class=\"actions\" aria-label=\"Actions\">");
        if (incident.Status == CaseStatus.New)
        {
            html.M("<form method=\"post\"").A("action", $"/console/incidents/{incident.Id}/acknowledge").M(">");
            ConsolePages.Token(html, token);
            html.M("<input type=\"hidden\" name=\"version\"").A("value", version).M(">")
                .M("<label for=\"ack-note\">Note</label><input id=\"ack-note\" name=\"note\" maxlength=\"4000\">")
                .M("<button id=\"acknowledge\" type=\"submit\">Acknowledge</button></form>");
        }
        if (incident.Status != CaseStatus.Closed)
        {
            html.M("<form method=\"post\"").A("action", $"/console/incidents/{incident.Id}/close").M(">");
            ConsolePages.Token(html, token);
            html.M("<input type=\"hidden\" name=\"version\"").A("value", version).M(">")
                .M("<label for=\"verdict\">Verdict</label><select id=\"verdict\" name=\"verdict\" required><option value=\"\">choose…</option>")
                .M("<option value=\"true-positive\">true positive</option><option value=\"benign-positive\">benign positive</option>")
                .M("<option value=\"false-positive\">false positive</option></select>")
                .M("<label for=\"close-note\">Note</label><input id=\"close-note\" name=\"note\" maxlength=\"4000\">")
                .M("<button id=\"close\" type=\"submit\">Close</button></form>");
        }
        html.M("</section>");
    }

    private static void WriteScore(HtmlWriter html, RiskScore? risk, string heading, string title)
    {
        html.El(heading, title);
        if (risk is null || risk.Parts.Count == 0)
        {
            html.El("p", "No breakdown recorded.", "empty");
            return;
        }
        html.M("<table class=\"score\"><thead><tr><th scope=\"col\">Factor</th><th scope=\"col\">Points</th><th scope=\"col\">Why</th></tr></thead><tbody>");
        foreach (var part in risk.Parts)
        {
            html.M("<tr>").El("td", part.Factor).El("td", part.Points.ToString(CultureInfo.InvariantCulture), "num").El("td", part.Reason).M("</tr>");
        }
        html.M("</tbody><tfoot><tr><th scope=\"row\">Total</th>").El("td", risk.Total.ToString(CultureInfo.InvariantCulture), "num").M("<td></td></tr></tfoot></table>");
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

    private static void WriteAlerts(HtmlWriter html, List<Alert> alerts, bool more)
    {
        html.El("h2", $"Alerts ({alerts.Count}{(more ? "+" : "")})");
        foreach (var alert in alerts)
        {
            html.M("<article class=\"alert\"").A("id", "alert-" + alert.Id).M("><h3>")
                .El("span", alert.Severity.ToName(), "sev sev-" + alert.Severity.ToName()).M(" ").T(alert.Title).M("</h3><dl class=\"facts\">")
                .El("dt", "Rule").El("dd", alert.RuleId)
                .El("dt", "Status").El("dd", LifecycleNames.ToName(alert.Status))
                .El("dt", "Events").El("dd", alert.EventCount.ToString(CultureInfo.InvariantCulture))
                .El("dt", "Seen").El("dd", ConsolePages.Time(alert.FirstSeen) + " – " + ConsolePages.Time(alert.LastSeen));
            if (alert.Producer is not null)
            {
                html.El("dt", "Producer").El("dd", alert.Producer);
            }
            if (alert.Description is not null)
            {
                html.El("dt", "Description").El("dd", alert.Description);
            }
            if (alert.Observables.Count > 0)
            {
                html.El("dt", "Observables").El("dd", string.Join(", ", alert.Observables));
            }
            if (alert.Tags.Count > 0)
            {
                html.El("dt", "Tags").El("dd", string.Join(", ", alert.Tags));
            }
            foreach (var (field, value) in alert.GroupBy)
            {
                html.El("dt", "Grouped by " + field).El("dd", value);
            }
            foreach (var (entity, criticality) in alert.Context)
            {
                html.El("dt", "Criticality of " + entity).El("dd", criticality);
            }
            foreach (var hit in alert.IntelHits)
            {
                html.El("dt", "Intel: " + hit.Observable).El("dd", $"{hit.Feed} (score {hit.Score}, {hit.Match} match on {hit.Indicator})");
            }
            html.M("</dl>");
            if (alert.Risk is { Parts.Count: > 0 } risk)
            {
                html.M("<details><summary>Alert score ").T(risk.Total.ToString(CultureInfo.InvariantCulture)).M("</summary>");
                WriteScore(html, risk, "h4", "Alert score breakdown");
                html.M("</details>");
            }
            for (var i = 0; i < Math.Min(alert.Evidence.Count, EvidencePerAlert); i++)
            {
                WriteEvidence(html, alert.Evidence[i]);
            }
            if (alert.Evidence.Count > EvidencePerAlert)
            {
                html.El("p", $"{alert.Evidence.Count - EvidencePerAlert} more events: GET /api/v1/alerts/{alert.Id} has them all.", "more");
            }
            html.M("</article>");
        }
    }

    /// <summary>An event behind an alert, as field/value rows: every value is the source's, shown as text.</summary>
    private static void WriteEvidence(HtmlWriter html, EvidenceEvent evidence)
    {
        html.M("<details class=\"evidence\"><summary>Event ").T(evidence.Ref.ToString()).M(" at ").T(ConsolePages.Time(evidence.Timestamp)).M("</summary>");
        try
        {
            using var document = JsonDocument.Parse(evidence.Json);
            html.M("<table class=\"fields\"><tbody>");
            WriteFields(html, "", document.RootElement);
            html.M("</tbody></table>");
        }
        catch (JsonException)
        {
            html.El("pre", evidence.Json);
        }
        html.M("</details>");
    }

    private static void WriteFields(HtmlWriter html, string prefix, JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                WriteFields(html, prefix.Length == 0 ? property.Name : prefix + "." + property.Name, property.Value);
            }
            return;
        }
        var value = element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText();
        html.M("<tr>").El("th", prefix).El("td", value).M("</tr>");
    }

    private static void WriteHistory(HtmlWriter html, Incident incident)
    {
        html.El("h2", "History");
        if (incident.Transitions.Count == 0)
        {
            html.El("p", "No status changes yet.", "empty");
            return;
        }
        html.M("<ol class=\"history\">");
        foreach (var step in incident.Transitions)
        {
            var line = $"{ConsolePages.Time(step.At)} {step.By.Name}: {LifecycleNames.ToName(step.From)} → {LifecycleNames.ToName(step.To)}"
                + (step.Verdict is { } v ? $" ({LifecycleNames.ToName(v)})" : "") + (step.Note is { } n ? $" — {n}" : "");
            html.El("li", line);
        }
        html.M("</ol>");
    }
}
