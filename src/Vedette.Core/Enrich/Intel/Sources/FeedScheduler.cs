using Cronos;
using Vedette.Domain;
using Vedette.Pipeline;

namespace Vedette.Enrich.Intel.Sources;

/// <summary>
/// When each enabled feed with a schedule is next updated (cron, UTC), and the loop that updates them: due feeds one
/// at a time, each failure reported and the other feeds updated all the same.
/// </summary>
public sealed class FeedScheduler
{
    // Timers cannot wait more than about 49 days, and a long wait would not notice a clock set forward: wake daily.
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    private readonly TimeProvider _time;
    private readonly ErrorReport _errors;
    private readonly Scheduled[] _feeds;
    private readonly Lock _lock = new();

    /// <param name="lastRuns">
    /// When feeds were last updated (from their persisted state): a feed whose run was missed while Vedette was down is
    /// due at once, instead of waiting for its next slot.
    /// </param>
    public FeedScheduler(
        IEnumerable<FeedDefinition> feeds, TimeProvider time, ErrorReport errors, IReadOnlyDictionary<string, DateTimeOffset>? lastRuns = null)
    {
        ArgumentNullException.ThrowIfNull(feeds);
        _time = time;
        _errors = errors;
        var now = time.GetUtcNow();
        _feeds = [.. feeds
            .Where(feed => feed is { Enabled: true, Schedule: not null })
            .Select(feed =>
            {
                var cron = CronExpression.Parse(feed.Schedule!);
                var from = lastRuns is not null && lastRuns.TryGetValue(feed.Name, out var last) && last < now ? last : now;
                return new Scheduled(feed, cron) { Next = cron.GetNextOccurrence(from, TimeZoneInfo.Utc) };
            })];
    }

    /// <summary>The feed's next update, or null when it has no schedule, is disabled, or its schedule never comes again.</summary>
    public DateTimeOffset? NextRun(string feedName)
    {
        lock (_lock)
        {
            return Array.Find(_feeds, scheduled => scheduled.Feed.Name == feedName)?.Next;
        }
    }

    /// <summary>Feeds whose update is due at <paramref name="now"/>, the longest waiting first.</summary>
    public IReadOnlyList<FeedDefinition> Due(DateTimeOffset now)
    {
        lock (_lock)
        {
            return [.. _feeds
                .Where(scheduled => scheduled.Next <= now)
                .OrderBy(scheduled => scheduled.Next)
                .ThenBy(scheduled => scheduled.Feed.Name, StringComparer.Ordinal)
                .Select(scheduled => scheduled.Feed)];
        }
    }

    /// <summary>
    /// Updates due feeds until cancelled. A feed's next run is counted from when its update ends, so a slow update
    /// does not run again at once. Ends with <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public async Task RunAsync(Func<FeedDefinition, CancellationToken, Task> update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var due = Due(_time.GetUtcNow());
            foreach (var feed in due)
            {
                try
                {
                    await update(feed, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
#pragma warning disable CA1031 // The one place feed updates are caught: one feed's failure must not stop the others.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    _errors.Report(new RecordError(new RecordRef($"feed {feed.Name}", 0), "feed update", ex.Message));
                }
                Reschedule(feed, _time.GetUtcNow());
            }
            if (due.Count == 0)
            {
                await Task.Delay(Wait(_time.GetUtcNow()), _time, cancellationToken);
            }
        }
    }

    private void Reschedule(FeedDefinition feed, DateTimeOffset ended)
    {
        lock (_lock)
        {
            var scheduled = Array.Find(_feeds, candidate => ReferenceEquals(candidate.Feed, feed))!;
            scheduled.Next = scheduled.Cron.GetNextOccurrence(ended, TimeZoneInfo.Utc);
        }
    }

    private TimeSpan Wait(DateTimeOffset now)
    {
        lock (_lock)
        {
            var next = _feeds.Min(scheduled => scheduled.Next);
            if (next is null)
            {
                return LongestWait;
            }
            var wait = next.Value - now;
            return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait < LongestWait ? wait : LongestWait;
        }
    }

    private sealed class Scheduled(FeedDefinition feed, CronExpression cron)
    {
        public FeedDefinition Feed { get; } = feed;

        public CronExpression Cron { get; } = cron;

        public DateTimeOffset? Next { get; set; }
    }
}
