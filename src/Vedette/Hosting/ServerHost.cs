using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Vedette.Identity;
using Vedette.Server;

namespace Vedette.Cli.Hosting;

/// <summary>
/// The server's composition: the same engine every command runs, with the pipeline's record errors routed to the
/// requests whose lines they concern, handed to the web application. `vedette serve` and the server tests build it here.
/// </summary>
internal static class ServerHost
{
    /// <summary>Opens the engine and builds the application; the caller runs the application, then disposes the engine.</summary>
    public static async Task<(Engine Engine, WebApplication App)> BuildAsync(
        EngineOptions engineOptions, ServerOptions serverOptions, TimeProvider time, Action<ILoggingBuilder>? logging, CancellationToken cancellationToken)
    {
        var router = new RecordErrorRouter();
        var engine = await Engine.OpenAsync(engineOptions, time, router.Route, cancellationToken);
        try
        {
            var parts = new ServerEngine
            {
                Store = engine.Store,
                Identity = (IIdentityStore)engine.Store,
                Pipeline = engine.Pipeline,
                Lines = engine.Lines,
                Rules = engine.Rules,
                Intel = engine.Intel,
                Suppressions = engine.Suppressions,
                Feedback = engine.Feedback,
                Errors = router,
            };
            return (engine, VedetteServer.Build(serverOptions, parts, time, logging));
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }
}
