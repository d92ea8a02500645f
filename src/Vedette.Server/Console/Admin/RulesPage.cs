using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Detection;
using Vedette.Domain;
using Vedette.Server.Api;
using Vedette.Storage;
using Vedette.Triage;

namespace Vedette.Server.Console.Admin;

/// <summary>
/// /console/admin/rules: the rule set the server runs (each rule's level and status, with the enable/disable form of
/// <see cref="RulesApi"/> for leads), and every rule that failed to load with its file, line and reason.
/// </summary>
internal static class RulesPage
{
    public const string Path = "/console/admin/rules";

    private const string StatusPattern = Path + "/{id}/status";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapApi("GET", Path, (HttpContext context, RuleSet rules, IStore store, TimeProvider time) =>
            RenderAsync(context, rules, store, time, StatusCodes.Status200OK, null));
        routes.MapApi("POST", StatusPattern, SetStatusAsync).AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
    }

    private static async Task<IResult> SetStatusAsync(string id, HttpContext context, RuleSet rules, IStore store, ActiveSuppressions active, TimeProvider time)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var request = new RuleStatusRequest(form["status"].ToString(), Filters.Text(form["reason"].ToString()));
        var outcome = await RulesApi.TrySetStatusAsync(id, request, context, rules, store, active, time);
        return await AdminFrame.AfterAsync(outcome, Path, (status, error) => RenderAsync(context, rules, store, time, status, error));
    }

    private static async Task<IResult> RenderAsync(HttpContext context, RuleSet rules, IStore store, TimeProvider time, int status, string? error)
    {
        var disabled = await RulesApi.DisabledAsync(store, time.GetUtcNow(), context.RequestAborted);
        var listed = RulesApi.Ordered(rules);
        return AdminFrame.Page(context, Path, "Rules", status, error, (html, caller, token) =>
        {
            var mayChange = AdminFrame.May(caller, "POST", StatusPattern);
            var disabledCount = listed.Count(r => disabled.ContainsKey(r.Meta.Id));
            html.M("<p class=\"summary\">").T($"{listed.Count} rules loaded, {disabledCount} disabled, {rules.Errors.Count} failed to load.").M("</p>");
            WriteFailures(html, rules);
            html.M("<h2 id=\"loaded\">Loaded rules</h2><table class=\"admin rules\" aria-labelledby=\"loaded\"><thead><tr><th scope=\"col\">Title</th><th scope=\"col\">Id</th>")
                .M("<th scope=\"col\">Level</th><th scope=\"col\">Kind</th><th scope=\"col\">Status</th>");
            if (mayChange)
            {
                html.M("<th scope=\"col\">Actions</th>");
            }
            html.M("</tr></thead><tbody>");
            for (var i = 0; i < listed.Count; i++)
            {
                WriteRule(html, listed[i], disabled.GetValueOrDefault(listed[i].Meta.Id), mayChange ? i : null, token);
            }
            html.M("</tbody></table>");
        });
    }

    private static void WriteFailures(HtmlWriter html, RuleSet rules)
    {
        html.M("<h2 id=\"failed\">Rules that failed to load</h2>");
        if (rules.Errors.Count == 0)
        {
            html.El("p", "Every rule loaded.", "empty");
            return;
        }
        html.M("<table class=\"admin failed-rules\" aria-labelledby=\"failed\"><thead><tr><th scope=\"col\">File</th><th scope=\"col\">Line</th>")
            .M("<th scope=\"col\">Rule</th><th scope=\"col\">Reason</th></tr></thead><tbody>");
        foreach (var failure in rules.Errors)
        {
            html.M("<tr>").El("td", failure.Source.File, "path")
                .El("td", failure.Source.Line > 0 ? AdminFrame.Count(failure.Source.Line) : "—", "num")
                .El("td", failure.RuleId ?? "—").El("td", failure.Reason).M("</tr>");
        }
        html.M("</tbody></table>");
    }

    /// <param name="row">The row's number for its form's field ids; null when the caller may not change rules.</param>
    private static void WriteRule(HtmlWriter html, LoadedRule rule, List<Suppression>? silencedBy, int? row, string token)
    {
        var isDisabled = silencedBy is { Count: > 0 };
        html.M("<tr").A("data-rule", rule.Meta.Id).M(">").M("<th scope=\"row\">").T(rule.Meta.Title).M("</th>")
            .El("td", rule.Meta.Id, "id")
            .El("td", rule.Meta.Level?.ToName() ?? "—", rule.Meta.Level is { } level ? "sev sev-" + level.ToName() : null)
            .El("td", rule.IsCorrelation ? "correlation" : rule.GeneratesAlerts ? "detection" : "detection (feeds correlations only)")
            .El("td", isDisabled ? $"disabled by {silencedBy![0].Author}: {silencedBy[0].Reason}" : "enabled", isDisabled ? "status disabled" : "status");
        if (row is { } n)
        {
            var reasonId = "rule-reason-" + AdminFrame.Count(n);
            html.M("<td>");
            AdminFrame.Form(html, $"{Path}/{Uri.EscapeDataString(rule.Meta.Id)}/status", token)
                .M("<input type=\"hidden\" name=\"status\"").A("value", isDisabled ? "enabled" : "disabled").M(">")
                .M("<label").A("for", reasonId).M(">Reason</label><input name=\"reason\" maxlength=\"500\"").A("id", reasonId).M(">")
                .M("<button type=\"submit\">").T(isDisabled ? "Enable" : "Disable").M("</button></form></td>");
        }
        html.M("</tr>");
    }
}
