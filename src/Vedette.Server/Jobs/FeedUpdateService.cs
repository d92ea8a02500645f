using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vedette.Domain;
using Vedette.Enrich.Intel;
using Vedette.Enrich.Intel.Sources;
using Vedette.Pipeline;

namespace Vedette.Server.Jobs;

/// <summary>
/// Updates the configured threat-intel feeds on their cron schedules while the server runs (the same scheduler as
/// `vedette intel update --watch`); a new snapshot reaches the detector and enricher at once.
/// </summary>
internal sealed class FeedUpdateService(IntelService intel, ServerOptions options, TimeProvider time, ILogger<FeedUpdateService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.FeedsConfig is not { } path || !File.Exists(path))
        {
            return;
        }
        var feeds = FeedConfig.Load(path).Where(f => f.Enabled).ToList();
        var errors = new ErrorReport(keep: 0, onError: error => LogMessages.FeedFailed(logger, error.Ref.Origin, error.Message));
        var fetch = new FeedFetchOptions { AllowPrivateAddresses = options.AllowPrivateFeeds, TimeProvider = time };
        using var http = FeedHttp.CreateClient(fetch);
        var lastRuns = (await intel.ListFeedsAsync(stoppingToken)).Where(f => f.UpdatedAt is not null).ToDictionary(f => f.Name, f => f.UpdatedAt!.Value);
        var scheduler = new FeedScheduler(feeds, time, errors, lastRuns);
        LogMessages.FeedsScheduled(logger, feeds.Count, path);
        try
        {
            await scheduler.RunAsync(async (feed, ct) =>
            {
                var updates = await intel.UpdateAsync([feed], f => FeedSources.For(f, http, fetch), errors, ct);
                var update = updates[0];
                LogMessages.FeedUpdated(logger, update.Feed, update.Updated, update.NotModified, update.Indicators, update.Failure);
            }, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
