using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Cli.Hosting;
using Vedette.Domain;
using Vedette.Metrics;
using Vedette.Simulation;
using Vedette.Storage;
using Vedette.Storage.Sqlite;
using Vedette.Triage;

namespace Vedette.Cli.Commands;

internal sealed class BenchReportSettings : CommandSettings
{
    [CommandOption("--alerts <N>")]
    [Description("Alerts written to the store, grouped into incidents, before the report runs (default 100000).")]
    public int Alerts { get; init; } = 100_000;

    [CommandOption("--runs <R>")]
    [Description("Timed reports of each format, after one untimed (default 3).")]
    public int Runs { get; init; } = 3;

    [CommandOption("--seed <S>")]
    [Description("Seed of the synthetic alerts and of the analysts' timing (default 7).")]
    public int Seed { get; init; } = 7;

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json.")]
    public string FormatName { get; init; } = "table";

    [CommandOption("--keep <DIR>")]
    [Description("Fill the store in DIR (a new folder) and leave it there, to run reports on it by hand; default: a temporary folder, deleted.")]
    public string? Keep { get; init; }

    public override ValidationResult Validate() =>
        Alerts < 1 || Runs < 1 ? ValidationResult.Error("--alerts and --runs must be positive")
        : Keep is not null && Directory.Exists(Keep) && Directory.EnumerateFileSystemEntries(Keep).Any() ? ValidationResult.Error($"--keep: {Keep} is not empty")
        : FormatName is not ("table" or "json") ? ValidationResult.Error($"--format must be table or json, not '{FormatName}'")
        : ValidationResult.Success();
}

/// <summary>
/// vedette bench report: a temporary SQLite store holding N alerts (the triage corpus, grouped into incidents as triage
/// does it), with analysts' acknowledgements and closes at varied delays, then `vedette report` as JSON and as HTML over
/// the whole range, each timed from opening the store to the last byte written: what a user waits for.
/// </summary>
internal sealed class BenchReportCommand : AsyncCommand<BenchReportSettings>
{
    private const int WriteBatch = 5_000;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>One format's timed reports: from opening the store to the last byte, and the part of it spent reading the store.</summary>
    private sealed record FormatTiming(string Format, long Bytes, double MedianSeconds, double ReadMedianSeconds, double[] RunsSeconds);

    public override async Task<int> ExecuteAsync(CommandContext context, BenchReportSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Keep is not null)
        {
            Directory.CreateDirectory(settings.Keep);
            return await RunAsync(settings, settings.Keep, cancellationToken);
        }
        return await BenchFolder.RunInTemporaryAsync("vedette-bench-report-", folder => RunAsync(settings, folder, cancellationToken));
    }

    private static async Task<int> RunAsync(BenchReportSettings settings, string folder, CancellationToken cancellationToken)
    {
        var fill = Stopwatch.StartNew();
        var (range, incidents) = await FillAsync(settings, folder, cancellationToken);
        fill.Stop();
        var database = ProductPaths.Database(folder);

        var formats = new List<FormatTiming>();
        SocReport? last = null;
        foreach (var format in new[] { "json", "html" })
        {
            var read = new double[settings.Runs];
            var total = new double[settings.Runs];
            long bytes = 0;
            for (var run = -1; run < settings.Runs; run++)
            {
                var clock = Stopwatch.StartNew();
                await using var store = await SqliteStore.OpenAsync(database, TimeProvider.System, cancellationToken);
                var alerts = await store.ReadAlertTimingsAsync(range.From, range.To, cancellationToken);
                var incidentTimings = await store.ReadIncidentTimingsAsync(range.From, range.To, cancellationToken);
                var open = await store.ReadOpenIncidentsAsync(cancellationToken);
                var readSeconds = clock.Elapsed.TotalSeconds;
                last = SocReport.Compute(alerts, incidentTimings, open, range.From, range.To, DateTimeOffset.UtcNow);
                using var output = new MemoryStream();
                ReportCommand.Write(last, format, null, output);
                clock.Stop();
                // The first run is untimed: it pays the JIT and fills the page cache.
                if (run >= 0)
                {
                    read[run] = readSeconds;
                    total[run] = clock.Elapsed.TotalSeconds;
                    bytes = output.Length;
                }
            }
            formats.Add(new FormatTiming(format, bytes, Math.Round(Median(total), 3), Math.Round(Median(read), 3), [.. total.Select(t => Math.Round(t, 3))]));
        }

        var result = new
        {
            alerts = settings.Alerts,
            reported = last!.Alerts.Alerts,
            incidents,
            from = range.From,
            to = range.To,
            fillSeconds = Math.Round(fill.Elapsed.TotalSeconds, 1),
            runs = settings.Runs,
            reports = formats,
        };
        if (settings.FormatName == "json")
        {
            Console.WriteLine(JsonSerializer.Serialize(result, Indented));
            return 0;
        }
        AnsiConsole.MarkupLineInterpolated($"[bold]{result.reported:N0}[/] alerts in [bold]{incidents:N0}[/] incidents (store filled in {result.fillSeconds:N1} s); {result.runs} timed reports per format after one untimed.");
        var table = new Table().AddColumns("format", "bytes", "median", "of which reading the store", "runs");
        foreach (var report in formats)
        {
            table.AddRow(report.Format, report.Bytes.ToString("N0", CultureInfo.InvariantCulture), F($"{report.MedianSeconds:0.000} s"),
                F($"{report.ReadMedianSeconds:0.000} s"), string.Join(" / ", report.RunsSeconds.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture))));
        }
        AnsiConsole.Write(table);
        return 0;
    }

    /// <summary>
    /// The corpus's alerts, grouped as triage does it, with their event a few minutes before their creation; most
    /// acknowledged and many closed by analysts after delays from a minute to two days, with verdicts of every kind.
    /// </summary>
    private static async Task<(ReportRange Range, int Incidents)> FillAsync(BenchReportSettings settings, string folder, CancellationToken cancellationToken)
    {
        var corpus = TriageCorpus.Create(settings.Alerts, settings.Seed);
        // Triage opens an incident when an alert arrives: on the corpus's clock, not the machine's.
        var clock = new AlertClock();
        var grouper = new IncidentGrouper(new GroupingOptions(), clock, inventory: corpus.Inventory);
        var random = new Random(settings.Seed);
        var analyst = Actor.Analyst("bench");
        var seen = new HashSet<Guid>();
        await using var store = await SqliteStore.OpenAsync(ProductPaths.Database(folder), TimeProvider.System, cancellationToken);
        var alerts = corpus.Alerts;
        DateTimeOffset first = DateTimeOffset.MaxValue, last = DateTimeOffset.MinValue;
        for (var start = 0; start < alerts.Count; start += WriteBatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = new StoreBatch();
            var changed = new Dictionary<Guid, Incident>();
            for (var i = start; i < Math.Min(alerts.Count, start + WriteBatch); i++)
            {
                var alert = alerts[i];
                alert.FirstSeen = alert.CreatedAt - Delay(random, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(20));
                Work(alert, random, analyst);
                clock.Now = alert.CreatedAt;
                var incident = grouper.Triage(alert);
                if (seen.Add(incident.Id))
                {
                    Work(incident, random, analyst);
                }
                changed[incident.Id] = incident;
                batch.NewAlerts.Add(alert);
                first = alert.CreatedAt < first ? alert.CreatedAt : first;
                last = alert.CreatedAt > last ? alert.CreatedAt : last;
            }
            foreach (var incident in changed.Values)
            {
                batch.Incidents.Add(incident.Clone());
            }
            await store.WriteAsync(batch, cancellationToken);
        }
        return (new ReportRange(first, last.AddTicks(1)), seen.Count);
    }

    /// <summary>Four in five acknowledged, three in five closed (a fifth true, a third benign, the rest false positives), the rest left open.</summary>
    private static void Work(WorkItem item, Random random, Actor analyst)
    {
        var roll = random.NextDouble();
        if (roll >= 0.8)
        {
            return;
        }
        var acknowledged = item.CreatedAt + Delay(random, TimeSpan.FromMinutes(1), TimeSpan.FromHours(6));
        item.Acknowledge(analyst, acknowledged);
        if (roll < 0.6)
        {
            var verdict = random.NextDouble() switch
            {
                < 0.2 => Verdict.TruePositive,
                < 0.5 => Verdict.BenignPositive,
                _ => Verdict.FalsePositive,
            };
            item.Close(verdict, analyst, acknowledged + Delay(random, TimeSpan.FromMinutes(5), TimeSpan.FromDays(2)));
        }
    }

    /// <summary>Log-uniform between the bounds: most delays short, a long tail, as analysts' are.</summary>
    private static TimeSpan Delay(Random random, TimeSpan least, TimeSpan most) =>
        TimeSpan.FromTicks((long)(least.Ticks * Math.Pow((double)most.Ticks / least.Ticks, random.NextDouble())));

    /// <summary>The time of the alert being triaged.</summary>
    private sealed class AlertClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[(sorted.Length - 1) / 2];
    }
}
