using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Domain;
using Vedette.Server.Api;
using Vedette.Storage;
using Vedette.Triage;

namespace Vedette.Server.Console.Admin;

/// <summary>
/// /console/admin/suppressions: what is silenced, by whom, why, until when and how often it matched, with the forms
/// of the suppressions API (<see cref="SuppressionsApi"/>'s actions) for those whose role may change them.
/// </summary>
internal static class SuppressionsPage
{
    public const string Path = "/console/admin/suppressions";

    private const int MaxFieldLines = 20;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapApi("GET", Path, (HttpContext context, IStore store, TimeProvider time) => RenderAsync(context, store, time, StatusCodes.Status200OK, null));
        routes.MapApi("POST", Path, AddAsync).AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
        routes.MapApi("POST", Path + "/{id}/lift", LiftAsync).AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
    }

    private static async Task<IResult> AddAsync(HttpContext context, IStore store, ActiveSuppressions active, TimeProvider time)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (ParseFields(form["fields"].ToString(), out var fields) is { } problem)
        {
            return await RenderAsync(context, store, time, StatusCodes.Status400BadRequest, problem);
        }
        var request = new SuppressionRequest(form["reason"].ToString().Trim(), Filters.Text(form["ruleId"].ToString()), Filters.Text(form["entity"].ToString()),
            fields, Filters.Text(form["expires"].ToString()));
        var outcome = await SuppressionsApi.TryAddAsync(request, context, store, active, time.GetUtcNow());
        return await AdminFrame.AfterAsync(outcome, Path, (status, error) => RenderAsync(context, store, time, status, error));
    }

    private static async Task<IResult> LiftAsync(string id, HttpContext context, IStore store, ActiveSuppressions active, TimeProvider time)
    {
        if (!Guid.TryParse(id, out var suppressionId))
        {
            return await RenderAsync(context, store, time, StatusCodes.Status404NotFound, $"'{id}' is not a suppression id");
        }
        var outcome = await SuppressionsApi.TryRemoveAsync(suppressionId, context, store, active, time.GetUtcNow());
        return await AdminFrame.AfterAsync(outcome, Path, (status, error) => RenderAsync(context, store, time, status, error));
    }

    /// <summary>The form's "field=value" lines as the API's fields object; null when there are none.</summary>
    private static string? ParseFields(string text, out Dictionary<string, string>? fields)
    {
        fields = null;
        var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length > MaxFieldLines)
        {
            return $"fields: at most {MaxFieldLines} lines";
        }
        foreach (var line in lines)
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return $"fields: each line is field=value, not '{line}'";
            }
            fields ??= new Dictionary<string, string>(StringComparer.Ordinal);
            fields[line[..equals].Trim()] = line[(equals + 1)..].Trim();
        }
        return null;
    }

    private static async Task<IResult> RenderAsync(HttpContext context, IStore store, TimeProvider time, int status, string? error)
    {
        var all = string.Equals(context.Request.Query["all"], "true", StringComparison.OrdinalIgnoreCase);
        var now = time.GetUtcNow();
        var suppressions = (await store.ListSuppressionsAsync(all, context.RequestAborted)).Where(s => all || s.IsActive(now)).ToList();
        return AdminFrame.Page(context, Path, "Suppressions", status, error, (html, caller, token) =>
        {
            var mayLift = AdminFrame.May(caller, "POST", Path + "/{id}/lift");
            html.M("<p>").M(all ? "<a href=\"/console/admin/suppressions\">Show active suppressions only</a>" : "<a href=\"/console/admin/suppressions?all=true\">Show lifted and expired suppressions too</a>").M("</p>");
            if (suppressions.Count == 0)
            {
                html.El("p", "No suppressions.", "empty");
            }
            else
            {
                html.M("<table class=\"admin suppressions\"><thead><tr><th scope=\"col\">State</th><th scope=\"col\">Rule</th><th scope=\"col\">Entity</th>")
                    .M("<th scope=\"col\">Fields</th><th scope=\"col\">Expires</th><th scope=\"col\">Reason</th><th scope=\"col\">Author</th><th scope=\"col\">Created</th>")
                    .M("<th scope=\"col\">Hits</th><th scope=\"col\">Actions</th></tr></thead><tbody>");
                foreach (var suppression in suppressions)
                {
                    WriteRow(html, suppression, now, mayLift, token);
                }
                html.M("</tbody></table>");
            }
            if (AdminFrame.May(caller, "POST", Path))
            {
                WriteAddForm(html, token);
            }
        });
    }

    private static void WriteRow(HtmlWriter html, Suppression suppression, DateTimeOffset now, bool mayLift, string token)
    {
        var state = suppression.RemovedAt is { } removed ? $"lifted by {suppression.RemovedBy} at {ConsolePages.Time(removed)}"
            : suppression.IsActive(now) ? "active"
            : "expired";
        html.M("<tr").A("data-id", suppression.Id.ToString()).M(">").El("td", state, "state")
            .El("td", suppression.RuleId ?? "any")
            .El("td", suppression.Entity is { } entity ? $"{ObservableTypes.ToName(entity.Type)}:{entity.Value}" : "any")
            .El("td", suppression.Fields.Count == 0 ? "—" : string.Join(", ", suppression.Fields.Select(f => $"{f.Key}={f.Value}")))
            .El("td", suppression.ExpiresAt is { } expires ? ConsolePages.Time(expires) : "never")
            .El("td", suppression.Reason).El("td", suppression.Author).El("td", ConsolePages.Time(suppression.CreatedAt))
            .El("td", suppression.Hits.ToString(System.Globalization.CultureInfo.InvariantCulture), "num").M("<td>");
        if (mayLift && suppression.RemovedAt is null)
        {
            AdminFrame.Form(html, $"{Path}/{suppression.Id}/lift", token).M("<button type=\"submit\">Lift</button></form>");
        }
        html.M("</td></tr>");
    }

    private static void WriteAddForm(HtmlWriter html, string token)
    {
        html.M("<h2 id=\"add-suppression\">Add a suppression</h2>");
        AdminFrame.Form(html, Path, token, "admin-form", "add-suppression")
            .M("<label for=\"sup-reason\">Reason</label><input id=\"sup-reason\" name=\"reason\" required maxlength=\"1000\">")
            .M("<label for=\"sup-rule\">Rule id or name</label><input id=\"sup-rule\" name=\"ruleId\" maxlength=\"200\">")
            .M("<label for=\"sup-entity\">Entity</label><input id=\"sup-entity\" name=\"entity\" maxlength=\"500\" placeholder=\"host:wks01.corp.example\">")
            .M("<label for=\"sup-fields\">Fields (one field=value a line)</label><textarea id=\"sup-fields\" name=\"fields\" rows=\"3\" maxlength=\"4000\"></textarea>")
            .M("<label for=\"sup-expires\">Expires</label><input id=\"sup-expires\" name=\"expires\" maxlength=\"40\" placeholder=\"7d, 2026-12-31\" aria-describedby=\"sup-help\">")
            .M("<p id=\"sup-help\" class=\"more\">At least one of rule, entity or fields. Expiry: a duration (30m, 12h, 7d, 2w), a date or a time; empty for never.</p>")
            .M("<button id=\"add-suppression-submit\" type=\"submit\">Add suppression</button></form>");
    }
}
