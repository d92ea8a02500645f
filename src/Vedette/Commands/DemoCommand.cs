using System.ComponentModel;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Cli.Hosting;
using Vedette.Cli.Output;
using Vedette.Domain;
using Vedette.Ingest;
using Vedette.Serialization;
using Vedette.Storage;

namespace Vedette.Cli.Commands;

internal sealed class DemoSettings : StoreSettings, ISimulationSettings
{
    [CommandOption("--events <N>")]
    [Description("Events to simulate (default 200000).")]
    public int Events { get; init; } = 200_000;

    [CommandOption("--seed <S>")]
    [Description("Simulation seed (default 7).")]
    public int Seed { get; init; } = 7;

    [CommandOption("--users <N>")]
    [Description(SimulationArguments.UsersHelp)]
    public int Users { get; init; } = Simulation.SimulationOptions.DefaultUsers;

    [CommandOption("--attacks <SPEC>")]
    [Description(SimulationArguments.AttacksHelp)]
    public string? Attacks { get; init; }

    [CommandOption("--analyst")]
    [Description("Then simulate analysts working the queue: acknowledge after realistic delays, close with the verdict the ground truth calls for, leave some open (so every KPI has data).")]
    public bool Analyst { get; init; }

    public override ValidationResult Validate() => this.ValidateSimulation() ?? base.Validate();
}

/// <summary>The smallest simulation that holds every scenario, checked where commands take --events.</summary>
internal static class SimulationSize
{
    public static ValidationResult? Validate(int events) =>
        events < Simulation.SimulationOptions.MinimumEvents
            ? ValidationResult.Error($"--events must be at least {Simulation.SimulationOptions.MinimumEvents}")
            : null;
}

/// <summary>
/// vedette demo: simulates an organisation under attack, runs the whole pipeline on the embedded store, prints the
/// incident queue in priority order and checks the detections against the simulator's ground truth.
/// </summary>
internal sealed class DemoCommand : AsyncCommand<DemoSettings>
{
    private const string Marker = ".vedette-demo";

    public override async Task<int> ExecuteAsync(CommandContext context, DemoSettings settings, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(settings.Data);
        PrepareFolder(folder);
        var input = Path.Combine(folder, "demo-input");
        Directory.CreateDirectory(input);
        var eventsFile = Path.Combine(input, "events.ndjson");
        var inventoryFile = Path.Combine(input, "inventory.csv");
        var feedFile = Path.Combine(input, "demo-feed.txt");

        var interactive = settings.Format == OutputFormat.Table && PipelineRunner.IsInteractive;
        var labels = new List<string?>(settings.Events);
        var simulationOptions = settings.Options();
        Simulation.ReplayClock? replay = null;
        if (settings.Analyst)
        {
            // The simulated day ends half a day ago, so that the analysts' shift after it is over by now and every
            // time a report reads lies in the past; alerts are created on the replayed day, not today.
            var now = TimeProvider.System.GetUtcNow();
            var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero) - simulationOptions.Span - TimeSpan.FromHours(12);
            simulationOptions = simulationOptions with { Start = start };
            replay = new Simulation.ReplayClock(start, simulationOptions.Span);
        }
        var simulation = interactive
            ? AnsiConsole.Status().Start("Simulating traffic...", _ => Simulate(simulationOptions, eventsFile, input, inventoryFile, feedFile, labels))
            : Simulate(simulationOptions, eventsFile, input, inventoryFile, feedFile, labels);

        var options = new EngineOptions { DataFolder = folder, InventoryPath = inventoryFile, IntelPaths = [feedFile] };
        await using var engine = await Engine.OpenAsync(options, replay ?? TimeProvider.System, null, cancellationToken);
        replay?.Follow(() => engine.Pipeline.Stats.BytesRead, new FileInfo(eventsFile).Length);
        var result = await PipelineRunner.RunAsync(engine, new FileSource(eventsFile, engine.Lines), interactive, "detecting", cancellationToken);

        var alerts = await AllAlertsAsync(engine.Store, cancellationToken);
        var queue = await engine.Store.AllIncidentsAsync(new IncidentQuery(), cancellationToken);
        var counts = await engine.Store.CountAsync(cancellationToken);
        var (outcomes, benign) = ScenarioMatcher.Match(simulation.Scenarios, labels, Path.GetFileName(eventsFile), alerts);
        Simulation.AnalystSummary? shift = null;
        if (settings.Analyst)
        {
            var attackAlerts = outcomes.SelectMany(o => o.Alerts).Select(a => a.Id).ToHashSet();
            shift = await Simulation.AnalystShift.WorkAsync(
                engine.Store, queue, alerts.ToDictionary(a => a.Id), a => attackAlerts.Contains(a.Id), settings.Seed, cancellationToken);
        }

        if (settings.Format == OutputFormat.Json)
        {
            WriteJson(result, counts, outcomes, benign, queue, folder, shift);
        }
        else
        {
            WriteTable(result, counts, outcomes, benign, queue, folder, shift);
        }
        PipelineRunner.ReportErrors(engine.Errors);
        return outcomes.All(o => o.Detected) && result.Errors == 0 ? 0 : 1;
    }

    private static Simulation.SimulationResult Simulate(Simulation.SimulationOptions options, string eventsFile, string input, string inventoryFile, string feedFile, List<string?> labels) =>
        SimulationFiles.Write(options, eventsFile, Path.Combine(input, "truth.json"), inventoryFile, feedFile, labels);

    /// <summary>The demo starts from an empty store, but never deletes a store it did not make itself.</summary>
    private static void PrepareFolder(string folder)
    {
        var database = ProductPaths.Database(folder);
        if (File.Exists(database))
        {
            if (!File.Exists(Path.Combine(folder, Marker)))
            {
                throw new InvalidOperationException($"{folder} holds a Vedette store that the demo did not create; give the demo another --data folder");
            }
            foreach (var file in new[] { database, database + "-wal", database + "-shm" })
            {
                File.Delete(file);
            }
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, Marker), "This folder was created by `vedette demo`; the demo may replace its store.\n");
    }

    private static async Task<List<Alert>> AllAlertsAsync(IStore store, CancellationToken cancellationToken)
    {
        var all = new List<Alert>();
        foreach (var listed in await store.AllAlertsAsync(new AlertQuery(), cancellationToken))
        {
            // Listings leave the evidence out; judging against the ground truth needs the events behind each alert.
            all.Add(await store.GetAlertAsync(listed.Id, cancellationToken) ?? listed);
        }
        return all;
    }

    private static void WriteTable(Pipeline.PipelineResult result, StoreCounts counts, IReadOnlyList<ScenarioOutcome> outcomes, IReadOnlyList<Alert> benign, List<Incident> queue, string folder, Simulation.AnalystSummary? shift)
    {
        AnsiConsole.Write(new Rule("[bold]Incident queue[/] (priority order)").LeftJustified());
        AnsiConsole.Write(Tables.Incidents([.. queue.Take(15)]));
        if (queue.Count > 15)
        {
            AnsiConsole.MarkupLineInterpolated($"... {queue.Count - 15:N0} more: vedette incidents list --data {folder}");
        }
        AnsiConsole.WriteLine();
        AnsiConsole.Write(new Rule("[bold]Attack scenarios[/] (simulator ground truth)").LeftJustified());
        var scenarios = new Table().Border(TableBorder.Rounded).AddColumn("id").AddColumn("kind").AddColumn("detected").AddColumn("alerts").AddColumn("incident");
        foreach (var outcome in outcomes)
        {
            scenarios.AddRow(
                new Text(outcome.Scenario.Id), new Text(outcome.Scenario.Kind),
                outcome.Detected ? new Text("yes", new Style(Color.Green)) : new Text("NO", new Style(Color.Red)),
                new Text(outcome.Alerts.Count.ToString()), new Text(outcome.IncidentId?.ToString() ?? "-"));
        }
        AnsiConsole.Write(scenarios);
        AnsiConsole.WriteLine();
        AnsiConsole.Write(new Rule("[bold]Summary[/]").LeftJustified());
        AnsiConsole.MarkupLineInterpolated($"events {result.Events:N0}   alerts {counts.Alerts:N0}   incidents {counts.Incidents:N0}   errors {result.Errors:N0}");
        AnsiConsole.MarkupLineInterpolated($"pipeline {result.Elapsed.TotalSeconds:0.00} s   [bold]{result.EventsPerSecond:N0} events/s[/]");
        AnsiConsole.MarkupLineInterpolated($"scenarios detected {outcomes.Count(o => o.Detected)}/{outcomes.Count}   alerts on benign traffic {benign.Count:N0}");
        foreach (var group in benign.GroupBy(a => a.Title).OrderByDescending(g => g.Count()))
        {
            AnsiConsole.MarkupLineInterpolated($"  {group.Count(),5}  {group.Key}");
        }
        if (shift is not null)
        {
            AnsiConsole.WriteLine();
            AnsiConsole.Write(new Rule("[bold]Analysts[/] (simulated shift)").LeftJustified());
            var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn(new TableColumn("incidents").RightAligned()).AddColumn(new TableColumn("alerts").RightAligned());
            table.AddRow("acknowledged", shift.IncidentsAcknowledged.ToString("N0"), shift.AlertsAcknowledged.ToString("N0"));
            table.AddRow("closed true-positive", shift.TruePositive.ToString("N0"), "");
            table.AddRow("closed benign-positive", shift.BenignPositive.ToString("N0"), "");
            table.AddRow("closed false-positive", shift.FalsePositive.ToString("N0"), "");
            table.AddRow("closed", (shift.TruePositive + shift.BenignPositive + shift.FalsePositive).ToString("N0"), shift.AlertsClosed.ToString("N0"));
            table.AddRow("left open", shift.LeftOpen.ToString("N0"), "");
            AnsiConsole.Write(table);
        }
        AnsiConsole.MarkupLineInterpolated($"store: {ProductPaths.Database(folder)}");
    }

    private static void WriteJson(Pipeline.PipelineResult result, StoreCounts counts, IReadOnlyList<ScenarioOutcome> outcomes, IReadOnlyList<Alert> benign, List<Incident> queue, string folder, Simulation.AnalystSummary? shift)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout, DomainJson.WriterOptions(indented: true)))
        {
            writer.WriteStartObject();
            writer.WriteNumber("events", result.Events);
            writer.WriteNumber("alerts", counts.Alerts);
            writer.WriteNumber("incidents", counts.Incidents);
            writer.WriteNumber("errors", result.Errors);
            writer.WriteNumber("elapsedSeconds", Math.Round(result.Elapsed.TotalSeconds, 3));
            writer.WriteNumber("eventsPerSecond", Math.Round(result.EventsPerSecond));
            writer.WriteString("store", ProductPaths.Database(folder));
            writer.WriteStartArray("scenarios");
            foreach (var outcome in outcomes)
            {
                writer.WriteStartObject();
                writer.WriteString("id", outcome.Scenario.Id);
                writer.WriteString("kind", outcome.Scenario.Kind);
                writer.WriteBoolean("detected", outcome.Detected);
                if (outcome.IncidentId is { } incidentId)
                {
                    writer.WriteString("incidentId", incidentId);
                }
                else
                {
                    writer.WriteNull("incidentId");
                }
                writer.WriteNumber("alerts", outcome.Alerts.Count);
                writer.WriteStartArray("incidentIds");
                foreach (var id in outcome.Alerts.Where(a => a.IncidentId is not null).Select(a => a.IncidentId!.Value).Distinct())
                {
                    writer.WriteStringValue(id);
                }
                writer.WriteEndArray();
                writer.WriteStartArray("rules");
                foreach (var title in outcome.Alerts.Select(a => a.Title).Distinct())
                {
                    writer.WriteStringValue(title);
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartObject("benign");
            writer.WriteNumber("alerts", benign.Count);
            writer.WriteStartObject("byRule");
            foreach (var group in benign.GroupBy(a => a.Title).OrderByDescending(g => g.Count()))
            {
                writer.WriteNumber(group.Key, group.Count());
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
            // Which truth scenarios each incident holds alerts of: empty for an incident of benign alerts only.
            var scenariosByAlert = outcomes.SelectMany(o => o.Alerts.Select(a => (a.Id, o.Scenario.Id))).ToLookup(p => p.Item1, p => p.Item2);
            writer.WriteStartArray("queue");
            foreach (var incident in queue)
            {
                writer.WriteStartObject();
                writer.WriteString("incidentId", incident.Id);
                writer.WriteString("title", incident.Title);
                writer.WriteNumber("score", incident.Score);
                writer.WriteString("severity", incident.Severity.ToName());
                writer.WriteNumber("alerts", incident.AlertIds.Count);
                writer.WriteStartArray("scenarios");
                foreach (var scenario in incident.AlertIds.SelectMany(id => scenariosByAlert[id]).Distinct().Order(StringComparer.Ordinal))
                {
                    writer.WriteStringValue(scenario);
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            if (shift is not null)
            {
                writer.WriteStartObject("analysts");
                writer.WriteNumber("acknowledged", shift.IncidentsAcknowledged);
                writer.WriteStartObject("closed");
                writer.WriteNumber("true-positive", shift.TruePositive);
                writer.WriteNumber("benign-positive", shift.BenignPositive);
                writer.WriteNumber("false-positive", shift.FalsePositive);
                writer.WriteEndObject();
                writer.WriteNumber("leftOpen", shift.LeftOpen);
                writer.WriteNumber("alertsAcknowledged", shift.AlertsAcknowledged);
                writer.WriteNumber("alertsClosed", shift.AlertsClosed);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        stdout.WriteByte((byte)'\n');
    }
}
