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
        var css = Asset("console.css");
        var js = Asset("console.js");
        routes.MapApi("GET", "/", () => Results.Redirect("/console/queue"));
        routes.MapApi("GET", "/console/assets/console.css", () => Results.Bytes(css, "text/css; charset=utf-8"));
        routes.MapApi("GET", "/console/assets/console.js", () => Results.Bytes(js, "text/javascript; charset=utf-8"));
        ConsoleSignIn.Map(routes);
        routes.MapApi("GET", "/console/queue", QueuePage.ShowAsync);
        routes.MapApi("GET", "/console/incidents/{id}", (string id, HttpContext context, IStore store) =>
            Guid.TryParse(id, out var guid) ? IncidentPage.ShowAsync(guid, context, store) : Task.FromResult(NotFound(id)));
        routes.MapApi("POST", "/console/incidents/{id}/acknowledge", (string id, HttpContext context, IStore store, TimeProvider time) =>
            Guid.TryParse(id, out var guid) ? IncidentPage.AcknowledgeAsync(guid, context, store, time) : Task.FromResult(NotFound(id)))
            .AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
        routes.MapApi("POST", "/console/incidents/{id}/close", (string id, HttpContext context, IStore store, TimeProvider time) =>
            Guid.TryParse(id, out var guid) ? IncidentPage.CloseAsync(guid, context, store, time) : Task.FromResult(NotFound(id)))
            .AddEndpointFilter(ConsoleSecurity.RequireFormTokenAsync);
    }

    private static IResult NotFound(string id) =>
        ConsolePages.Message(StatusCodes.Status404NotFound, "Not found", $"'{id}' is not an incident id.");

    /// <summary>The console's static files are compiled into the assembly: nothing to deploy beside the binary.</summary>
    private static byte[] Asset(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Vedette.Server.Console.Assets." + name)
            ?? throw new InvalidOperationException($"console asset {name} is not embedded in {Assembly.GetExecutingAssembly().GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
