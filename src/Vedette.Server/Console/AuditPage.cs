using System.Globalization;
using Microsoft.AspNetCore.Http;
using Vedette.Domain;
using Vedette.Server.Api;
using Vedette.Server.Auth;
using Vedette.Storage;

namespace Vedette.Server.Console;

/// <summary>GET /console/audit (leads and admins): the audit log newest first, filtered by actor, action and target.</summary>
internal static class AuditPage
{
    private const int PageSize = 100;

    public static async Task<IResult> ShowAsync(HttpContext context, IStore store)
    {
        var query = context.Request.Query;
        var actor = Filters.Text(query["actor"]);
        var action = Filters.Text(query["action"]);
        var target = Filters.Text(query["target"]);
        long? before = null;
        if (Filters.Text(query["before"]) is { } text)
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                return ConsolePages.Message(StatusCodes.Status400BadRequest, "Bad filter", $"'before' must be an audit sequence number, not '{text}'.");
            }
            before = sequence;
        }
        var entries = await store.SearchAuditAsync(new AuditQuery { Actor = actor, Action = action, Target = target, Before = before, Limit = PageSize }, context.RequestAborted);
        var caller = Caller.From(context);
        var token = ConsoleSecurity.FormToken(context);
        return ConsolePages.Page(ConsolePages.Layout("Audit log", caller, token, html =>
        {
            html.M("<h1>Audit log</h1>")
                .El("p", "Every analyst and administrator action, newest first. Each entry is chained to the one before it by its hash; `vedette audit verify` checks the whole chain.", "muted")
                .M("<form class=\"filters\" method=\"get\" action=\"/console/audit\">")
                .M("<label for=\"actor\">Actor</label><input id=\"actor\" name=\"actor\"").A("value", actor).M(">")
                .M("<label for=\"action\">Action (or prefix ending in .)</label><input id=\"action\" name=\"action\"").A("value", action).M(">")
                .M("<label for=\"target\">Target</label><input id=\"target\" name=\"target\" size=\"44\"").A("value", target).M(">")
                .M("<button type=\"submit\">Filter</button></form>");
            if (entries.Count == 0)
            {
                html.El("p", "No entries match.", "empty");
                return;
            }
            WriteTable(html, entries, showTarget: true);
            if (entries.Count == PageSize)
            {
                var link = "/console/audit?" + string.Join('&', new[] { ("actor", actor), ("action", action), ("target", target), ("before", entries[^1].Sequence.ToString(CultureInfo.InvariantCulture)) }
                    .Where(p => p.Item2 is not null).Select(p => p.Item1 + "=" + Uri.EscapeDataString(p.Item2!)));
                html.M("<nav class=\"pager\" aria-label=\"Pages\"><a rel=\"next\"").A("href", link).M(">Older entries</a></nav>");
            }
        }));
    }

    public static void WriteTable(HtmlWriter html, IReadOnlyList<AuditEntry> entries, bool showTarget)
    {
        html.M("<table class=\"audit\"><thead><tr><th scope=\"col\">#</th><th scope=\"col\">When</th><th scope=\"col\">Actor</th><th scope=\"col\">Action</th>");
        if (showTarget)
        {
            html.M("<th scope=\"col\">Target</th>");
        }
        html.M("<th scope=\"col\">Details</th></tr></thead><tbody>");
        foreach (var entry in entries)
        {
            html.M("<tr>").El("td", entry.Sequence.ToString(CultureInfo.InvariantCulture), "num")
                .El("td", ConsolePages.Time(entry.At)).El("td", entry.Actor).El("td", entry.Action, "action");
            if (showTarget)
            {
                html.M("<td>");
                if (TargetLink(entry.Target) is { } link)
                {
                    html.M("<a").A("href", link).M(">").T(entry.Target).M("</a>");
                }
                else
                {
                    html.T(entry.Target);
                }
                html.M("</td>");
            }
            html.El("td", entry.Details, "details").M("</tr>");
        }
        html.M("</tbody></table>");
    }

    /// <summary>Alerts and incidents have pages; a target is only linked when it is one of them by a well-formed id.</summary>
    private static string? TargetLink(string target)
    {
        var slash = target.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !Guid.TryParse(target.AsSpan(slash + 1), out var id))
        {
            return null;
        }
        return target[..slash] switch
        {
            "incident" => "/console/incidents/" + id,
            "alert" => "/console/alerts/" + id,
            _ => null,
        };
    }
}
