using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace Vedette.Server.Telemetry;

/// <summary>
/// /metrics on an address of its own (<see cref="ServerOptions.MetricsUrls"/>), for scrapers that hold no token: a
/// second Kestrel that serves the same meter provider and nothing else, so that exposing it exposes no API. It starts
/// and stops with the server.
/// </summary>
internal sealed class MetricsListener(ServerOptions options, MeterProvider meters, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    public const string Path = "/metrics";

    private WebApplication? _app;

    /// <summary>The addresses it listens on, with the ports actually bound (tests ask for port 0).</summary>
    public IReadOnlyList<string> Addresses => _app is null ? [] : [.. _app.Urls];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "Vedette.Metrics", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(options.MetricsUrls!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // A scrape is a GET: nothing is read from a body.
            kestrel.Limits.MaxRequestBodySize = 0;
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        // The server's own host owns Ctrl+C and SIGTERM and stops this one; a console lifetime here would race it.
        builder.Services.AddSingleton<IHostLifetime, HostedLifetime>();
        var app = builder.Build();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider: meters,
            predicate: context => HttpMethods.IsGet(context.Request.Method) && context.Request.Path == Path,
            path: null,
            configureBranchedPipeline: null,
            optionsName: null);
        app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        await app.StartAsync(cancellationToken);
        _app = app;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

/// <summary>A lifetime that waits for nothing and listens to no signal: the host that owns this one stops it.</summary>
internal sealed class HostedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
