using System.Globalization;
using System.Text.Json;
using Vedette.Domain;
using Vedette.Identity;
using Vedette.Server.Auth;

namespace Vedette.Server.Console;

/// <summary>The parts the alert page and the incident page share: action forms, score table, events, activity.</summary>
internal static class ItemSections
{
    /// <summary>
    /// Acknowledge, assign, move and close forms for an item under /console/{prefix}/{id}/…; each carries the version
    /// the analyst saw, so acting on a page that someone else changed meanwhile is refused rather than overwriting.
    /// </summary>
    public static void WriteActions(HtmlWriter html, string prefix, WorkItem item, Caller caller, string token, IReadOnlyList<UserSummary> users)
    {
        var version = item.Version.ToString(CultureInfo.InvariantCulture);
        var action = $"/console/{prefix}/{item.Id}/";
        html.M("<section class=\"actions\" aria-labelledby=\"actions-h\"><h2 id=\"actions-h\">Actions</h2>");
        if (item.Status == CaseStatus.New)
        {
            Form(html, action + "acknowledge", token, version);
            html.M("<label for=\"ack-note\">Note</label><input id=\"ack-note\" name=\"note\" maxlength=\"4000\">")
                .M("<button id=\"acknowledge\" type=\"submit\" aria-keyshortcuts=\"a\">Acknowledge</button></form>");
        }

        Form(html, action + "assign", token, version);
        html.M("<label for=\"assignee\">Assignee</label><input id=\"assignee\" name=\"assignee\" list=\"users\" autocomplete=\"off\"")
            .A("value", item.Assignee).M("><datalist id=\"users\">");
        foreach (var user in users.Where(u => !u.Disabled && u.Role >= Role.Analyst))
        {
            html.M("<option").A("value", user.Name).M(">");
        }
        html.M("</datalist><button type=\"submit\">Assign</button></form>");
        if (item.Assignee != caller.Name)
        {
            Form(html, action + "assign", token, version);
            html.M("<input type=\"hidden\" name=\"assignee\"").A("value", caller.Name).M("><button type=\"submit\">Assign to me</button></form>");
        }

        // Acknowledging and closing have forms of their own above and below.
        var moves = Enum.GetValues<CaseStatus>().Where(to => to is not (CaseStatus.Closed or CaseStatus.New or CaseStatus.Acknowledged) && Lifecycle.IsAllowed(item.Status, to)).ToList();
        if (moves.Count > 0)
        {
            Form(html, action + "status", token, version);
            html.M("<label for=\"status-to\">Move to</label><select id=\"status-to\" name=\"status\">");
            foreach (var to in moves)
            {
                html.M("<option").A("value", LifecycleNames.ToName(to)).M(">").T(item.Status == CaseStatus.Closed ? "reopen (investigating)" : LifecycleNames.ToName(to)).M("</option>");
            }
            html.M("</select><label for=\"status-note\">Note</label><input id=\"status-note\" name=\"note\" maxlength=\"4000\">")
                .M("<button type=\"submit\">Move</button></form>");
        }

        if (item.Status != CaseStatus.Closed)
        {
            Form(html, action + "close", token, version);
            html.M("<label for=\"verdict\">Verdict</label><select id=\"verdict\" name=\"verdict\" required><option value=\"\">choose…</option>")
                .M("<option value=\"true-positive\">true positive</option><option value=\"benign-positive\">benign positive</option>")
                .M("<option value=\"false-positive\">false positive</option></select>")
                .M("<label for=\"close-note\">Note</label><input id=\"close-note\" name=\"note\" maxlength=\"4000\">")
                .M("<button id=\"close\" type=\"submit\">Close</button></form>");
        }
        html.M("</section>");
    }

    /// <summary>Opens a POST form with its CSRF token and the item version the page was rendered from.</summary>
    public static void Form(HtmlWriter html, string action, string token, string? version, string? id = null)
    {
        html.M("<form method=\"post\"").A("action", action);
        if (id is not null)
        {
            html.A("id", id);
        }
        html.M(">");
        ConsolePages.Token(html, token);
        if (version is not null)
        {
            html.M("<input type=\"hidden\" name=\"version\"").A("value", version).M(">");
        }
    }

    public static void WriteComments(HtmlWriter html, string prefix, Guid id, IReadOnlyList<Api.Comment> comments, bool canComment, string token)
    {
        html.M("<section aria-labelledby=\"comments-h\"><h2 id=\"comments-h\">Comments</h2>");
        if (comments.Count == 0)
        {
            html.El("p", "No comments yet.", "empty");
        }
        else
        {
            html.M("<ol class=\"comments\">");
            foreach (var comment in comments)
            {
                html.M("<li><p class=\"meta\">").T(comment.Author).M(" · <time").A("datetime", comment.At.ToString("O", CultureInfo.InvariantCulture)).M(">")
                    .T(ConsolePages.Time(comment.At)).M("</time></p>").El("p", comment.Text, "text").M("</li>");
            }
            html.M("</ol>");
        }
        if (canComment)
        {
            Form(html, $"/console/{prefix}/{id}/comment", token, null);
            html.M("<label for=\"comment-text\">Add a comment</label><textarea id=\"comment-text\" name=\"text\" rows=\"3\" maxlength=\"4000\" required></textarea>")
                .M("<button type=\"submit\">Comment</button></form>");
        }
        html.M("</section>");
    }

    /// <summary>The audit entries about this item, newest first: who did what, from the tamper-evident log itself.</summary>
    public static void WriteActivity(HtmlWriter html, IReadOnlyList<AuditEntry> entries)
    {
        html.M("<section aria-labelledby=\"activity-h\"><h2 id=\"activity-h\">Activity (audit log)</h2>");
        if (entries.Count == 0)
        {
            html.El("p", "No analyst actions yet.", "empty");
        }
        else
        {
            AuditPage.WriteTable(html, entries, showTarget: false);
        }
        html.M("</section>");
    }

    public static void WriteScore(HtmlWriter html, RiskScore? risk, string heading, string title)
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

    /// <summary>An alert's facts as a definition list: every value is data, shown as text.</summary>
    public static void WriteAlertFacts(HtmlWriter html, Alert alert)
    {
        html.M("<dl class=\"facts\">")
            .El("dt", "Rule").El("dd", alert.RuleId)
            .El("dt", "Status").El("dd", LifecycleNames.ToName(alert.Status) + (alert.Verdict is { } v ? " (" + LifecycleNames.ToName(v) + ")" : ""))
            .El("dt", "Assignee").El("dd", alert.Assignee ?? "—")
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
            html.El("dt", "Intel: " + hit.Observable).El("dd", IntelText(hit));
        }
        html.M("</dl>");
    }

    public static string IntelText(IntelHit hit) => $"{hit.Feed} (score {hit.Score}, {hit.Match} match on {hit.Indicator})";

    /// <summary>An event behind an alert, as field/value rows: every value is the source's, shown as text.</summary>
    public static void WriteEvidence(HtmlWriter html, EvidenceEvent evidence, bool open = false)
    {
        html.M(open ? "<details class=\"evidence\" open><summary>Event " : "<details class=\"evidence\"><summary>Event ")
            .T(evidence.Ref.ToString()).M(" at ").T(ConsolePages.Time(evidence.Timestamp)).M("</summary>");
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
}
