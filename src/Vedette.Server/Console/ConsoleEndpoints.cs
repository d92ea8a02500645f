using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Server.Api;
using Vedette.Storage;

namespace Vedette.Server.Console;

/// <summary>
/// The console: server-rendered pages under /console, each in the endpoint table like the API. Pages need a signed-in
/// caller (anonymous callers are sent to the sign-in form); every form post carries a CSRF token.
/// </summary>
internal static class ConsoleEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var assets = Assets();
        routes.MapApi("GET", "/", () => Results.Redirect("/console/queue"));
        // Browsers ask for /favicon.ico wherever a page names no icon (the API reference, a JSON answer).
        var icon = assets["favicon.svg"];
        routes.MapApi("GET", "/favicon.ico", () => Results.Bytes(icon.Bytes, icon.ContentType));
        routes.MapApi("GET", "/console/assets/{name}", (string name) =>
            assets.TryGetValue(name, out var asset) ? Results.Bytes(asset.Bytes, asset.ContentType) : Results.NotFound());
        ConsoleSignIn.Map(routes);
        routes.MapApi("GET", "/console/queue", QueuePage.ShowAsync);
        routes.MapApi("POST", "/console/queue/bulk", QueuePage.BulkAsync).AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
        routes.MapApi("GET", "/console/incidents/{id}", (string id, HttpContext context, IStore store) =>
            Guid.TryParse(id, out var guid) ? IncidentPage.RenderAsync(guid, context, store, StatusCodes.Status200OK, null) : Task.FromResult(NotFound(id, "incident")));
        WorkItemForms.MapItemActions(routes, "incidents", WorkKind.Incidents, IncidentPage.RenderAsync);
        WorkItemForms.MapRegrouping(routes, IncidentPage.RenderAsync);
        WorkItemForms.MapLegalHold(routes, IncidentPage.RenderAsync);
        routes.MapApi("GET", "/console/alerts/{id}", (string id, HttpContext context, IStore store) =>
            Guid.TryParse(id, out var guid) ? AlertPage.RenderAsync(guid, context, store, StatusCodes.Status200OK, null) : Task.FromResult(NotFound(id, "alert")));
        WorkItemForms.MapItemActions(routes, "alerts", WorkKind.Alerts, AlertPage.RenderAsync);
        routes.MapApi("GET", "/console/audit", AuditPage.ShowAsync);
        AccountPages.Map(routes);
        DashboardPage.Map(routes);
        AdminPages.Map(routes);
    }

    private static IResult NotFound(string id, string kind) =>
        ConsolePages.Message(StatusCodes.Status404NotFound, "Not found", $"'{id}' is not an {kind} id.");

    /// <summary>
    /// The console's static files (Console/Assets/*) are compiled into the assembly: nothing to deploy beside the binary,
    /// and only those files can be asked for by name.
    /// </summary>
    private static Dictionary<string, (byte[] Bytes, string ContentType)> Assets()
    {
        const string prefix = "Vedette.Server.Console.Assets.";
        var assembly = Assembly.GetExecutingAssembly();
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var name = resource[prefix.Length..];
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            assets[name] = (copy.ToArray(), ContentType(name));
        }
        return assets;
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => throw new InvalidOperationException($"console asset {name}: no content type for its extension; add one here"),
    };
}
