namespace Vedette.Metrics;

/// <summary>
/// The time range KPIs cover, [<see cref="From"/>, <see cref="To"/>), cut into buckets of equal length for the charts
/// over time. Buckets start on UTC boundaries of their length (hours, days), so a chart's bars are whole hours or days.
/// </summary>
public sealed record KpiWindow
{
    public KpiWindow(DateTimeOffset from, DateTimeOffset to, TimeSpan bucket)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bucket, TimeSpan.Zero);
        if (to <= from || (to - from).Ticks % bucket.Ticks != 0)
        {
            throw new ArgumentException($"a KPI window needs a whole number of {bucket} buckets, not [{from:O}, {to:O})", nameof(to));
        }
        From = from;
        To = to;
        Bucket = bucket;
    }

    public DateTimeOffset From { get; }

    public DateTimeOffset To { get; }

    public TimeSpan Bucket { get; }

    public int Buckets => (int)((To - From).Ticks / Bucket.Ticks);

    /// <summary>
    /// The last <paramref name="buckets"/> whole buckets up to and including the one <paramref name="now"/> is in: for
    /// 7 day buckets, today (so far) and the six days before it.
    /// </summary>
    public static KpiWindow Ending(DateTimeOffset now, TimeSpan bucket, int buckets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bucket, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        // DateTimeOffset ticks count from midnight UTC of year 1, so whole multiples of an hour or a day fall on UTC boundaries.
        var end = (now.UtcTicks / bucket.Ticks + 1) * bucket.Ticks;
        var to = new DateTimeOffset(end, TimeSpan.Zero);
        return new KpiWindow(to - bucket * buckets, to, bucket);
    }

    public DateTimeOffset BucketStart(int index) => From + Bucket * index;

    /// <summary>The bucket <paramref name="at"/> falls in, or -1 outside the window.</summary>
    public int BucketOf(DateTimeOffset at) =>
        at < From || at >= To ? -1 : (int)((at.UtcTicks - From.UtcTicks) / Bucket.Ticks);
}
