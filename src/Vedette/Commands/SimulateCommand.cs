using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Simulation;

namespace Vedette.Cli.Commands;

internal sealed class SimulateSettings : CommandSettings, ISimulationSettings
{
    [CommandOption("--events <N>")]
    [Description("Number of events to write (at least 5000).")]
    public int Events { get; init; } = 200_000;

    [CommandOption("--seed <S>")]
    [Description("Random seed: the same seed writes the same bytes.")]
    public int Seed { get; init; } = 7;

    [CommandOption("--users <N>")]
    [Description(SimulationArguments.UsersHelp)]
    public int Users { get; init; } = SimulationOptions.DefaultUsers;

    [CommandOption("--attacks <SPEC>")]
    [Description(SimulationArguments.AttacksHelp)]
    public string? Attacks { get; init; }

    [CommandOption("--out <FILE>")]
    [Description("NDJSON file to write the events to.")]
    public string? Out { get; init; }

    [CommandOption("--truth <FILE>")]
    [Description("JSON file to write the embedded attack scenarios to (id, kind, entities, time span).")]
    public string? Truth { get; init; }

    [CommandOption("--inventory <FILE>")]
    [Description("CSV file to write the simulated organisation's hosts and users to.")]
    public string? Inventory { get; init; }

    [CommandOption("--feed <FILE>")]
    [Description("Plain-list threat feed to write the scenario's known-bad indicators to.")]
    public string? Feed { get; init; }

    public override ValidationResult Validate()
    {
        if (Out is null)
        {
            return ValidationResult.Error("--out FILE is required");
        }
        return this.ValidateSimulation() ?? ValidationResult.Success();
    }
}

/// <summary>vedette simulate: writes a small organisation's traffic with embedded attacks, deterministically.</summary>
internal sealed class SimulateCommand : Command<SimulateSettings>
{
    public override int Execute(CommandContext context, SimulateSettings settings, CancellationToken cancellationToken)
    {
        var result = SimulationFiles.Write(settings.Options(), settings.Out!, settings.Truth, settings.Inventory, settings.Feed);
        AnsiConsole.MarkupLineInterpolated(
            $"Wrote [bold]{result.Events:N0}[/] events to {settings.Out} for an organisation of {settings.Users:N0} users with {result.Scenarios.Count} attack scenarios.");
        foreach (var scenario in result.Scenarios)
        {
            AnsiConsole.MarkupLineInterpolated($"  {scenario.Id,-4} {scenario.Kind,-34} {scenario.Start:HH:mm:ss}–{scenario.End:HH:mm:ss}  {string.Join(", ", scenario.Entities)}");
        }
        return 0;
    }
}

/// <summary>Writes a simulation and its side files; shared by simulate and demo.</summary>
internal static class SimulationFiles
{
    /// <summary>The default organisation and attacks.</summary>
    public static SimulationResult Write(int events, int seed, string output, string? truth, string? inventory, string? feed) =>
        Write(new SimulationOptions(events, seed), output, truth, inventory, feed);

    /// <summary>As above for any options; <paramref name="labels"/>, when given, receives the scenario id of every line written (null for background).</summary>
    public static SimulationResult Write(SimulationOptions options, string output, string? truth, string? inventory, string? feed, List<string?>? labels = null)
    {
        SimulationResult result;
        using (var stream = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            result = labels is null ? new AttackSimulator().Run(options, stream) : new AttackSimulator().Run(options, stream, labels);
        }
        if (truth is not null)
        {
            using var stream = File.Create(truth);
            Truth.WriteTruth(stream, result.Scenarios);
        }
        if (inventory is not null)
        {
            using var writer = File.CreateText(inventory);
            result.Organisation.WriteInventory(writer);
        }
        if (feed is not null)
        {
            using var writer = File.CreateText(feed);
            Truth.WriteFeed(writer, result.KnownBadIndicators);
        }
        return result;
    }
}

/// <summary>The simulation options that simulate and demo both take.</summary>
internal interface ISimulationSettings
{
    int Events { get; }

    int Seed { get; }

    int Users { get; }

    string? Attacks { get; }
}

/// <summary>Turns --events, --seed, --users and --attacks into <see cref="SimulationOptions"/>, or an error naming the flag at fault.</summary>
internal static class SimulationArguments
{
    public const string UsersHelp = "Staff in the simulated organisation, 40 to 5000 (default 220); servers, admins and domain controllers scale with it.";

    public const string AttacksHelp =
        "Attacks to embed and how many of each, e.g. ssh-bruteforce:2,new-local-admin:3 or all:2 (default: each kind once). "
        + "Instances of a kind have their own victims and attackers and start 2 hours after the previous one could have ended.";

    /// <summary>The options of settings that passed <see cref="ValidateSimulation"/>.</summary>
    public static SimulationOptions Options(this ISimulationSettings settings) =>
        Build(settings, out var error) ?? throw new InvalidOperationException(error);

    public static ValidationResult? ValidateSimulation(this ISimulationSettings settings) =>
        Build(settings, out var error) is null ? ValidationResult.Error(error!) : null;

    private static SimulationOptions? Build(ISimulationSettings settings, out string? error)
    {
        var attacks = AttackMix.Default;
        if (settings.Attacks is not null && !AttackMix.TryParse(settings.Attacks, out attacks, out var invalid))
        {
            error = "--attacks: " + invalid;
            return null;
        }
        var options = new SimulationOptions(settings.Events, settings.Seed) { Users = settings.Users, Attacks = attacks };
        var problem = options.Problem();
        error = problem is null ? null : problem.Option switch
        {
            nameof(SimulationOptions.Events) => "--events: ",
            nameof(SimulationOptions.Users) => "--users: ",
            nameof(SimulationOptions.Attacks) => "--attacks: ",
            _ => "",
        } + problem.Reason;
        return problem is null ? options : null;
    }
}
