namespace Vedette.Enrich.Intel;

/// <summary>
/// What the snapshot keeps per indicator, packed into 24 bytes: times as seconds since 2000 (good to 2068), the
/// feeds and tags as indexes into shared lists (thousands of indicators share one feed set), decay in hours.
/// </summary>
internal readonly record struct IndicatorRecord(
    byte Score,
    bool MatchSubdomains,
    ushort HalfLifeHours,
    int FeedSet,
    int TagSet,
    int FirstSeen,
    int LastSeen,
    int Expires)
{
    private static readonly DateTimeOffset Epoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public const int NoExpiry = int.MaxValue;

    public static int Seconds(DateTimeOffset time) =>
        (int)Math.Clamp((time - Epoch).TotalSeconds, 0, int.MaxValue - 1);

    public static DateTimeOffset Time(int seconds) => Epoch.AddSeconds(seconds);

    public bool ExpiredAt(int now) => Expires <= now;

    /// <summary>The score halved for every half-life since the indicator was last seen.</summary>
    public int ScoreAt(int now)
    {
        if (HalfLifeHours == 0 || now <= LastSeen)
        {
            return Score;
        }
        var halfLives = (now - LastSeen) / (HalfLifeHours * 3600.0);
        return (int)Math.Round(Score * Math.Pow(0.5, halfLives));
    }
}
