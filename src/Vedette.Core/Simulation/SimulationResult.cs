using Vedette.Domain;

namespace Vedette.Simulation;

/// <summary>What a simulation wrote: the event count, the ground truth of its attacks, the organisation and the indicators a feed would list.</summary>
public sealed record SimulationResult(
    long Events,
    IReadOnlyList<ScenarioTruth> Scenarios,
    Organisation Organisation,
    IReadOnlyList<string> KnownBadIndicators);

/// <summary>One simulated attack as it really happened: its kind, the entities it touched, and its first and last event.</summary>
public sealed record ScenarioTruth(string Id, string Kind, IReadOnlyList<Observable> Entities, DateTimeOffset Start, DateTimeOffset End);

/// <summary>The kinds of attack the simulator embeds, by the names the truth file uses.</summary>
public static class ScenarioKinds
{
    public const string SshBruteForce = "ssh-bruteforce";
    public const string PasswordSpraying = "password-spraying";
    public const string WindowsBruteForce = "windows-bruteforce";
    public const string PhishingExecutionBeaconing = "phishing-execution-beaconing";
    public const string LateralMovementServiceInstall = "lateral-movement-service-install";
    public const string NewLocalAdmin = "new-local-admin";

    public static IReadOnlyList<string> All { get; } =
    [
        SshBruteForce, PasswordSpraying, WindowsBruteForce, PhishingExecutionBeaconing, LateralMovementServiceInstall, NewLocalAdmin,
    ];
}
