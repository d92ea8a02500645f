using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Cli.Hosting;
using Vedette.Domain;
using Vedette.Identity;
using Vedette.Server;
using Vedette.Simulation;
using Vedette.Storage;
using Vedette.Storage.Sqlite;
using Vedette.Triage;

namespace Vedette.Cli.Commands;

internal sealed class BenchConsoleSettings : CommandSettings
{
    [CommandOption("--alerts <N>")]
    [Description("Open alerts written to the store, grouped into incidents, before the server starts (default 100000).")]
    public int Alerts { get; init; } = 100_000;

    [CommandOption("--runs <R>")]
    [Description("Timed requests of each page, after a warm-up (default 20).")]
    public int Runs { get; init; } = 20;

    [CommandOption("--seed <S>")]
    [Description("Seed of the synthetic alerts (default 7).")]
    public int Seed { get; init; } = 7;

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json.")]
    public string FormatName { get; init; } = "table";

    public override ValidationResult Validate() =>
        Alerts < 1 || Runs < 1 ? ValidationResult.Error("--alerts and --runs must be positive")
        : FormatName is not ("table" or "json") ? ValidationResult.Error($"--format must be table or json, not '{FormatName}'")
        : ValidationResult.Success();
}

/// <summary>Server time of one console page over the timed requests, in milliseconds, and what the page showed (incident rows, or alerts).</summary>
internal sealed record ConsolePageTiming(string Path, int Rows, int Bytes, double MedianMs, double P95Ms, double MaxMs, double ClientMedianMs);

/// <summary>
/// vedette bench console: a temporary SQLite store holding N open alerts, scored and grouped into incidents as the
/// triage stage does it, the real server started in-process on loopback, then the console's queue page and the top
/// incident's page requested with an analyst's API token. Server time is the page's Server-Timing header (from the
/// request entering the server to the first byte of the answer); the round trip seen by the client is reported next to it.
/// </summary>
internal sealed partial class BenchConsoleCommand : AsyncCommand<BenchConsoleSettings>
{
    private const int WriteBatch = 5_000;
    private const int WarmUp = 5;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public override async Task<int> ExecuteAsync(CommandContext context, BenchConsoleSettings settings, CancellationToken cancellationToken)
    {
        return await BenchFolder.RunInTemporaryAsync("vedette-bench-console-", folder => RunAsync(settings, folder, cancellationToken));
    }

    private static async Task<int> RunAsync(BenchConsoleSettings settings, string folder, CancellationToken cancellationToken)
    {
        var fill = Stopwatch.StartNew();
        // The corpus's alerts are dated on its own days: the server runs an hour after the last of them, so that the
        // dashboard's ranges (which end now) hold them all.
        var corpus = TriageCorpus.Create(settings.Alerts, settings.Seed);
        var clock = new ShiftedClock(corpus.Alerts.Max(a => a.CreatedAt).AddHours(1) - TimeProvider.System.GetUtcNow());
        var (incidents, token) = await FillAsync(corpus, clock, folder, cancellationToken);
        fill.Stop();

        var engineOptions = new EngineOptions { DataFolder = folder };
        var serverOptions = new ServerOptions { Urls = "http://127.0.0.1:0", HostName = "vedette-bench" };
        var (engine, app) = await ServerHost.BuildAsync(engineOptions, serverOptions, clock, logging => logging.ClearProviders(), cancellationToken);
        ConsolePageTiming queue, incident, dashboard;
        await using (engine)
        {
            await using (app)
            {
                await app.StartAsync(cancellationToken);
                var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
                using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                await WaitReadyAsync(http, cancellationToken);
                queue = await MeasureAsync(http, "/console/queue", settings.Runs, cancellationToken);
                var top = TopId(await FetchAsync(http, "/console/queue", cancellationToken)) ?? throw new InvalidOperationException("the queue page listed no incident");
                incident = await MeasureAsync(http, "/console/incidents/" + top, settings.Runs, cancellationToken);
                dashboard = await MeasureAsync(http, "/console/dashboard?range=30d", settings.Runs, cancellationToken);
                await app.StopAsync(cancellationToken);
            }
        }

        var result = new
        {
            alerts = settings.Alerts,
            incidents,
            fillSeconds = Math.Round(fill.Elapsed.TotalSeconds, 1),
            runs = settings.Runs,
            pages = new[] { queue, incident, dashboard }.Select(p => new
            {
                path = p.Path.StartsWith("/console/incidents/", StringComparison.Ordinal) ? "/console/incidents/{top id}" : p.Path,
                rows = p.Rows,
                bytes = p.Bytes,
                serverMedianMs = Math.Round(p.MedianMs, 2),
                serverP95Ms = Math.Round(p.P95Ms, 2),
                serverMaxMs = Math.Round(p.MaxMs, 2),
                roundTripMedianMs = Math.Round(p.ClientMedianMs, 2),
            }).ToArray(),
        };
        if (settings.FormatName == "json")
        {
            Console.WriteLine(JsonSerializer.Serialize(result, Indented));
            return 0;
        }
        AnsiConsole.MarkupLineInterpolated($"[bold]{result.alerts:N0}[/] open alerts in [bold]{result.incidents:N0}[/] incidents (store filled in {result.fillSeconds:N1} s); {result.runs} timed requests per page after {WarmUp} untimed.");
        var table = new Table().AddColumns("page", "rows", "bytes", "server median", "server p95", "server max", "round trip median");
        foreach (var page in result.pages)
        {
            table.AddRow(page.path, page.rows.ToString(CultureInfo.InvariantCulture), page.bytes.ToString("N0", CultureInfo.InvariantCulture),
                $"{page.serverMedianMs:0.00} ms", $"{page.serverP95Ms:0.00} ms", $"{page.serverMaxMs:0.00} ms", $"{page.roundTripMedianMs:0.00} ms");
        }
        AnsiConsole.Write(table);
        return 0;
    }

    /// <summary>The alerts, scored and grouped as the triage stage does it, written in pipeline-sized batches; an analyst and a token.</summary>
    private static async Task<(int Incidents, string Token)> FillAsync(TriageCorpus corpus, TimeProvider clock, string folder, CancellationToken cancellationToken)
    {
        var grouper = new IncidentGrouper(new GroupingOptions(), TimeProvider.System, inventory: corpus.Inventory);
        var seen = new HashSet<Guid>();
        await using var store = await SqliteStore.OpenAsync(ProductPaths.Database(folder), TimeProvider.System, cancellationToken);
        var alerts = corpus.Alerts;
        for (var start = 0; start < alerts.Count; start += WriteBatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = new StoreBatch();
            var changed = new Dictionary<Guid, Incident>();
            for (var i = start; i < Math.Min(alerts.Count, start + WriteBatch); i++)
            {
                var incident = grouper.Triage(alerts[i]);
                changed[incident.Id] = incident;
                seen.Add(incident.Id);
                batch.NewAlerts.Add(alerts[i]);
            }
            foreach (var incident in changed.Values)
            {
                batch.Incidents.Add(incident.Clone());
            }
            await store.WriteAsync(batch, cancellationToken);
        }

        var now = clock.GetUtcNow();
        await store.AddUserAsync(new NewUser(Guid.CreateVersion7(), "bench", Role.Analyst, null, now), cancellationToken);
        var user = await store.FindUserAsync("bench", cancellationToken) ?? throw new InvalidOperationException("the bench user was not stored");
        var issued = ApiTokens.Issue(user, Role.Analyst, "bench-console", Guid.CreateVersion7(), now, TimeSpan.FromDays(1));
        await store.AddTokenAsync(issued.Record, cancellationToken);
        return (seen.Count, issued.Token);
    }

    private static async Task<ConsolePageTiming> MeasureAsync(HttpClient http, string path, int runs, CancellationToken cancellationToken)
    {
        for (var i = 0; i < WarmUp; i++)
        {
            await FetchAsync(http, path, cancellationToken);
        }
        var server = new double[runs];
        var client = new double[runs];
        var body = "";
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync(path, cancellationToken);
            body = await response.Content.ReadAsStringAsync(cancellationToken);
            clock.Stop();
            Check(response, path);
            client[i] = clock.Elapsed.TotalMilliseconds;
            server[i] = ServerMilliseconds(response) ?? throw new InvalidOperationException($"{path} carried no Server-Timing header");
        }
        Array.Sort(server);
        Array.Sort(client);
        return new ConsolePageTiming(path, Rows(body), System.Text.Encoding.UTF8.GetByteCount(body), Percentile(server, 0.5), Percentile(server, 0.95), server[^1],
            Percentile(client, 0.5));
    }

    /// <summary>Measured once the server says it is ready (its pipeline running), as an analyst would meet it.</summary>
    private static async Task WaitReadyAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync("/health", cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return;
            }
            await Task.Delay(50, cancellationToken);
        }
        throw new InvalidOperationException("the server did not become ready within a minute");
    }

    private static async Task<string> FetchAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Check(response, path);
        return body;
    }

    private static void Check(HttpResponseMessage response, string path)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}");
        }
    }

    /// <summary>The dur of the "app" metric in Server-Timing.</summary>
    private static double? ServerMilliseconds(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Server-Timing", out var values))
        {
            return null;
        }
        foreach (var value in values)
        {
            var match = DurationPattern().Match(value);
            if (match.Success)
            {
                return double.Parse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }
        return null;
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>The queue's incident rows, or the incident page's alerts.</summary>
    /// <summary>Incident rows, alert articles, or the alerts a dashboard counted.</summary>
    private static int Rows(string html) =>
        AlertCountPattern().Match(html) is { Success: true } count ? int.Parse(count.Groups[1].Value, CultureInfo.InvariantCulture) : RowPattern().Count(html) + AlertPattern().Count(html);

    [GeneratedRegex(@"<data id=""alert-count"" value=""([0-9]+)"">")]
    private static partial Regex AlertCountPattern();

    /// <summary>The system clock moved by a fixed offset: time passes as usual, on the corpus's days.</summary>
    private sealed class ShiftedClock(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
    }

    private static string? TopId(string html) => RowPattern().Match(html) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex(@"<tr data-id=""([0-9a-f-]{36})""")]
    private static partial Regex RowPattern();

    [GeneratedRegex(@"<article class=""alert"" id=""alert-")]
    private static partial Regex AlertPattern();

    [GeneratedRegex(@"app;dur=([0-9.]+)")]
    private static partial Regex DurationPattern();
}
