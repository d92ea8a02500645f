namespace Vedette.Metrics;

/// <summary>
/// Count, mean and percentiles of a set of durations. Percentiles use the nearest-rank definition: the p-th percentile
/// is the smallest value with at least p% of the values at or below it, i.e. the value of rank ⌈p/100 · n⌉ in
/// ascending order. It is always one of the measured values, and it is the definition an analyst can check by hand.
/// With no values, every figure is zero and <see cref="Count"/> says there was nothing to measure.
/// </summary>
public sealed record DurationStats(int Count, TimeSpan Mean, TimeSpan P50, TimeSpan P90, TimeSpan P99)
{
    public static DurationStats Empty { get; } = new(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>The statistics of the first <paramref name="count"/> durations in <paramref name="ticks"/>, which this sorts in place.</summary>
    public static DurationStats Of(long[] ticks, int count)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, ticks.Length);
        if (count == 0)
        {
            return Empty;
        }
        var values = ticks.AsSpan(0, count);
        values.Sort();
        // Int128: a million durations of a few months each overflow a long's sum of ticks.
        Int128 sum = 0;
        foreach (var value in values)
        {
            sum += value;
        }
        var mean = (long)(sum / count);
        return new DurationStats(count, TimeSpan.FromTicks(mean),
            TimeSpan.FromTicks(NearestRank(values, 50)), TimeSpan.FromTicks(NearestRank(values, 90)), TimeSpan.FromTicks(NearestRank(values, 99)));
    }

    /// <summary>The nearest-rank <paramref name="percent"/>-th percentile of sorted, non-empty values.</summary>
    public static long NearestRank(ReadOnlySpan<long> sorted, int percent)
    {
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("a percentile of no values", nameof(sorted));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        // ⌈p·n/100⌉ in integers, so that no floating-point rounding moves the rank.
        var rank = (int)(((long)percent * sorted.Length + 99) / 100);
        return sorted[rank - 1];
    }
}

