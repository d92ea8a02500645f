using System.Globalization;
using Microsoft.AspNetCore.Http;
using Vedette.Domain;
using Vedette.Identity;
using Vedette.Server.Api;
using Vedette.Server.Auth;
using Vedette.Storage;

namespace Vedette.Server.Console;

/// <summary>
/// GET /console/queue: open work in the store's queue order (score, then SLA due time), filtered and paged, every
/// filter in the URL; POST /console/queue/bulk acknowledges or assigns the ticked incidents.
/// </summary>
internal static class QueuePage
{
    /// <summary>Incidents one bulk action may touch: a page's worth at most.</summary>
    private const int MaxBulk = Filters.MaxLimit;

    public static async Task<IResult> ShowAsync(HttpContext context, IStore store, TimeProvider time)
    {
        IncidentQuery filter;
        try
        {
            filter = Filters.Incidents(context.Request.Query);
        }
        catch (FormatException ex)
        {
            return ConsolePages.Message(StatusCodes.Status400BadRequest, "Bad filter", ex.Message);
        }
        Page<Incident> page;
        try
        {
            page = await store.ListIncidentsAsync(filter, context.RequestAborted);
        }
        catch (ArgumentException ex)
        {
            // A cursor that is not one of ours.
            return ConsolePages.Message(StatusCodes.Status400BadRequest, "Bad filter", ex.Message);
        }
        var caller = Caller.From(context);
        var token = ConsoleSecurity.FormToken(context);
        var now = time.GetUtcNow();
        var canAct = caller.Role >= Role.Analyst;
        var self = Link(filter);
        return ConsolePages.Page(ConsolePages.Layout("Queue", caller, token, html =>
        {
            html.M("<h1>Incident queue</h1>");
            WriteNotice(html, context.Request.Query);
            WriteFilters(html, filter);
            if (page.Items.Count == 0)
            {
                html.El("p", filter.After is null ? "No incidents match." : "No more incidents.", "empty");
            }
            else
            {
                if (canAct)
                {
                    WriteBulk(html, token, self, caller);
                }
                html.M("<table class=\"queue\"><thead><tr>");
                if (canAct)
                {
                    html.M("<th scope=\"col\"><span class=\"visually-hidden\">Select</span></th>");
                }
                html.M("<th scope=\"col\">Severity</th><th scope=\"col\">Score</th><th scope=\"col\">Incident</th>")
                    .M("<th scope=\"col\">Status</th><th scope=\"col\">SLA due</th><th scope=\"col\">Assignee</th><th scope=\"col\" class=\"col-alerts\">Alerts</th><th scope=\"col\" class=\"col-entities\">Entities</th></tr></thead><tbody>");
                foreach (var incident in page.Items)
                {
                    WriteRow(html, incident, now, canAct);
                }
                html.M("</tbody></table>");
            }
            html.M("<nav class=\"pager\" aria-label=\"Pages\">");
            if (filter.After is not null)
            {
                html.M("<a").A("href", Link(filter with { After = null })).M(">First page</a>");
            }
            if (page.Next is { } next)
            {
                html.M("<a rel=\"next\"").A("href", Link(filter with { After = next })).M(">Next page</a>");
            }
            html.M("</nav>");
            WriteKeys(html);
        }));
    }

    /// <summary>
    /// Acknowledges or assigns each ticked incident through the API's own actions; one refusal (already acknowledged,
    /// changed meanwhile) does not stop the others, and the counts come back to the queue the analyst was on.
    /// </summary>
    public static async Task<IResult> BulkAsync(HttpContext context, IStore store, IIdentityStore identity, TimeProvider time)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var action = form["action"].ToString();
        var ids = new List<Guid>();
        foreach (var text in form["id"])
        {
            if (!Guid.TryParse(text, out var id))
            {
                return ConsolePages.Message(StatusCodes.Status400BadRequest, "Bad selection", $"'{text}' is not an incident id.");
            }
            ids.Add(id);
        }
        if (ids.Count == 0 || ids.Count > MaxBulk)
        {
            return ConsolePages.Message(StatusCodes.Status400BadRequest, "Nothing selected", $"Tick 1 to {MaxBulk} incidents in the queue, then choose the action.");
        }
        var assignee = form["assignee"].ToString();
        if (action is not ("acknowledge" or "assign"))
        {
            return ConsolePages.Message(StatusCodes.Status400BadRequest, "Unknown action", $"A bulk action is acknowledge or assign, not '{action}'.");
        }
        int done = 0, refused = 0;
        foreach (var id in ids.Distinct())
        {
            var outcome = action == "acknowledge"
                ? await WorkItemActions.TryAcknowledgeAsync(WorkKind.Incidents, id, new ActionRequest(), context, store, time)
                : await WorkItemActions.TryAssignAsync(WorkKind.Incidents, id, new AssignRequest(assignee), context, store, identity, time);
            if (outcome is ActionOutcome.Done)
            {
                done++;
            }
            else
            {
                refused++;
            }
        }
        // Only the queue itself is a place to go back to: the field comes from the form and could name any URL.
        var back = form["return"].ToString();
        if (!back.StartsWith("/console/queue", StringComparison.Ordinal) || back.Contains("//", StringComparison.Ordinal))
        {
            back = "/console/queue";
        }
        var separator = back.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return Results.Redirect($"{back}{separator}done={done}&refused={refused}&did={action}", permanent: false, preserveMethod: false);
    }

    /// <summary>The outcome of a bulk action, from numbers in the URL only (no text from it is shown).</summary>
    private static void WriteNotice(HtmlWriter html, IQueryCollection query)
    {
        if (!int.TryParse(query["done"], NumberStyles.None, CultureInfo.InvariantCulture, out var done)
            || !int.TryParse(query["refused"], NumberStyles.None, CultureInfo.InvariantCulture, out var refused))
        {
            return;
        }
        var verb = query["did"] == "assign" ? "assigned" : "acknowledged";
        var text = $"{done} incident(s) {verb}" + (refused > 0 ? $"; {refused} refused (already in that state, or changed meanwhile)." : ".");
        html.M("<p class=\"notice\" role=\"status\">").T(text).M("</p>");
    }

    private static void WriteBulk(HtmlWriter html, string token, string self, Caller caller)
    {
        // The row checkboxes join this form through their form attribute, so the table stays outside it.
        html.M("<form id=\"bulk\" class=\"bulk\" method=\"post\" action=\"/console/queue/bulk\">");
        ConsolePages.Token(html, token);
        html.M("<input type=\"hidden\" name=\"return\"").A("value", self).M(">")
            .M("<span id=\"selected-count\" aria-live=\"polite\">Tick incidents (x), then:</span>")
            .M("<button type=\"submit\" name=\"action\" value=\"acknowledge\" id=\"bulk-acknowledge\">Acknowledge selected</button>")
            .M("<label for=\"bulk-assignee\">Assign selected to</label><input id=\"bulk-assignee\" name=\"assignee\"").A("value", caller.Name).M(">")
            .M("<button type=\"submit\" name=\"action\" value=\"assign\" id=\"bulk-assign\">Assign selected</button></form>");
    }

    private static void WriteRow(HtmlWriter html, Incident incident, DateTimeOffset now, bool canAct)
    {
        var overdue = incident.Status != CaseStatus.Closed && incident.DueAt < now;
        html.M("<tr").A("data-id", incident.Id.ToString()).M(">");
        if (canAct)
        {
            html.M("<td><input type=\"checkbox\" name=\"id\" form=\"bulk\" class=\"select\"").A("value", incident.Id.ToString())
                .A("aria-label", "Select " + incident.Title).M("></td>");
        }
        html.El("td", incident.Severity.ToName(), "sev sev-" + incident.Severity.ToName())
            .El("td", incident.Score.ToString(CultureInfo.InvariantCulture), "num")
            .M("<td><a class=\"row-link\" data-nav").A("href", "/console/incidents/" + incident.Id).M(">").T(incident.Title).M("</a></td>")
            .El("td", LifecycleNames.ToName(incident.Status), "status")
            .M("<td").A("class", overdue ? "due overdue" : "due").M(">").T(SlaClock(incident, now))
            .M("<br><time class=\"abs\"").A("datetime", incident.DueAt.ToString("O", CultureInfo.InvariantCulture)).M(">").T(ConsolePages.Time(incident.DueAt)).M("</time></td>")
            .El("td", incident.Assignee ?? "—", "assignee")
            .El("td", incident.AlertIds.Count.ToString(CultureInfo.InvariantCulture), "num col-alerts")
            .M("<td class=\"entities col-entities\">");
        var shown = Math.Min(incident.Entities.Count, 4);
        for (var i = 0; i < shown; i++)
        {
            var entity = incident.Entities[i].ToString();
            html.M("<span class=\"entity\"").A("title", entity).M(">").T(entity).M("</span>");
        }
        if (incident.Entities.Count > shown)
        {
            html.El("span", $"+{incident.Entities.Count - shown}", "more");
        }
        html.M("</td></tr>");
    }

    /// <summary>Time left until the SLA runs out (or how long ago it did), which is what the analyst decides on.</summary>
    private static string SlaClock(Incident incident, DateTimeOffset now)
    {
        if (incident.Status == CaseStatus.Closed)
        {
            return "closed";
        }
        var left = incident.DueAt - now;
        var span = left.Duration();
        var text = span.TotalDays >= 1 ? $"{(int)span.TotalDays} d {span.Hours} h"
            : span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : $"{(int)span.TotalMinutes} min";
        return left < TimeSpan.Zero ? $"overdue {text}" : $"{text} left";
    }

    private static void WriteFilters(HtmlWriter html, IncidentQuery filter)
    {
        html.M("<form class=\"filters\" method=\"get\" action=\"/console/queue\" role=\"search\">")
            .M("<label for=\"q\">Search</label><input id=\"q\" name=\"q\" type=\"search\" maxlength=\"200\" placeholder=\"title or entity (/)\" aria-keyshortcuts=\"/\"").A("value", filter.Text).M(">")
            .M("<label for=\"severity\">Severity at least</label><select id=\"severity\" name=\"severity\"><option value=\"\">any</option>");
        foreach (var value in Enum.GetValues<Severity>())
        {
            Option(html, value.ToName(), filter.MinSeverity == value);
        }
        html.M("</select><label for=\"status\">Status</label><select id=\"status\" name=\"status\"><option value=\"\">any</option>");
        foreach (var value in Enum.GetValues<CaseStatus>())
        {
            Option(html, LifecycleNames.ToName(value), filter.Status == value);
        }
        html.M("</select>")
            .M("<label for=\"rule\">Rule id</label><input id=\"rule\" name=\"rule\" size=\"14\"").A("value", filter.RuleId).M(">")
            .M("<label for=\"assignee-filter\">Assignee (- for nobody)</label><input id=\"assignee-filter\" name=\"assignee\" size=\"10\"").A("value", filter.Assignee).M(">")
            .M("<label for=\"from\">Active from (UTC)</label><input id=\"from\" name=\"from\" type=\"datetime-local\"").A("value", Local(filter.From)).M(">")
            .M("<label for=\"to\">to</label><input id=\"to\" name=\"to\" type=\"datetime-local\"").A("value", Local(filter.To)).M(">");
        if (filter.Limit != Filters.DefaultLimit)
        {
            html.M("<input type=\"hidden\" name=\"limit\"").A("value", filter.Limit.ToString(CultureInfo.InvariantCulture)).M(">");
        }
        html.M("<button type=\"submit\">Filter</button><a href=\"/console/queue\">Clear</a></form>");
    }

    private static void WriteKeys(HtmlWriter html) =>
        html.M("<details class=\"keys\"><summary>Keyboard</summary><dl>")
            .El("dt", "j / k").El("dd", "next / previous incident")
            .El("dt", "Enter").El("dd", "open it")
            .El("dt", "x").El("dd", "tick it for a bulk action")
            .El("dt", "a").El("dd", "acknowledge the ticked incidents (or the one in focus)")
            .El("dt", "/").El("dd", "search")
            .M("</dl></details>");

    private static string? Iso(DateTimeOffset? at) =>
        at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A datetime-local input's value: minutes, no zone (the label says UTC, and the query reads it as UTC).</summary>
    private static string? Local(DateTimeOffset? at) =>
        at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    private static void Option(HtmlWriter html, string value, bool selected)
    {
        html.M("<option").A("value", value);
        if (selected)
        {
            html.M(" selected");
        }
        html.M(">").T(value).M("</option>");
    }

    /// <summary>The queue's URL with its filters: every view of the queue can be linked and reloaded.</summary>
    public static string Link(IncidentQuery filter)
    {
        var parts = new List<(string, string?)>
        {
            ("q", filter.Text),
            ("severity", filter.MinSeverity?.ToName()),
            ("status", filter.Status is { } s ? LifecycleNames.ToName(s) : null),
            ("rule", filter.RuleId),
            ("assignee", filter.Assignee),
            ("from", Iso(filter.From)),
            ("to", Iso(filter.To)),
            ("limit", filter.Limit != Filters.DefaultLimit ? filter.Limit.ToString(CultureInfo.InvariantCulture) : null),
            ("after", filter.After),
        };
        var query = string.Join('&', parts.Where(p => p.Item2 is not null).Select(p => p.Item1 + "=" + Uri.EscapeDataString(p.Item2!)));
        return query.Length == 0 ? "/console/queue" : "/console/queue?" + query;
    }
}
