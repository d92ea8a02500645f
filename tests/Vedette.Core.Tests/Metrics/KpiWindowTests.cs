using Vedette.Metrics;

namespace Vedette.Tests.Metrics;

public sealed class KpiWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 4, 44, 24, TimeSpan.Zero);

    [Fact]
    public void The_last_24_hours_are_24_whole_utc_hours_ending_with_the_current_one()
    {
        var window = KpiWindow.Ending(Now, TimeSpan.FromHours(1), 24);

        Assert.Equal(new DateTimeOffset(2026, 11, 28, 5, 0, 0, TimeSpan.Zero), window.From);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 5, 0, 0, TimeSpan.Zero), window.To);
        Assert.Equal(24, window.Buckets);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 4, 0, 0, TimeSpan.Zero), window.BucketStart(23));
    }

    [Fact]
    public void The_last_7_days_are_today_and_the_six_utc_days_before_it_whatever_the_clocks_offset()
    {
        var window = KpiWindow.Ending(Now.ToOffset(TimeSpan.FromHours(9)), TimeSpan.FromDays(1), 7);

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), window.From);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), window.To);
    }

    [Fact]
    public void A_time_belongs_to_the_bucket_that_starts_at_or_before_it_and_the_end_is_outside()
    {
        var window = new KpiWindow(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 5, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromDays(1));

        Assert.Equal(0, window.BucketOf(window.From));
        Assert.Equal(0, window.BucketOf(window.From.AddDays(1).AddTicks(-1)));
        Assert.Equal(1, window.BucketOf(window.From.AddDays(1)));
        Assert.Equal(2, window.BucketOf(window.To.AddTicks(-1)));
        Assert.Equal(-1, window.BucketOf(window.To));
        Assert.Equal(-1, window.BucketOf(window.From.AddTicks(-1)));
    }

    [Fact]
    public void A_window_that_is_not_whole_buckets_is_refused()
    {
        var from = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

        Assert.Throws<ArgumentException>(() => new KpiWindow(from, from.AddHours(36), TimeSpan.FromDays(1)));
        Assert.Throws<ArgumentException>(() => new KpiWindow(from, from, TimeSpan.FromDays(1)));
    }
}
