using System.ComponentModel;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Cli.Hosting;
using Vedette.Ingest;

namespace Vedette.Cli.Commands;

/// <summary>Options of the commands that run the pipeline.</summary>
internal class PipelineSettings : StoreSettings
{
    [CommandOption("--rules <PATH>")]
    [Description("Rule file or folder (repeatable; default: the rules shipped with Vedette).")]
    public string[] Rules { get; init; } = [];

    [CommandOption("--inventory <FILE>")]
    [Description("Asset and identity inventory: CSV (type,value,criticality,owner,tags) or YAML (.yml/.yaml).")]
    public string? Inventory { get; init; }

    [CommandOption("--intel <FILE>")]
    [Description("Threat-intel list, one indicator per line (repeatable).")]
    public string[] Intel { get; init; } = [];

    [CommandOption("--max-line-bytes <N>")]
    [Description("Longest accepted input line; longer lines are reported and skipped (default 1 MiB).")]
    public int MaxLineBytes { get; init; } = LineReader.DefaultMaxLineBytes;

    public EngineOptions ToEngineOptions() => new()
    {
        DataFolder = Data,
        RulePaths = Rules.Length > 0 ? Rules : [ProductPaths.Rules],
        InventoryPath = Inventory,
        IntelPaths = Intel,
        MaxLineBytes = MaxLineBytes,
    };
}

internal sealed class IngestSettings : PipelineSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("NDJSON files to read, in order.")]
    public string[] Files { get; init; } = [];

    public override ValidationResult Validate()
    {
        var missing = Files.FirstOrDefault(f => !File.Exists(f));
        return missing is not null ? ValidationResult.Error($"no such file: {missing}") : base.Validate();
    }
}

/// <summary>vedette ingest: runs files through the whole pipeline into the store.</summary>
internal sealed class IngestCommand : AsyncCommand<IngestSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, IngestSettings settings, CancellationToken cancellationToken)
    {
        await using var engine = await Engine.OpenAsync(settings.ToEngineOptions(), TimeProvider.System, null, cancellationToken);
        var source = new ConcatSource([.. settings.Files.Select(f => (IEventSource)new FileSource(f, engine.Lines))]);
        var result = await PipelineRunner.RunAsync(engine, source, settings.Format == OutputFormat.Table && PipelineRunner.IsInteractive, "ingest", cancellationToken);
        if (settings.Format == OutputFormat.Json)
        {
            using var stdout = Console.OpenStandardOutput();
            using var writer = new Utf8JsonWriter(stdout);
            writer.WriteStartObject();
            writer.WriteNumber("lines", result.Lines);
            writer.WriteNumber("events", result.Events);
            writer.WriteNumber("alerts", result.Alerts);
            writer.WriteNumber("suppressed", result.Suppressed);
            writer.WriteNumber("errors", result.Errors);
            writer.WriteNumber("elapsedSeconds", Math.Round(result.Elapsed.TotalSeconds, 3));
            writer.WriteNumber("eventsPerSecond", Math.Round(result.EventsPerSecond));
            writer.WriteEndObject();
            writer.Flush();
            stdout.WriteByte((byte)'\n');
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"Read {result.Lines:N0} lines: {result.Events:N0} events, {result.Alerts:N0} alerts ({result.Suppressed:N0} suppressed), {result.Errors:N0} errors in {result.Elapsed.TotalSeconds:0.00} s ({result.EventsPerSecond:N0} events/s).");
            if (engine.Rules.Errors.Count > 0)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]{engine.Rules.Errors.Count} rule(s) failed to load[/]");
            }
        }
        PipelineRunner.ReportErrors(engine.Errors);
        return result.Errors > 0 ? 2 : 0;
    }
}
