using Vedette.Metrics;

namespace Vedette.Tests.Metrics;

public sealed class DurationStatsTests
{
    private static long[] Minutes(params int[] minutes) => [.. minutes.Select(m => TimeSpan.FromMinutes(m).Ticks)];

    [Fact]
    public void Percentiles_are_the_nearest_rank_of_the_sorted_values()
    {
        // Ranks ⌈0.5·10⌉ = 5, ⌈0.9·10⌉ = 9 and ⌈0.99·10⌉ = 10 of 1..10 minutes, given out of order.
        var stats = DurationStats.Of(Minutes(7, 3, 10, 1, 5, 2, 9, 4, 8, 6), 10);

        Assert.Equal(
            new DurationStats(10, TimeSpan.FromMinutes(5.5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10)),
            stats);
    }

    [Fact]
    public void A_percentile_is_always_one_of_the_values_never_an_interpolation()
    {
        // Two values: the median is the smaller (rank ⌈1⌉ = 1), not their midpoint.
        var stats = DurationStats.Of(Minutes(40, 10), 2);

        Assert.Equal(TimeSpan.FromMinutes(10), stats.P50);
        Assert.Equal(TimeSpan.FromMinutes(40), stats.P90);
        Assert.Equal(TimeSpan.FromMinutes(25), stats.Mean);
    }

    [Fact]
    public void Over_a_hundred_values_the_ranks_fall_where_the_definition_says()
    {
        var values = Enumerable.Range(1, 200).Select(i => (long)i).Reverse().ToArray();

        var stats = DurationStats.Of(values, values.Length);

        // Ranks 100, 180 and 198 of 1..200 ticks.
        Assert.Equal((100L, 180L, 198L), (stats.P50.Ticks, stats.P90.Ticks, stats.P99.Ticks));
        Assert.Equal(100L, stats.Mean.Ticks);
    }

    [Fact]
    public void Only_the_first_count_values_are_measured()
    {
        var stats = DurationStats.Of(Minutes(3, 1, 2, 999, 999), 3);

        Assert.Equal(new DurationStats(3, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(3)), stats);
    }

    [Fact]
    public void No_values_give_a_count_of_zero_and_zero_figures()
    {
        Assert.Equal(DurationStats.Empty, DurationStats.Of([], 0));
        Assert.Equal(0, DurationStats.Empty.Count);
        Assert.Throws<ArgumentException>(() => DurationStats.NearestRank([], 50));
    }

    [Fact]
    public void The_mean_of_long_durations_does_not_overflow()
    {
        // A million 90-day durations sum to about 7.8e19 ticks, past a long's limit; the mean must stay exact.
        var values = Enumerable.Repeat(TimeSpan.FromDays(90).Ticks, 1_000_000).ToArray();
        values[0] = TimeSpan.FromDays(100).Ticks;

        var stats = DurationStats.Of(values, values.Length);

        Assert.Equal(TimeSpan.FromDays(90).Ticks + TimeSpan.FromDays(10).Ticks / 1_000_000, stats.Mean.Ticks);
        Assert.Equal(TimeSpan.FromDays(90), stats.P99);
    }
}
