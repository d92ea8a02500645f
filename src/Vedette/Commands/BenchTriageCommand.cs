using System.ComponentModel;
using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Detect;
using Vedette.Domain;
using Vedette.Simulation;
using Vedette.Triage;

namespace Vedette.Cli.Commands;

internal sealed class BenchTriageSettings : CommandSettings
{
    [CommandOption("--alerts <N>")]
    [Description("Synthetic enriched alerts to triage (default 1000000).")]
    public int Alerts { get; init; } = 1_000_000;

    [CommandOption("--runs <R>")]
    [Description("Timed runs; the median is reported (default 3).")]
    public int Runs { get; init; } = 3;

    [CommandOption("--seed <S>")]
    [Description("Seed of the synthetic alerts (default 7).")]
    public int Seed { get; init; } = 7;

    [CommandOption("--baseline <DIR>")]
    [Description("Folder of the reference Python workflow (bench_seed.py) to run side by side.")]
    public string? Baseline { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json.")]
    public string FormatName { get; init; } = "table";

    public override ValidationResult Validate() =>
        Alerts < 1 || Runs < 1 ? ValidationResult.Error("--alerts and --runs must be positive")
        : Baseline is not null && !PythonBaseline.Exists(Baseline) ? ValidationResult.Error($"no bench_seed.py in {Baseline}")
        : FormatName is not ("table" or "json") ? ValidationResult.Error($"--format must be table or json, not '{FormatName}'")
        : ValidationResult.Success();
}

/// <summary>What one timed pass over the alerts did.</summary>
internal sealed record TriageRun(double AlertsPerSecond, long AllocatedBytes, double GcPauseShare, int Collections, int PeakStateSize, IReadOnlyList<int> StateByQuarter, int Kept, int Updates, int Incidents, int Buckets, int Progressions, int Hubs);

/// <summary>
/// vedette bench triage: risk scoring (with an inventory), repeat folding and incident grouping over synthetic
/// enriched alerts held in memory, on one thread, as the pipeline's detect and triage stages do them; the grouper's
/// state is sampled through the stream (what it holds follows the window, save the alerts of incidents that never go
/// quiet). With --baseline, the reference Python workflow is measured in the same run.
/// </summary>
internal sealed class BenchTriageCommand : Command<BenchTriageSettings>
{
    private const int Batch = 256;

    private static readonly System.Text.Json.JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public override int Execute(CommandContext context, BenchTriageSettings settings, CancellationToken cancellationToken)
    {
        var build = Stopwatch.StartNew();
        var corpus = TriageCorpus.Create(settings.Alerts, settings.Seed);
        build.Stop();
        var alerts = corpus.Alerts;
        var span = alerts[^1].LastSeen - alerts[0].FirstSeen;

        // Warm-up on a slice, untimed, so that the runs measure compiled code rather than the JIT.
        Run(corpus, Math.Min(alerts.Count, 50_000));
        var runs = new List<TriageRun>();
        for (var run = 0; run < settings.Runs; run++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            runs.Add(Run(corpus, alerts.Count));
        }
        var median = runs.OrderBy(r => r.AlertsPerSecond).ElementAt(runs.Count / 2);
        var vedette = BenchFigure.Median("score + fold + group (one thread)", "alerts/s", [.. runs.Select(r => r.AlertsPerSecond)]);
        var figures = new List<BenchFigure> { vedette };
        if (settings.Baseline is { } baseline)
        {
            figures.Add(BenchFigure.Median("Python reference, as written", "alerts/s", PythonBaseline.Runs(baseline, settings.Runs, "info")));
            figures.Add(BenchFigure.Median("Python reference, logging off", "alerts/s", PythonBaseline.Runs(baseline, settings.Runs, "disabled")));
        }
        using var process = Process.GetCurrentProcess();
        var result = new
        {
            alerts = alerts.Count,
            eventTimeHours = Math.Round(span.TotalHours, 1),
            corpusSeconds = Math.Round(build.Elapsed.TotalSeconds, 2),
            alertsPerSecond = Math.Round(vedette.PerSecond),
            allocatedBytesPerAlert = Math.Round((double)median.AllocatedBytes / alerts.Count, 1),
            gcPauseShare = Math.Round(median.GcPauseShare, 3),
            collections = median.Collections,
            peakStateSize = runs.Max(r => r.PeakStateSize),
            stateByQuarter = median.StateByQuarter,
            peakWorkingSetBytes = process.PeakWorkingSet64,
            triagedAlerts = median.Kept,
            foldedAlerts = alerts.Count - median.Kept,
            updates = median.Updates,
            incidents = median.Incidents,
            noiseBuckets = median.Buckets,
            tacticProgressions = median.Progressions,
            hubs = median.Hubs,
            figures = figures.Select(f => new
            {
                name = f.Name,
                unit = f.Unit,
                perSecond = Math.Round(f.PerSecond),
                vedetteIs = Math.Round(vedette.PerSecond / f.PerSecond, 2),
                runs = f.Runs.Select(r => Math.Round(r)).ToArray(),
            }).ToArray(),
        };
        if (settings.FormatName == "json")
        {
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(result, Indented));
            return 0;
        }
        AnsiConsole.MarkupLineInterpolated($"[bold]{result.alerts:N0}[/] synthetic alerts over {result.eventTimeHours:N0} h of event time: {result.foldedAlerts:N0} folded as repeats, {result.triagedAlerts:N0} grouped into {result.incidents:N0} incidents ({result.noiseBuckets:N0} noise buckets, {result.tacticProgressions:N0} with three or more tactics on one entity, {result.hubs:N0} hubs).");
        var table = new Table().AddColumn("measurement").AddColumn("median per second").AddColumn("runs").AddColumn("Vedette is ×");
        foreach (var figure in result.figures)
        {
            table.AddRow(
                new Text(figure.name),
                new Text($"{figure.perSecond:N0} {figure.unit}"),
                new Text(string.Join(", ", figure.runs.Select(r => r.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))),
                new Text($"{figure.vedetteIs:0.00}"));
        }
        AnsiConsole.Write(table);
        var memory = new Table().AddColumns("measure", "value");
        memory.AddRow("allocated bytes per alert (score + fold + group)", $"{result.allocatedBytesPerAlert:N1}");
        memory.AddRow("time paused for garbage collection", $"{result.gcPauseShare:P0} ({result.collections} collections)");
        memory.AddRow("grouper state, peak entries", $"{result.peakStateSize:N0}");
        memory.AddRow("grouper state after 1/4, 1/2, 3/4, all of the alerts", string.Join(" / ", result.stateByQuarter.Select(s => s.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))));
        memory.AddRow("process peak working set (alerts held in memory included)", $"{result.peakWorkingSetBytes / 1048576.0:N0} MiB");
        AnsiConsole.Write(memory);
        return 0;
    }

    /// <summary>The detect stage's folding, then the triage stage, batch by batch as the pipeline hands them on.</summary>
    private static TriageRun Run(TriageCorpus corpus, int count)
    {
        var alerts = corpus.Alerts;
        foreach (var alert in alerts)
        {
            alert.Risk = null;
            alert.IncidentId = null;
        }
        var folder = new RepeatFolder(RepeatFolder.DefaultGap);
        var grouper = new IncidentGrouper(new GroupingOptions(), TimeProvider.System, inventory: corpus.Inventory);
        var output = new DetectionOutput();
        var progressions = new HashSet<Guid>();
        int kept = 0, updates = 0, peak = 0, incidents = 0, buckets = 0;
        var quarters = new List<int>(4);

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var paused = GC.GetTotalPauseDuration();
        var collections = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < count; start += Batch)
        {
            var end = Math.Min(count, start + Batch);
            for (var i = start; i < end; i++)
            {
                output.Alerts.Add(alerts[i]);
            }
            folder.Fold(output);
            if (end == count)
            {
                folder.Flush(output);
            }
            foreach (var alert in output.Alerts)
            {
                // Counted on the way rather than kept: holding every incident would hold memory the grouper lets go.
                var incident = grouper.Triage(alert);
                if (incident.AlertIds.Count == 1)
                {
                    incidents++;
                    buckets += incident.Title.EndsWith(" (low-severity, on many hosts)", StringComparison.Ordinal) ? 1 : 0;
                }
                if (incident.Risk!.Parts[^1] is { Factor: "tactic progression", Points: >= 10 })
                {
                    progressions.Add(incident.Id);
                }
            }
            foreach (var update in output.Updates)
            {
                grouper.Update(update);
            }
            kept += output.Alerts.Count;
            updates += output.Updates.Count;
            output.Clear();
            var state = grouper.StateSize;
            peak = Math.Max(peak, state);
            if (end >= (quarters.Count + 1) * (long)count / 4)
            {
                quarters.Add(state);
            }
        }
        clock.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var pauseShare = (GC.GetTotalPauseDuration() - paused) / clock.Elapsed;
        collections = GC.CollectionCount(0) - collections;

        return new TriageRun(
            count / clock.Elapsed.TotalSeconds,
            allocated,
            pauseShare,
            collections,
            peak,
            quarters,
            kept,
            updates,
            incidents,
            buckets,
            progressions.Count,
            grouper.Hubs.Count);
    }
}
