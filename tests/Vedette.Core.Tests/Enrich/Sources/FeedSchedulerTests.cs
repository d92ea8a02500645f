using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Vedette.Enrich.Intel;
using Vedette.Enrich.Intel.Sources;
using Vedette.Pipeline;
using static Vedette.Tests.Enrich.Sources.SourcesKit;

namespace Vedette.Tests.Enrich.Sources;

public sealed class FeedSchedulerTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 1, 0, 0, TimeSpan.Zero);

    private static FeedDefinition Scheduled(string name, string? schedule, bool enabled = true) =>
        Feed($"/feeds/{name}.txt", name: name) with { Schedule = schedule, Enabled = enabled };

    [Fact]
    public void A_feed_is_due_at_its_next_cron_slot_in_UTC_and_not_before()
    {
        var scheduler = new FeedScheduler([Scheduled("six-hourly", "0 */6 * * *")], new FakeTimeProvider(Start), new ErrorReport());

        Assert.Equal(Start.AddHours(5), scheduler.NextRun("six-hourly"));
        Assert.Empty(scheduler.Due(Start.AddHours(5).AddSeconds(-1)));
        Assert.Equal(["six-hourly"], scheduler.Due(Start.AddHours(5)).Select(feed => feed.Name));
    }

    [Fact]
    public void Disabled_and_unscheduled_feeds_are_never_due()
    {
        var scheduler = new FeedScheduler(
            [Scheduled("off", "* * * * *", enabled: false), Scheduled("manual", null), Scheduled("on", "* * * * *")],
            new FakeTimeProvider(Start), new ErrorReport());

        Assert.Equal(["on"], scheduler.Due(Start.AddDays(1)).Select(feed => feed.Name));
        Assert.Null(scheduler.NextRun("off"));
        Assert.Null(scheduler.NextRun("manual"));
    }

    [Fact]
    public void A_run_missed_while_stopped_is_due_at_once_and_the_longest_waiting_feed_comes_first()
    {
        var lastRuns = new Dictionary<string, DateTimeOffset>
        {
            ["daily"] = Start.AddDays(-2),
            ["hourly"] = Start.AddMinutes(-90),
            ["fresh"] = Start.AddMinutes(-10),
        };
        var scheduler = new FeedScheduler(
            [Scheduled("hourly", "0 * * * *"), Scheduled("daily", "0 0 * * *"), Scheduled("fresh", "30 * * * *")],
            new FakeTimeProvider(Start), new ErrorReport(), lastRuns);

        Assert.Equal(["daily", "hourly"], scheduler.Due(Start).Select(feed => feed.Name));
        Assert.Equal(Start.AddMinutes(30), scheduler.NextRun("fresh"));
    }

    [Fact]
    public async Task A_failing_feed_is_reported_and_does_not_stop_the_next_feed_or_its_own_next_run()
    {
        var time = new FakeTimeProvider(Start.AddSeconds(30));
        var errors = new ErrorReport();
        var scheduler = new FeedScheduler([Scheduled("broken", "*/5 * * * *"), Scheduled("working", "*/5 * * * *")], time, errors);
        var runs = new ConcurrentQueue<(string Feed, DateTimeOffset At)>();
        using var stop = new CancellationTokenSource();

        var loop = scheduler.RunAsync(
            (feed, _) =>
            {
                runs.Enqueue((feed.Name, time.GetUtcNow()));
                return feed.Name == "broken" ? throw new InvalidOperationException("upstream is down") : Task.CompletedTask;
            },
            stop.Token);
        await AdvanceUntilAsync(time, () => runs.Count >= 4, TimeSpan.FromMinutes(1));
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
        Assert.Equal(["broken", "working", "broken", "working"], runs.Take(4).Select(run => run.Feed));
        var first = runs.First().At;
        var nextSlot = Start.AddMinutes((((int)(first - Start).TotalMinutes / 5) + 1) * 5);
        Assert.True(first >= Start.AddMinutes(5), "the first run came before its slot");
        Assert.All(runs.Skip(2).Take(2), run => Assert.True(run.At >= nextSlot, "a second run came before the slot after the first"));
        Assert.True(errors.Count >= 2);
        var error = errors.Kept.First();
        Assert.Equal("feed broken", error.Ref.Origin);
        Assert.Contains("upstream is down", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_loop_waits_on_the_clock_and_runs_nothing_before_the_slot()
    {
        var time = new FakeTimeProvider(Start);
        var scheduler = new FeedScheduler([Scheduled("hourly", "0 * * * *")], time, new ErrorReport());
        var runs = 0;
        using var stop = new CancellationTokenSource();

        var loop = scheduler.RunAsync((_, _) => { Interlocked.Increment(ref runs); return Task.CompletedTask; }, stop.Token);
        await Task.Delay(50);
        time.Advance(TimeSpan.FromMinutes(59));
        await Task.Delay(50);
        var before = Volatile.Read(ref runs);
        await AdvanceUntilAsync(time, () => Volatile.Read(ref runs) == 1, TimeSpan.FromMinutes(1));
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
        Assert.Equal(0, before);
        Assert.Equal(Start.AddHours(2), scheduler.NextRun("hourly"));
    }
}
