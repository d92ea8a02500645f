using System.Globalization;

namespace Vedette.Simulation;

/// <summary>How much traffic to simulate, from which seed, for how large an organisation and with which attacks; the same options always give the same bytes.</summary>
public sealed record SimulationOptions(int Events, int Seed)
{
    /// <summary>The smallest run in which every attack scenario still sits inside realistic background traffic.</summary>
    public const int MinimumEvents = 5_000;

    /// <summary>Attacks may write at most this share of a run's lines, so that they stay hidden in ordinary traffic.</summary>
    public const int EventsPerAttackEvent = 5;

    /// <summary>The organisation the demo has always simulated: 220 staff, each with an account and a workstation.</summary>
    public const int DefaultUsers = 220;

    public const int MinimumUsers = 40;

    public const int MaximumUsers = 5_000;

    /// <summary>The longest scenario lasts about 45 minutes; a shorter day could not hold every scenario away from its edges.</summary>
    public static readonly TimeSpan MinimumSpan = TimeSpan.FromHours(2);

    /// <summary>A Monday morning, fixed rather than taken from the clock so that runs replay identically.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 2, 7, 0, 0, TimeSpan.Zero);

    public DateTimeOffset Start { get; init; } = DefaultStart;

    public TimeSpan Span { get; init; } = TimeSpan.FromHours(10);

    /// <summary>
    /// Staff, each with an everyday account and a workstation; IT staff, executives, departed accounts, servers, domain
    /// controllers and Linux servers scale with it. Background traffic scales with <see cref="Events"/>, not with this: more
    /// users means less activity per user.
    /// </summary>
    public int Users { get; init; } = DefaultUsers;

    /// <summary>Which attacks to embed and how many of each; by default every kind once.</summary>
    public AttackMix Attacks { get; init; } = AttackMix.Default;

    /// <summary>The fewest events that hold <see cref="Attacks"/>: at least <see cref="MinimumEvents"/>, and five lines of traffic for every line the attacks can write.</summary>
    public int RequiredEvents => Math.Max(MinimumEvents, EventsPerAttackEvent * Scenarios.MostEvents(Attacks));

    /// <summary>What makes these options unusable, naming the option at fault; null when they are fine.</summary>
    public SimulationProblem? Problem()
    {
        ArgumentNullException.ThrowIfNull(Attacks);
        if (Users is < MinimumUsers or > MaximumUsers)
        {
            return new(nameof(Users), Users, $"an organisation has from {MinimumUsers} to {MaximumUsers} users, not {Number(Users)}");
        }
        if (Span < MinimumSpan)
        {
            return new(nameof(Span), Span, $"a simulation needs a span of at least {MinimumSpan} to hold every scenario");
        }
        foreach (var (kind, count) in Attacks.Counts)
        {
            var most = Scenarios.MostInstances(kind, Span);
            if (count > most)
            {
                return new(
                    nameof(Attacks), Attacks,
                    $"a day of {Span.TotalHours.ToString("0.#", CultureInfo.InvariantCulture)} hours holds at most {most} {kind} attacks, each starting {Scenarios.Separation.TotalHours.ToString(CultureInfo.InvariantCulture)} hours after the previous one could have ended; {count} were asked for");
            }
        }
        if (OrganisationBuilder.Shortfall(Users, Attacks) is { } shortfall)
        {
            return new(nameof(Attacks), Attacks, shortfall);
        }
        if (Events < RequiredEvents)
        {
            return new(
                nameof(Events), Events,
                RequiredEvents == MinimumEvents
                    ? $"a simulation needs at least {MinimumEvents} events to hold every scenario"
                    : $"{Attacks.Total} attacks can write {Number(Scenarios.MostEvents(Attacks))} lines, and need at least {Number(RequiredEvents)} events ({EventsPerAttackEvent} for every attack line) to hide in");
        }
        return null;
    }

    internal void Validate()
    {
        if (Problem() is { } problem)
        {
            throw new ArgumentOutOfRangeException(problem.Option, problem.Value, problem.Reason);
        }
    }

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>Why <see cref="SimulationOptions"/> cannot be simulated: the option at fault (its property name), its value, and the reason.</summary>
public sealed record SimulationProblem(string Option, object Value, string Reason);
