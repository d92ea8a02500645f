using Vedette.Domain;

namespace Vedette.Simulation;

/// <summary>
/// Plans the attack scenarios of a mix, each instance inside its own share of the day, and records what really happened
/// (kind, entities, first and last event) as the ground truth detections are measured against.
/// </summary>
/// <remarks>
/// A kind planned once starts within its own window of the day, as the demo always had it (the intrusion runs in
/// kill-chain order). Several instances of one kind spread over the whole day (5% to 95% of it), each starting at least
/// <see cref="Separation"/> after the previous one could have ended, so that they are separate attacks in time as well as
/// in their victims and attacker infrastructure.
/// </remarks>
internal static class Scenarios
{
    /// <summary>The least time between the latest possible end of one instance of a kind and the start of the next.</summary>
    public static readonly TimeSpan Separation = TimeSpan.FromHours(2);

    // Several instances of a kind keep this fraction of the day clear at either end.
    private const double DayEdge = 0.05;

    private delegate IReadOnlyList<Observable> Plan(World world, long start, int instance);

    /// <summary>
    /// One kind: how it is planned, the fractions of the day a single instance starts within, and upper bounds on how long
    /// one instance lasts and how many lines it writes (the tests hold the scenarios to them).
    /// </summary>
    private sealed record Kind(string Name, Plan Plan, double From, double To, TimeSpan Longest, int MostEvents);

    private static readonly Kind[] Kinds =
    [
        new(ScenarioKinds.SshBruteForce, CredentialAttacks.SshBruteForce, 0.10, 0.85, TimeSpan.FromMinutes(12), 450),
        new(ScenarioKinds.PasswordSpraying, CredentialAttacks.PasswordSpraying, 0.45, 0.60, TimeSpan.FromMinutes(11), 250),
        new(ScenarioKinds.WindowsBruteForce, CredentialAttacks.WindowsBruteForce, 0.10, 0.85, TimeSpan.FromMinutes(6), 60),
        new(ScenarioKinds.PhishingExecutionBeaconing, PhishingScenario.Plan, 0.20, 0.45, TimeSpan.FromMinutes(46), 120),
        new(ScenarioKinds.LateralMovementServiceInstall, IntrusionScenarios.LateralMovement, 0.55, 0.75, TimeSpan.FromMinutes(1), 15),
        new(ScenarioKinds.NewLocalAdmin, IntrusionScenarios.NewLocalAdmin, 0.70, 0.90, TimeSpan.FromMinutes(3), 10),
    ];

    public static IReadOnlyList<ScenarioTruth> PlanAll(World world, AttackMix mix)
    {
        var truths = new List<ScenarioTruth>(mix.Total);
        foreach (var (name, count) in mix.Counts)
        {
            var kind = Find(name);
            var starts = Starts(world, kind, count);
            for (var instance = 0; instance < count; instance++)
            {
                Add(world, truths, kind, instance, starts[instance]);
            }
        }
        return truths;
    }

    /// <summary>The longest one instance of <paramref name="kind"/> can last.</summary>
    public static TimeSpan Longest(string kind) => Find(kind).Longest;

    /// <summary>The most lines the attacks of <paramref name="mix"/> can write together.</summary>
    public static int MostEvents(AttackMix mix) => mix.Counts.Sum(static c => Find(c.Kind).MostEvents * c.Count);

    /// <summary>How many instances of <paramref name="kind"/> a day of <paramref name="span"/> holds, each separated from the next.</summary>
    public static int MostInstances(string kind, TimeSpan span)
    {
        var longest = Find(kind).Longest;
        var room = (span * (1 - (2 * DayEdge))) - longest;
        return room < TimeSpan.Zero ? 1 : 1 + (int)(room.Ticks / (longest + Separation).Ticks);
    }

    private static Kind Find(string name) =>
        Array.Find(Kinds, k => k.Name == name) ?? throw new ArgumentOutOfRangeException(nameof(name), name, "not a scenario kind");

    /// <summary>
    /// One instance starts within the kind's window. Several are laid out over the day with at least the longest duration
    /// plus <see cref="Separation"/> from one start to the next, the spare time spread at random between them.
    /// </summary>
    private static long[] Starts(World world, Kind kind, int count)
    {
        var timeline = world.Timeline;
        var dice = world.Dice;
        if (count == 1)
        {
            return [timeline.At(kind.From + (dice.Fraction() * (kind.To - kind.From)))];
        }
        var first = timeline.At(DayEdge);
        var stride = (kind.Longest + Separation).Ticks;
        var spare = timeline.At(1 - DayEdge) - kind.Longest.Ticks - first - ((count - 1) * stride);
        if (spare < -TimeSpan.TicksPerMillisecond)
        {
            throw new InvalidOperationException($"the day cannot hold {count} {kind.Name} attacks {Separation} apart");
        }
        var offsets = new double[count];
        for (var i = 0; i < count; i++)
        {
            offsets[i] = dice.Fraction();
        }
        Array.Sort(offsets);
        var starts = new long[count];
        for (var i = 0; i < count; i++)
        {
            var ticks = first + (i * stride) + (long)(offsets[i] * Math.Max(0, spare));
            starts[i] = ticks - (ticks % TimeSpan.TicksPerMillisecond);
        }
        return starts;
    }

    private static void Add(World world, List<ScenarioTruth> truths, Kind kind, int instance, long start)
    {
        var id = "S" + (truths.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var timeline = world.Timeline;
        var first = timeline.Count;
        timeline.Scenario = id;
        var entities = kind.Plan(world, start, instance);
        timeline.Scenario = null;
        var (from, to) = timeline.Window(first);
        truths.Add(new ScenarioTruth(id, kind.Name, entities, new DateTimeOffset(from, TimeSpan.Zero), new DateTimeOffset(to, TimeSpan.Zero)));
    }
}

/// <summary>Truth entities in canonical form, as detections will report them.</summary>
internal static class Entity
{
    public static Observable Ip(string ip) => Observable.Parse(ObservableType.Ipv4, ip);

    public static Observable Host(OrganisationHost host) => Observable.Parse(ObservableType.Host, host.Name);

    public static Observable User(OrganisationUser user) => Observable.Parse(ObservableType.User, user.SamName);

    public static Observable User(string sam) => Observable.Parse(ObservableType.User, sam);

    public static Observable Domain(string domain) => Observable.Parse(ObservableType.Domain, domain);

    public static Observable Sha256(string hash) => Observable.Parse(ObservableType.Sha256, hash);
}
