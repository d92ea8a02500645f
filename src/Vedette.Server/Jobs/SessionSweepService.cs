using Microsoft.Extensions.Hosting;
using Vedette.Identity;

namespace Vedette.Server.Jobs;

/// <summary>
/// Deletes console sessions past their idle or absolute expiry, hourly. Expired sessions are refused on use anyway;
/// this only keeps the table from growing with sessions nobody signed out of.
/// </summary>
internal sealed class SessionSweepService(IIdentityStore identity, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await identity.DeleteExpiredSessionsAsync(time.GetUtcNow(), stoppingToken);
                await Task.Delay(Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
