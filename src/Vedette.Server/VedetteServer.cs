using System.Diagnostics.Metrics;
using System.Text.Json;
using Fido2NetLib;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Scalar.AspNetCore;
using Vedette.Identity;
using Vedette.Ingest;
using Vedette.Server.Api;
using Vedette.Server.Auth;
using Vedette.Server.Console;
using Vedette.Server.Ingest;
using Vedette.Server.Jobs;
using Vedette.Server.Telemetry;

namespace Vedette.Server;

/// <summary>
/// Builds the `vedette serve` web application around engine parts the caller owns: the API, authentication and
/// authorization from the endpoint table, the pipeline over the HTTP intake, scheduled feed updates, JSON logs.
/// </summary>
public static class VedetteServer
{
    /// <param name="configureLogging">Replaces the default JSON console logging (tests capture logs).</param>
    public static WebApplication Build(ServerOptions options, ServerEngine engine, TimeProvider? time = null, Action<ILoggingBuilder>? configureLogging = null)
    {
        time ??= TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "Vedette", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes;
        });
        builder.Host.ConfigureHostOptions(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));

        builder.Logging.ClearProviders();
        if (configureLogging is not null)
        {
            configureLogging(builder.Logging);
        }
        else
        {
            builder.Logging.AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                json.JsonWriterOptions = new JsonWriterOptions { Indented = false };
            });
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            // "challenged" / "forbidden" at every refused request is noise; sign-in failures are logged by the sign-in service.
            builder.Logging.AddFilter("Vedette.Server.Auth.VedetteAuthenticationHandler", LogLevel.Warning);
        }

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(time);
        services.AddSingleton(engine);
        services.AddSingleton(engine.Store);
        services.AddSingleton(engine.Identity);
        services.AddSingleton(engine.Pipeline);
        services.AddSingleton(engine.Rules);
        services.AddSingleton(engine.Intel);
        services.AddSingleton(engine.Suppressions);
        services.AddSingleton(engine.Feedback);
        services.AddSingleton(engine.Errors);
        services.AddSingleton(provider => new VedetteMeter(provider.GetRequiredService<IMeterFactory>(), engine.Pipeline.Stats));
        services.AddSingleton(provider => new IngestQueue(options.IngestQueueBytes, provider.GetRequiredService<VedetteMeter>().Meter));
        services.AddSingleton(provider => new EventIntake(provider.GetRequiredService<IngestQueue>(), engine.Errors, engine.Lines, options));
        services.AddSingleton<ServerState>();
        services.AddSingleton<SignInEvents>();
        services.AddSingleton<SignInService>();
        services.AddSingleton(new PasswordHasher());
        services.AddSingleton(new PasswordPolicy());
        services.AddSingleton(provider => new Totp(provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new SignInThrottle(provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(new Identity.SessionOptions(options.SessionIdleTimeout, options.SessionAbsoluteTimeout, TimeSpan.FromMinutes(1)));
        services.AddSingleton(provider => new Pending<byte[]>(provider.GetRequiredService<TimeProvider>(), TimeSpan.FromMinutes(10)));
        services.AddSingleton<PasskeyCeremonies>();
        services.AddSingleton(provider => new Pending<PendingSignIn>(provider.GetRequiredService<TimeProvider>(), TimeSpan.FromMinutes(5)));
        // Antiforgery tokens are protected with keys held in memory: a restart invalidates open forms (the page says to
        // reload), and no key file is written outside the data folder.
        services.AddSingleton<IDataProtectionProvider>(provider => new EphemeralDataProtectionProvider(provider.GetRequiredService<ILoggerFactory>()));
        services.AddConsoleAntiforgery();
        services.AddSingleton<IFido2>(new Fido2(new Fido2Configuration
        {
            RPID = options.PasskeyDomain,
            RPName = options.ServerName,
            Origins = options.PasskeyOrigins.ToHashSet(StringComparer.Ordinal),
        }));

        services.AddAuthentication(VedetteClaims.Scheme).AddScheme<AuthenticationSchemeOptions, VedetteAuthenticationHandler>(VedetteClaims.Scheme, null);
        services.AddAuthorization(Access.AddPolicies);
        services.AddSingleton<IAuthorizationHandler, MinimumRoleHandler>();
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Vedette API";
            document.Info.Description = "Ingest, alerts, incidents, rules, suppressions, intel and identity. Every endpoint but /health and sign-in needs a token or a session; docs/guide/api.md has the role table.";
            return Task.CompletedTask;
        }));

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("vedette", autoGenerateServiceInstanceId: false))
            .WithMetrics(metrics =>
            {
                // ASP.NET Core's own meter: request durations labelled by route template, method and status, never by path.
                metrics.AddMeter(VedetteMeter.Name, "Microsoft.AspNetCore.Hosting")
                    .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                // Meters are matched by name across the whole process: keep only those of this server's own meter factory,
                // so that another host in the process (the metrics listener, a test's other servers) adds no duplicate series.
                ((IDeferredMeterProviderBuilder)metrics).Configure(OnlyOwnMeters);
            });
        if (options.MetricsUrls is not null)
        {
            services.AddHostedService<MetricsListener>();
        }
        services.AddHostedService<PipelineService>();
        services.AddHostedService<FeedUpdateService>();
        services.AddHostedService<SessionSweepService>();
        services.AddHostedService<RetentionService>();

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Vedette.Server");
        engine.Errors.Fallback = error => LogMessages.RecordFailed(logger, error.Ref.ToString(), error.Stage, error.Message);

        app.UseExceptionHandler(errors => errors.Run(context =>
            ApiResults.WriteProblemAsync(context, StatusCodes.Status500InternalServerError, "Server error", "The server failed on this request; it is logged.")));
        app.UseStatusCodePages(context =>
        {
            var response = context.HttpContext.Response;
            return response.HasStarted || response.ContentLength > 0
                ? Task.CompletedTask
                : ApiResults.WriteProblemAsync(context.HttpContext, response.StatusCode, "Request failed", $"The server answered {response.StatusCode}.");
        });
        app.Use(async (context, next) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers.CacheControl = "no-store";
            if (context.Request.Path.StartsWithSegments("/console", StringComparison.Ordinal))
            {
                // The console's pages say how long the server took on them (to the first byte of the answer).
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                context.Response.OnStarting(() =>
                {
                    var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    context.Response.Headers["Server-Timing"] = "app;dur=" + elapsed.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
                    return Task.CompletedTask;
                });
            }
            await next(context);
        });
        app.UseSecurityHeaders();
        app.UseAuthentication();
        app.UseAuthorization();

        MapEndpoints(app);
        app.Lifetime.ApplicationStarted.Register(() => LogMessages.Listening(logger, string.Join(", ", app.Urls)));
        return app;
    }

    private static void OnlyOwnMeters(IServiceProvider provider, MeterProviderBuilder metrics)
    {
        var factory = provider.GetRequiredService<IMeterFactory>();
        metrics.AddView(instrument => ReferenceEquals(instrument.Meter.Scope, factory) ? null : MetricStreamConfiguration.Drop);
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.MapApi("GET", "/health", (ServerState state) => state.PipelineRunning
            ? ApiResults.Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("status", "ready");
                w.WriteEndObject();
            })
            : ApiResults.Problem(StatusCodes.Status503ServiceUnavailable, "Not ready", "The pipeline is not running."));
        app.MapOpenApi("/openapi/{documentName}.json").RequireTableAccess();
        app.MapScalarApiReference("/api/docs", scalar => scalar.WithTitle("Vedette API").WithOpenApiRoutePattern("/openapi/{documentName}.json")).RequireTableAccess();

        AuthApi.Map(app);
        PasskeysApi.Map(app);
        IngestApi.Map(app);
        AlertsApi.Map(app);
        IncidentsApi.Map(app);
        HoldApi.Map(app);
        RulesApi.Map(app);
        SuppressionsApi.Map(app);
        IntelApi.Map(app);
        MetricsApi.Map(app);
        AuditApi.Map(app);
        TokensApi.Map(app);
        UsersApi.Map(app);
        ConsoleEndpoints.Map(app);
        if (app.Services.GetRequiredService<ServerOptions>().MetricsUrls is null)
        {
            app.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(new HttpMethodMetadata(["GET"])).RequireTableAccess();
        }
    }
}
