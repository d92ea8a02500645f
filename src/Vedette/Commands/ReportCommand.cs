using System.ComponentModel;
using System.Text;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Cli.Hosting;
using Vedette.Metrics;
using Vedette.Server.Reports;
using Vedette.Storage;

namespace Vedette.Cli.Commands;

/// <summary>The options of `vedette report` and `vedette report export`: a range, a format, an output file, a store.</summary>
internal class ReportRangeSettings : CommandSettings
{
    [CommandOption("--from <T>")]
    [Description("Start of the range (inclusive): now, a duration back from now (7d, 12h), a date (2026-11-01) or an ISO 8601 time. Default: 30 days before --to.")]
    public string? From { get; init; }

    [CommandOption("--to <T>")]
    [Description("End of the range (exclusive), in the same forms. Default: now.")]
    public string? To { get; init; }

    [CommandOption("--out <FILE>")]
    [Description("Write to this file instead of standard output.")]
    public string? Out { get; init; }

    [CommandOption("--data <DIR>")]
    [Description("Folder of the embedded store (default: ./vedette-data).")]
    public string Data { get; init; } = ProductPaths.DefaultDataFolder;

    [CommandOption("--format <FORMAT>")]
    [Description("The report: json (default), html (one self-contained page with charts) or csv (one KPI per row). An export: csv (default) or json.")]
    public string? FormatName { get; init; }

    /// <summary>The range, or a <see cref="FormatException"/> that names the bad option.</summary>
    public ReportRange Range(DateTimeOffset now) => ReportRange.Parse(From, To, now);

    /// <summary>The output, buffered; standard output is not closed when the caller disposes it.</summary>
    public Stream OpenOutput() => Out is null ? new BufferedStream(Console.OpenStandardOutput(), 1 << 16) : new FileStream(Out, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);

    protected ValidationResult ValidateRange()
    {
        try
        {
            Range(DateTimeOffset.UtcNow);
            return ValidationResult.Success();
        }
        catch (FormatException ex)
        {
            return ValidationResult.Error(ex.Message);
        }
    }
}

internal sealed class ReportSettings : ReportRangeSettings
{
    public string Format => FormatName ?? "json";

    [CommandOption("--attack <CSV>")]
    [Description("MITRE ATT&CK techniques CSV (enterprise-attack.csv): the HTML matrix names techniques and places them under their catalog tactics.")]
    public string? Attack { get; init; }

    public override ValidationResult Validate() =>
        Format is not ("json" or "html" or "csv") ? ValidationResult.Error($"--format must be json, html or csv, not '{Format}'")
        : Attack is not null && !File.Exists(Attack) ? ValidationResult.Error($"--attack: no file {Attack}")
        : ValidateRange();
}

/// <summary>
/// vedette report: the SOC's KPIs over the alerts and incidents created in a range (MTTD, MTTA, MTTR with percentiles,
/// incident MTTA/MTTR, false-positive rate and precision overall and per rule, volume by severity, source, rule and
/// ATT&amp;CK tactic, SLA compliance) and the backlog of open incidents now, as JSON, CSV or one HTML page.
/// </summary>
internal sealed class ReportCommand : AsyncCommand<ReportSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ReportSettings settings, CancellationToken cancellationToken)
    {
        var now = TimeProvider.System.GetUtcNow();
        var range = settings.Range(now);
        var catalog = RulesAttack.LoadCatalog(settings.Attack);
        await using var store = await StoreAccess.OpenExistingAsync(settings.Data, cancellationToken);
        var report = await BuildAsync(store, range, now, cancellationToken);
        await using var output = settings.OpenOutput();
        Write(report, settings.Format, catalog, output);
        if (settings.Out is not null)
        {
            await Console.Error.WriteLineAsync($"report of {report.Alerts.Alerts:N0} alerts and {report.Incidents.Incidents:N0} incidents written to {settings.Out}");
        }
        return 0;
    }

    /// <summary>Reads what the report needs (index entries only, never documents) and computes it.</summary>
    public static async Task<SocReport> BuildAsync(IStore store, ReportRange range, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var alerts = await store.ReadAlertTimingsAsync(range.From, range.To, cancellationToken);
        var incidents = await store.ReadIncidentTimingsAsync(range.From, range.To, cancellationToken);
        var open = await store.ReadOpenIncidentsAsync(cancellationToken);
        return SocReport.Compute(alerts, incidents, open, range.From, range.To, now);
    }

    public static void Write(SocReport report, string format, Detection.Attack.AttackCatalog? catalog, Stream output)
    {
        switch (format)
        {
            case "json":
                ReportJson.Write(report, output);
                break;
            case "csv":
                ReportCsv.WriteSummary(report, output);
                break;
            case "html":
                output.Write(Encoding.UTF8.GetBytes(ReportHtml.Render(report, catalog)));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "json, html or csv");
        }
        output.Flush();
    }
}
