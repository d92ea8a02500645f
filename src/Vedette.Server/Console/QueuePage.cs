using Microsoft.AspNetCore.Http;
using Vedette.Domain;
using Vedette.Server.Api;
using Vedette.Server.Auth;
using Vedette.Storage;

namespace Vedette.Server.Console;

/// <summary>GET /console/queue: open work in the store's queue order (score, then SLA due time), filtered and paged.</summary>
internal static class QueuePage
{
    public static async Task<IResult> ShowAsync(HttpContext context, IStore store, TimeProvider time)
    {
        var query = context.Request.Query;
        CaseStatus? status;
        Severity? severity;
        int limit;
        try
        {
            status = Filters.Status(query["status"]);
            severity = Filters.Severity(query["severity"]);
            limit = Filters.Limit(query["limit"]);
        }
        catch (FormatException ex)
        {
            return ConsolePages.Message(StatusCodes.Status400BadRequest, "Bad filter", ex.Message);
        }
        var after = Filters.Text(query["after"]);
        var page = await store.ListIncidentsAsync(new IncidentQuery { Status = status, MinSeverity = severity, Limit = limit, After = after }, context.RequestAborted);
        var caller = Caller.From(context);
        var token = ConsoleSecurity.FormToken(context);
        var now = time.GetUtcNow();
        return ConsolePages.Page(ConsolePages.Layout("Queue", caller, token, html =>
        {
            html.M("<h1>Incident queue</h1>");
            WriteFilters(html, status, severity, limit);
            if (page.Items.Count == 0)
            {
                html.El("p", after is null ? "No incidents match." : "No more incidents.", "empty");
            }
            else
            {
                html.M("<table class=\"queue\"><thead><tr><th scope=\"col\">Severity</th><th scope=\"col\">Score</th><th scope=\"col\">Incident</th>")
                    .M("<th scope=\"col\">Status</th><th scope=\"col\">SLA due</th><th scope=\"col\">Assignee</th><th scope=\"col\">Alerts</th><th scope=\"col\">Entities</th></tr></thead><tbody>");
                foreach (var incident in page.Items)
                {
                    WriteRow(html, incident, now);
                }
                html.M("</tbody></table>");
            }
            html.M("<nav class=\"pager\" aria-label=\"Pages\">");
            if (after is not null)
            {
                html.M("<a").A("href", Link(status, severity, limit, null)).M(">First page</a>");
            }
            if (page.Next is { } next)
            {
                html.M("<a rel=\"next\"").A("href", Link(status, severity, limit, next)).M(">Next page</a>");
            }
            html.M("</nav>");
        }));
    }

    private static void WriteRow(HtmlWriter html, Incident incident, DateTimeOffset now)
    {
        var overdue = incident.Status != CaseStatus.Closed && incident.DueAt < now;
        html.M("<tr").A("data-id", incident.Id.ToString()).M(">")
            .El("td", incident.Severity.ToName(), "sev sev-" + incident.Severity.ToName())
            .El("td", incident.Score.ToString(System.Globalization.CultureInfo.InvariantCulture), "num")
            .M("<td><a class=\"row-link\" data-nav").A("href", "/console/incidents/" + incident.Id).M(">").T(incident.Title).M("</a></td>")
            .El("td", LifecycleNames.ToName(incident.Status), "status")
            .El("td", ConsolePages.Time(incident.DueAt) + (overdue ? " (overdue)" : ""), overdue ? "due overdue" : "due")
            .El("td", incident.Assignee ?? "—")
            .El("td", incident.AlertIds.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), "num")
            .M("<td class=\"entities\">");
        var shown = Math.Min(incident.Entities.Count, 4);
        for (var i = 0; i < shown; i++)
        {
            html.El("span", incident.Entities[i].ToString(), "entity");
        }
        if (incident.Entities.Count > shown)
        {
            html.El("span", $"+{incident.Entities.Count - shown}", "more");
        }
        html.M("</td></tr>");
    }

    private static void WriteFilters(HtmlWriter html, CaseStatus? status, Severity? severity, int limit)
    {
        html.M("<form class=\"filters\" method=\"get\" action=\"/console/queue\">")
            .M("<label for=\"severity\">Severity at least</label><select id=\"severity\" name=\"severity\"><option value=\"\">any</option>");
        foreach (var value in Enum.GetValues<Severity>())
        {
            Option(html, value.ToName(), severity == value);
        }
        html.M("</select><label for=\"status\">Status</label><select id=\"status\" name=\"status\"><option value=\"\">any</option>");
        foreach (var value in Enum.GetValues<CaseStatus>())
        {
            Option(html, LifecycleNames.ToName(value), status == value);
        }
        html.M("</select>");
        if (limit != Filters.DefaultLimit)
        {
            html.M("<input type=\"hidden\" name=\"limit\"").A("value", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)).M(">");
        }
        html.M("<button type=\"submit\">Filter</button></form>");
    }

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
    public static string Link(CaseStatus? status, Severity? severity, int limit, string? after)
    {
        var parts = new List<string>(4);
        if (severity is { } s)
        {
            parts.Add("severity=" + Uri.EscapeDataString(s.ToName()));
        }
        if (status is { } st)
        {
            parts.Add("status=" + Uri.EscapeDataString(LifecycleNames.ToName(st)));
        }
        if (limit != Filters.DefaultLimit)
        {
            parts.Add("limit=" + limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (after is not null)
        {
            parts.Add("after=" + Uri.EscapeDataString(after));
        }
        return parts.Count == 0 ? "/console/queue" : "/console/queue?" + string.Join('&', parts);
    }
}
