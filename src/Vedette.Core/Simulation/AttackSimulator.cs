using System.Diagnostics.CodeAnalysis;

namespace Vedette.Simulation;

/// <summary>
/// Writes a deterministic working day of a small organisation's security telemetry as NDJSON, with attack scenarios
/// embedded in it, and returns their ground truth. The same options give the same bytes on every run and machine.
/// </summary>
public sealed class AttackSimulator
{
    /// <summary>Writes exactly <see cref="SimulationOptions.Events"/> lines to <paramref name="output"/>, sorted by time.</summary>
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "An instance, so commands can take the simulator as a dependency.")]
    public SimulationResult Run(SimulationOptions options, Stream output) => Simulate(options, output, labels: null);

    /// <summary>
    /// As <see cref="Run(SimulationOptions, Stream)"/>; <paramref name="labels"/> receives, line by line, the id of the
    /// scenario that wrote it (null for background): the exact ground truth that alerts are judged against.
    /// </summary>
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "An instance, so commands can take the simulator as a dependency.")]
    public SimulationResult Run(SimulationOptions options, Stream output, List<string?> labels) => Simulate(options, output, labels);

    internal static SimulationResult Simulate(SimulationOptions options, Stream output, List<string?>? labels)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        options.Validate();

        // The order of these draws is part of the output: change it and every seed produces different traffic.
        var dice = new Dice(options.Seed);
        var organisation = OrganisationBuilder.Build(dice, options.Users);
        var internet = new Internet(dice);
        var adversary = new Adversary(internet, dice, options.Attacks);
        var timeline = new Timeline(options.Start, options.Span);
        var world = new World(organisation, internet, adversary, dice, timeline);
        var scenarios = Scenarios.PlanAll(world, options.Attacks);
        Background.Plan(world, options.Events - timeline.Count, options.Users, options.Span);

        var events = timeline.Sorted();
        if (events.Count != options.Events)
        {
            throw new InvalidOperationException($"planned {events.Count} events instead of {options.Events}");
        }
        using (var writer = new EventWriter(output))
        {
            foreach (var simEvent in events)
            {
                simEvent.Write(writer);
                labels?.Add(simEvent.Scenario);
            }
            writer.Complete();
        }
        return new SimulationResult(events.Count, scenarios, organisation, adversary.KnownBad);
    }
}
