using System.ComponentModel;
using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Cli.Hosting;
using Vedette.Domain;
using Vedette.Ingest.Readers;

namespace Vedette.Cli.Commands;

internal sealed class HuntSettings : RuleSelectionSettings
{
    [CommandArgument(0, "<PATH>")]
    [Description("Files, folders (recursive) or zip archives of NDJSON, JSON, JSON arrays or syslog text.")]
    public string[] Paths { get; init; } = [];

    [CommandOption("--min-level <LEVEL>")]
    [Description("Only detections at or above: informational, low, medium, high, critical.")]
    public string? MinLevel { get; init; }

    [CommandOption("--syslog-year <YEAR>")]
    [Description("Year of RFC 3164 syslog timestamps, which have none (default: the current UTC year).")]
    public int? SyslogYear { get; init; }

    protected override bool AllowsCsv => true;

    public Severity ParsedMinLevel => MinLevel is null ? Severity.Informational : SeverityNames.Parse(MinLevel);

    public override ValidationResult Validate()
    {
        if (Missing(Paths) is { } path)
        {
            return ValidationResult.Error($"no such file or folder: {path}");
        }
        if (MinLevel is not null && !SeverityNames.TryParse(MinLevel, out _))
        {
            return ValidationResult.Error($"unknown level '{MinLevel}': expected informational, low, medium, high or critical");
        }
        return SyslogYear is < 1 or > 9999 ? ValidationResult.Error("--syslog-year must be between 1 and 9999") : base.Validate();
    }
}

/// <summary>
/// vedette hunt: runs Sigma rules over log files once, without a store — the detection engineer's and incident
/// responder's loop — and prints each detection and a count per rule.
/// </summary>
internal sealed class HuntCommand : AsyncCommand<HuntSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, HuntSettings settings, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var rules = RuleSets.Load(settings.RulePaths, settings.Mapping);
        RuleSets.ReportLoadErrors(rules);
        var catalog = RulesAttack.LoadCatalog(settings.Attack);
        var source = new InputSource(settings.Paths, new InputOptions { SyslogYear = settings.SyslogYear ?? time.GetUtcNow().Year, SyslogNotAfter = settings.SyslogYear is null ? time.GetUtcNow() : null });
        var hunt = new HuntRun(rules, settings.ParsedMinLevel, time);

        var clock = Stopwatch.StartNew();
        try
        {
            if (settings.Format == ReportFormat.Table && PipelineRunner.IsInteractive && source.Length > 0)
            {
                await WithProgressAsync(hunt, source, cancellationToken);
            }
            else
            {
                await hunt.RunAsync(source, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("vedette: hunt stopped; what was found so far follows.");
        }

        switch (settings.Format)
        {
            case ReportFormat.Json:
                HuntReport.Json(hunt, catalog);
                break;
            case ReportFormat.Csv:
                HuntReport.Csv(hunt);
                break;
            default:
                HuntReport.Table(hunt, catalog, clock.Elapsed);
                break;
        }
        PipelineRunner.ReportErrors(hunt.Errors);
        foreach (var skipped in source.Skipped)
        {
            await Console.Error.WriteLineAsync($"skipped (not a log): {skipped}");
        }
        return 0;
    }

    private static Task WithProgressAsync(HuntRun hunt, InputSource source, CancellationToken cancellationToken) =>
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var total = source.Length!.Value;
                var task = progress.AddTask("hunt", maxValue: total);
                var run = Task.Run(() => hunt.RunAsync(source, cancellationToken), cancellationToken);
                while (!run.IsCompleted)
                {
                    task.Value = Math.Min(total, source.Progress.Bytes);
                    task.Description = $"hunt: {hunt.Events:N0} events, {hunt.Detections.Count:N0} detections";
                    await Task.WhenAny(run, Task.Delay(100, CancellationToken.None));
                }
                task.Value = total;
                await run;
            });
}
