using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Cli.Hosting;
using Vedette.Detect;
using Vedette.Detection;
using Vedette.Detection.Mappings;
using Vedette.Domain;
using Vedette.Ingest;
using Vedette.Ingest.Readers;
using Vedette.Pipeline;

namespace Vedette.Cli.Commands;

internal sealed class BenchDetectSettings : RuleSetSettings
{
    [CommandOption("--rules <PATH>")]
    [Description("Rule file or folder (repeatable; default: the rules shipped with Vedette).")]
    public string[] Rules { get; init; } = [];

    [CommandOption("--events <PATH>")]
    [Description("Files, folders or zips of events, in any format hunt reads (repeatable).")]
    public string[] Events { get; init; } = [];

    [CommandOption("--bytes <N>")]
    [Description("Bytes of events to measure over, repeating the input as needed; k, m, g suffixes (default 1g).")]
    public string BytesText { get; init; } = "1g";

    public long Bytes => BenchDetectInput.ParseBytes(BytesText) ?? 0;

    public override ValidationResult Validate() =>
        Events.Length == 0 ? ValidationResult.Error("give the events with --events PATH")
        : Missing(Events) is { } events ? ValidationResult.Error($"no such file or folder: {events}")
        : Missing(Rules) is { } rules ? ValidationResult.Error($"no such rule file or folder: {rules}")
        : BenchDetectInput.ParseBytes(BytesText) is null ? ValidationResult.Error($"--bytes must be a size from 1 to {Array.MaxLength} bytes such as 2m or 1g, not '{BytesText}'")
        : base.Validate();
}

/// <summary>What bench detect measured.</summary>
internal sealed record DetectBenchResult(int Rules, long Events, long Bytes, long Alerts, long Errors, double EventsPerSecond, double ScanEventsPerSecond, double NormalizeEventsPerSecond, long CompiledRulesetBytes);

/// <summary>
/// vedette bench detect: detection's own speed, single-threaded, next to the limit of merely tokenizing the same
/// records — both over the same in-memory events in this one run — and the memory the compiled rule set takes.
/// </summary>
internal sealed class BenchDetectCommand : AsyncCommand<BenchDetectSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, BenchDetectSettings settings, CancellationToken cancellationToken)
    {
        var input = await BenchDetectInput.LoadAsync(settings.Events, settings.Bytes, cancellationToken);
        PipelineRunner.ReportErrors(input.Errors);
        if (input.Count == 0)
        {
            throw new InvalidOperationException("no events could be read from --events");
        }

        var mappings = DetectionMappings.Load(settings.Mapping);
        // An approximation: the managed heap's growth across the load, after full collections, with the set kept alive.
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var rules = RuleSet.Load(settings.Rules.Length > 0 ? settings.Rules : [ProductPaths.Rules], mappings);
        var compiled = Math.Max(0, GC.GetTotalMemory(forceFullCollection: true) - before);
        RuleSets.ReportLoadErrors(rules);

        var scan = Scan(input);
        var (normalize, _, _) = Detect(input, rules: null);
        var (detect, alerts, errors) = Detect(input, rules);
        GC.KeepAlive(rules);
        Print(new DetectBenchResult(rules.Rules.Count, input.Count, input.Bytes, alerts, errors, detect, scan, normalize, compiled), settings.Format);
        return 0;
    }

    /// <summary>The limit: a Utf8JsonReader pass over every token of every record, nothing else.</summary>
    private static double Scan(BenchDetectInput input)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < input.Count; i++)
        {
            var reader = new Utf8JsonReader(input.Record(i));
            while (reader.Read())
            {
            }
        }
        return input.Count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Normalize each record and, given a rule set, detect on it, one record after the other on this thread, as the
    /// pipeline's detect stage does. Without rules it times reading alone, which splits detection's time in two.
    /// </summary>
    private static (double PerSecond, long Alerts, long Errors) Detect(BenchDetectInput input, RuleSet? rules)
    {
        var normalizer = new RecordNormalizer(TimeProvider.System, reuseBuffers: true);
        var detector = rules is null ? null : new SigmaDetector(rules, TimeProvider.System);
        var output = new DetectionOutput();
        long alerts = 0, errors = 0;
        var reference = new RecordRef("bench", 0);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < input.Count; i++)
        {
            try
            {
                var e = normalizer.Normalize(input.Record(i), reference).Event;
                detector?.Detect(e, output);
            }
            catch (FormatException)
            {
                errors++;
            }
            alerts += output.Alerts.Count;
            output.Clear();
        }
        detector?.Flush(output);
        var elapsed = clock.Elapsed.TotalSeconds;
        return (input.Count / elapsed, alerts + output.Alerts.Count, errors);
    }

    private static void Print(DetectBenchResult result, ReportFormat format)
    {
        var ratio = Math.Round(result.EventsPerSecond / result.ScanEventsPerSecond, 3);
        if (format == ReportFormat.Json)
        {
            StoreAccess.WriteJson(writer =>
            {
                writer.WriteStartObject();
                writer.WriteNumber("rules", result.Rules);
                writer.WriteNumber("events", result.Events);
                writer.WriteNumber("bytes", result.Bytes);
                writer.WriteNumber("eventsPerSecond", Math.Round(result.EventsPerSecond));
                writer.WriteNumber("scanEventsPerSecond", Math.Round(result.ScanEventsPerSecond));
                writer.WriteNumber("normalizeEventsPerSecond", Math.Round(result.NormalizeEventsPerSecond));
                writer.WriteNumber("ratio", ratio);
                writer.WriteNumber("compiledRulesetBytes", result.CompiledRulesetBytes);
                writer.WriteNumber("alerts", result.Alerts);
                writer.WriteNumber("errors", result.Errors);
                writer.WriteEndObject();
            });
            return;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumn("measurement").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("rules loaded", result.Rules.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("events (bytes)", $"{result.Events:N0} ({result.Bytes / 1048576.0:N1} MiB)");
        table.AddRow("limit: tokenize JSON once", $"{result.ScanEventsPerSecond:N0} events/s");
        table.AddRow("normalize only (reading, no rules)", $"{result.NormalizeEventsPerSecond:N0} events/s");
        table.AddRow("normalize + detect, one thread", $"{result.EventsPerSecond:N0} events/s");
        table.AddRow("detection / limit", ratio.ToString("P1", CultureInfo.InvariantCulture));
        table.AddRow("compiled rule set (heap growth, approx.)", $"{result.CompiledRulesetBytes / 1048576.0:N1} MiB");
        table.AddRow("alerts raised", result.Alerts.ToString("N0", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
    }
}
