using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Domain;
using Vedette.Identity;
using Vedette.Serialization;
using Vedette.Storage;

namespace Vedette.Server.Api;

/// <summary>Alerts: list with filters and cursor paging, show, and the analyst workflow.</summary>
internal static class AlertsApi
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var kind = WorkKind.Alerts;
        routes.MapApi("GET", "/api/v1/alerts", ListAsync);
        routes.MapApi("GET", "/api/v1/alerts/{id}", (Guid id, HttpContext context, IStore store) => WorkItemActions.ShowAsync(kind, id, context, store));
        routes.MapApi("GET", "/api/v1/alerts/{id}/comments", (Guid id, HttpContext context, IStore store) => WorkItemActions.CommentsAsync(kind, id, context, store));
        routes.MapApi("POST", "/api/v1/alerts/{id}/acknowledge", (Guid id, ActionRequest? request, HttpContext context, IStore store, TimeProvider time) =>
            WorkItemActions.AcknowledgeAsync(kind, id, request, context, store, time));
        routes.MapApi("POST", "/api/v1/alerts/{id}/assign", (Guid id, AssignRequest request, HttpContext context, IStore store, IIdentityStore identity, TimeProvider time) =>
            WorkItemActions.AssignAsync(kind, id, request, context, store, identity, time));
        routes.MapApi("POST", "/api/v1/alerts/{id}/status", (Guid id, StatusRequest request, HttpContext context, IStore store, TimeProvider time) =>
            WorkItemActions.ChangeStatusAsync(kind, id, request, context, store, time));
        routes.MapApi("POST", "/api/v1/alerts/{id}/comments", (Guid id, CommentRequest request, HttpContext context, IStore store, TimeProvider time) =>
            WorkItemActions.CommentAsync(kind, id, request, context, store, time));
    }

    /// <summary>GET /api/v1/alerts?status=&amp;severity=(minimum)&amp;rule=&amp;incident=&amp;from=&amp;to=&amp;limit=&amp;after=</summary>
    private static async Task<IResult> ListAsync(HttpContext context, IStore store)
    {
        var query = context.Request.Query;
        var filter = new AlertQuery();
        try
        {
            filter = filter with
            {
                Status = Filters.Status(query["status"]),
                MinSeverity = Filters.Severity(query["severity"]),
                RuleId = Filters.Text(query["rule"]),
                IncidentId = Filters.Id(query["incident"], "incident"),
                From = Filters.Time(query["from"], "from"),
                To = Filters.Time(query["to"], "to"),
                Limit = Filters.Limit(query["limit"]),
                After = Filters.Text(query["after"]),
            };
            var page = await store.ListAlertsAsync(filter, context.RequestAborted);
            return ApiResults.Page(page.Items, page.Next, (writer, alert) => DomainJson.WriteAlert(writer, alert, includeEvidence: false));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return ApiResults.BadRequest(ex.Message);
        }
    }
}

/// <summary>Query-string filters, parsed once at the boundary; a bad value names the parameter.</summary>
internal static class Filters
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;

    public static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public static CaseStatus? Status(string? value) =>
        Text(value) is not { } text ? null
        : LifecycleNames.TryParseStatus(text, out var status) ? status
        : throw new FormatException($"status must be new, acknowledged, investigating, escalated or closed, not '{text}'");

    public static Severity? Severity(string? value) =>
        Text(value) is not { } text ? null
        : SeverityNames.TryParse(text, out var severity) ? severity
        : throw new FormatException($"severity must be informational, low, medium, high or critical, not '{text}'");

    public static Guid? Id(string? value, string name) =>
        Text(value) is not { } text ? null
        : Guid.TryParse(text, out var id) ? id
        : throw new FormatException($"{name} must be an id, not '{text}'");

    public static DateTimeOffset? Time(string? value, string name) =>
        Text(value) is not { } text ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time
        : throw new FormatException($"{name} must be an ISO 8601 time, not '{text}'");

    /// <summary>
    /// The incident listing's filters from a query string (the API's and the console queue's, so that a queue URL and
    /// an API URL filter alike): status, severity (minimum), rule, assignee ("-" for nobody), from, to, q (free text).
    /// </summary>
    public static IncidentQuery Incidents(IQueryCollection query) => new()
    {
        Status = Status(query["status"]),
        MinSeverity = Severity(query["severity"]),
        RuleId = Text(query["rule"]),
        Assignee = Text(query["assignee"]),
        From = Time(query["from"], "from"),
        To = Time(query["to"], "to"),
        Text = Text(query["q"]) is { Length: > 200 } ? throw new FormatException("q may have at most 200 characters") : Text(query["q"]),
        Limit = Limit(query["limit"]),
        After = Text(query["after"]),
    };

    public static int Limit(string? value) =>
        Text(value) is not { } text ? DefaultLimit
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= MaxLimit ? limit
        : throw new FormatException($"limit must be 1 to {MaxLimit}, not '{text}'");
}
