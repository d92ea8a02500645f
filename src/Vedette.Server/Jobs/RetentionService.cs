using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vedette.Storage;

namespace Vedette.Server.Jobs;

/// <summary>
/// Applies the configured retention policy at start and then every interval (a day by default), with the same store
/// call as `vedette retention run`: one transaction per run, audited with its counts. Off when no class has a policy.
/// </summary>
internal sealed partial class RetentionService(IStore store, ServerOptions options, TimeProvider time, ILogger<RetentionService> logger) : BackgroundService
{
    /// <summary>The actor of the audit entries the scheduled runs write.</summary>
    public const string Actor = "system:retention";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // `vedette serve` checked the section at start; a policy that fails here fails before the first run, loudly.
        var policy = options.Retention?.ToPolicy();
        if (policy is null || policy.KeepsEverything)
        {
            Disabled(logger);
            return;
        }
        var interval = options.Retention!.ToInterval();
        Scheduled(logger, RetentionPolicy.Describe(policy.Events), RetentionPolicy.Describe(policy.Alerts), RetentionPolicy.Describe(policy.Incidents), interval);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var plan = await store.ApplyRetentionAsync(policy, time.GetUtcNow(), Actor, stoppingToken);
                    Ran(logger, plan.Incidents.Count, plan.Alerts.Count, plan.Events);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The run was rolled back whole; the next one tries again with what is stored then.
                    Failed(logger, ex.Message, ex);
                }
                await Task.Delay(interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(60, LogLevel.Information, "Retention off: no data class has a policy (everything is kept)")]
    private static partial void Disabled(ILogger logger);

    [LoggerMessage(61, LogLevel.Information, "Retention scheduled every {Interval}: events {Events}, alerts {Alerts}, incidents {Incidents}")]
    private static partial void Scheduled(ILogger logger, string events, string alerts, string incidents, TimeSpan interval);

    [LoggerMessage(62, LogLevel.Information, "Retention deleted {Incidents} incidents, {Alerts} alerts and {Events} evidence events")]
    private static partial void Ran(ILogger logger, int incidents, int alerts, long events);

    [LoggerMessage(63, LogLevel.Error, "Retention run failed, nothing deleted: {Message}")]
    private static partial void Failed(ILogger logger, string message, Exception exception);
}
