using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Simulation;

namespace Vedette.Cli.Commands;

internal sealed class SimulateSettings : CommandSettings
{
    [CommandOption("--events <N>")]
    [Description("Number of events to write (at least 5000).")]
    public int Events { get; init; } = 200_000;

    [CommandOption("--seed <S>")]
    [Description("Random seed: the same seed writes the same bytes.")]
    public int Seed { get; init; } = 7;

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
        return SimulationSize.Validate(Events) ?? ValidationResult.Success();
    }
}

/// <summary>vedette simulate: writes a small organisation's traffic with embedded attacks, deterministically.</summary>
internal sealed class SimulateCommand : Command<SimulateSettings>
{
    public override int Execute(CommandContext context, SimulateSettings settings, CancellationToken cancellationToken)
    {
        var result = SimulationFiles.Write(settings.Events, settings.Seed, settings.Out!, settings.Truth, settings.Inventory, settings.Feed);
        AnsiConsole.MarkupLineInterpolated($"Wrote [bold]{result.Events:N0}[/] events to {settings.Out} with {result.Scenarios.Count} attack scenarios.");
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
    public static SimulationResult Write(int events, int seed, string output, string? truth, string? inventory, string? feed)
    {
        SimulationResult result;
        using (var stream = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            result = new AttackSimulator().Run(new SimulationOptions(events, seed), stream);
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
