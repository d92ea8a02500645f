using Vedette.Domain;

namespace Vedette.Simulation;

/// <summary>
/// Plans every attack scenario once, each inside its own share of the day, and records what really happened
/// (kind, entities, first and last event) as the ground truth detections are measured against.
/// </summary>
internal static class Scenarios
{
    private delegate IReadOnlyList<Observable> Plan(World world, long start);

    public static IReadOnlyList<ScenarioTruth> PlanAll(World world)
    {
        var truths = new List<ScenarioTruth>(ScenarioKinds.All.Count);
        // Windows: fractions of the day the scenario starts within; the intrusion runs in kill-chain order.
        Add(world, truths, ScenarioKinds.SshBruteForce, CredentialAttacks.SshBruteForce, 0.10, 0.85);
        Add(world, truths, ScenarioKinds.PasswordSpraying, CredentialAttacks.PasswordSpraying, 0.45, 0.60);
        Add(world, truths, ScenarioKinds.WindowsBruteForce, CredentialAttacks.WindowsBruteForce, 0.10, 0.85);
        Add(world, truths, ScenarioKinds.PhishingExecutionBeaconing, PhishingScenario.Plan, 0.20, 0.45);
        Add(world, truths, ScenarioKinds.LateralMovementServiceInstall, IntrusionScenarios.LateralMovement, 0.55, 0.75);
        Add(world, truths, ScenarioKinds.NewLocalAdmin, IntrusionScenarios.NewLocalAdmin, 0.70, 0.90);
        return truths;
    }

    private static void Add(World world, List<ScenarioTruth> truths, string kind, Plan plan, double from, double to)
    {
        var id = "S" + (truths.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var timeline = world.Timeline;
        var first = timeline.Count;
        timeline.Scenario = id;
        var entities = plan(world, timeline.At(from + (world.Dice.Fraction() * (to - from))));
        timeline.Scenario = null;
        var (start, end) = timeline.Window(first);
        truths.Add(new ScenarioTruth(id, kind, entities, new DateTimeOffset(start, TimeSpan.Zero), new DateTimeOffset(end, TimeSpan.Zero)));
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
