namespace Vedette.Simulation;

/// <summary>How much traffic to simulate and from which seed; the same options always give the same bytes.</summary>
public sealed record SimulationOptions(int Events, int Seed)
{
    /// <summary>The smallest run in which every attack scenario still sits inside realistic background traffic.</summary>
    public const int MinimumEvents = 5_000;

    /// <summary>The longest scenario lasts about 45 minutes; a shorter day could not hold every scenario away from its edges.</summary>
    public static readonly TimeSpan MinimumSpan = TimeSpan.FromHours(2);

    /// <summary>A Monday morning, fixed rather than taken from the clock so that runs replay identically.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 2, 7, 0, 0, TimeSpan.Zero);

    public DateTimeOffset Start { get; init; } = DefaultStart;

    public TimeSpan Span { get; init; } = TimeSpan.FromHours(10);

    internal void Validate()
    {
        if (Events < MinimumEvents)
        {
            throw new ArgumentOutOfRangeException(nameof(Events), Events, $"a simulation needs at least {MinimumEvents} events to hold every scenario");
        }
        if (Span < MinimumSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(Span), Span, $"a simulation needs a span of at least {MinimumSpan} to hold every scenario");
        }
    }
}
