using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Cli.Hosting;
using Vedette.Identity;
using Vedette.Server;
using Vedette.Storage.Sqlite;

namespace Vedette.Cli.Commands;

internal sealed class BenchServeSettings : CommandSettings
{
    [CommandOption("--seconds <N>")]
    [Description("Length of the measured sustained phase (default 20).")]
    public int Seconds { get; init; } = 20;

    [CommandOption("--clients <C>")]
    [Description("Concurrent client loops in the sustained phase (default 4).")]
    public int Clients { get; init; } = 4;

    [CommandOption("--batch <LINES>")]
    [Description("NDJSON lines per request, the marker line included (default 1000).")]
    public int Batch { get; init; } = 1000;

    [CommandOption("--rate <EVENTS_PER_S>")]
    [Description("Open loop: offer this many events/s on a fixed schedule, latency counted from when each request was due (default: closed loop, each client sends its next request when the last is answered).")]
    public double? Rate { get; init; }

    [CommandOption("--warmup <N>")]
    [Description("Seconds of the same load before the measured phase, not reported (default 5).")]
    public int Warmup { get; init; } = 5;

    [CommandOption("--overload-seconds <N>")]
    [Description("Length of the beyond-capacity phase (default 10; 0 skips it).")]
    public int OverloadSeconds { get; init; } = 10;

    [CommandOption("--overload-clients <C>")]
    [Description("Client loops in the beyond-capacity phase; they ignore Retry-After and retry after 50 ms (default 32).")]
    public int OverloadClients { get; init; } = 32;

    [CommandOption("--overload-batch <LINES>")]
    [Description("Lines per request in the beyond-capacity phase (default 10000).")]
    public int OverloadBatch { get; init; } = 10_000;

    [CommandOption("--events <N>")]
    [Description("Simulated events generated into memory before the clock starts; requests cycle through them (default 500000).")]
    public int Events { get; init; } = 500_000;

    [CommandOption("--seed <S>")]
    [Description("Simulation seed (default 7).")]
    public int Seed { get; init; } = 7;

    [CommandOption("--config <FILE>")]
    [Description("Server configuration handed to `vedette serve --config` (default: the server's defaults).")]
    public string? Config { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json.")]
    public string FormatName { get; init; } = "table";

    public override ValidationResult Validate() =>
        Seconds < 1 || Clients < 1 || Warmup < 0 || OverloadSeconds < 0 || OverloadClients < 1 ? ValidationResult.Error("--seconds and the client counts must be positive")
        : Batch < 2 || OverloadBatch < 2 ? ValidationResult.Error("--batch and --overload-batch must be at least 2 (one line is the marker)")
        : Rate is <= 0 ? ValidationResult.Error("--rate must be positive")
        : Config is not null && !File.Exists(Config) ? ValidationResult.Error($"no such file: {Config}")
        : FormatName is not ("table" or "json") ? ValidationResult.Error($"--format must be table or json, not '{FormatName}'")
        : SimulationSize.Validate(Events) is { } invalid ? invalid
        : ValidationResult.Success();
}

/// <summary>
/// vedette bench serve: a real `vedette serve` (child process, temporary store, an analyst token) under load from
/// concurrent HTTP clients on loopback: accepted events/s and acceptance latency of the 202s, then a phase beyond
/// capacity (429s with Retry-After, the server's resident memory), then SIGKILL mid-stream and a count of what the
/// store kept against what was acknowledged.
/// </summary>
internal sealed class BenchServeCommand : AsyncCommand<BenchServeSettings>
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public override async Task<int> ExecuteAsync(CommandContext context, BenchServeSettings settings, CancellationToken cancellationToken)
    {
        return await BenchFolder.RunInTemporaryAsync("vedette-bench-serve-", folder => RunAsync(settings, folder, cancellationToken));
    }

    private static async Task<int> RunAsync(BenchServeSettings settings, string folder, CancellationToken cancellationToken)
    {
        var data = Path.Combine(folder, "data");
        var input = Path.Combine(folder, "events.ndjson");
        var inventory = Path.Combine(folder, "inventory.csv");
        var feed = Path.Combine(folder, "feed.txt");
        SimulationFiles.Write(settings.Events, settings.Seed, input, null, inventory, feed);
        var ndjson = await File.ReadAllBytesAsync(input, cancellationToken);
        File.Delete(input);
        var token = await IssueTokenAsync(data, cancellationToken);
        var serverOptions = new ServeSettings { Data = data, Config = settings.Config }.ToServerOptions();

        List<string> serve = ["--data", data, "--urls", "http://127.0.0.1:0", "--inventory", inventory, "--intel", feed];
        if (settings.Config is { } config)
        {
            serve.AddRange(["--config", config]);
        }
        using var server = BenchServeProcess.Start(serve);
        var address = await server.ListeningAsync(TimeSpan.FromMinutes(2));
        using var load = new BenchServeLoad(address, token, ndjson);
        await WaitReadyAsync(address, cancellationToken);

        Func<long> rss = () => server.Memory().Rss;
        Func<Task> nothing = () => Task.CompletedTask;
        var kill = server.KillAsync;
        if (settings.Warmup > 0)
        {
            await load.RunAsync(new LoadPhase("warm-up", TimeSpan.FromSeconds(settings.Warmup), settings.Clients, settings.Batch, settings.Rate, HonourRetryAfter: true),
                rss, nothing, cancellationToken);
        }
        var overloading = settings.OverloadSeconds > 0;
        var sustained = await load.RunAsync(new LoadPhase("sustained", TimeSpan.FromSeconds(settings.Seconds), settings.Clients, settings.Batch, settings.Rate, HonourRetryAfter: true),
            rss, overloading ? nothing : kill, cancellationToken);
        var peakBeforeOverload = server.Memory().PeakRss;
        var processAfterSustained = overloading ? await load.ProcessMetricsAsync(cancellationToken) : (JsonElement?)null;
        JsonElement? processAtKill = null;
        LoadResult? overload = null;
        long peakAtKill = peakBeforeOverload;
        if (overloading)
        {
            overload = await load.RunAsync(new LoadPhase("beyond capacity", TimeSpan.FromSeconds(settings.OverloadSeconds), settings.OverloadClients, settings.OverloadBatch, null,
                HonourRetryAfter: false), rss, async () =>
                {
                    processAtKill = await load.ProcessMetricsAsync(cancellationToken);
                    peakAtKill = server.Memory().PeakRss;
                    await kill();
                }, cancellationToken);
        }

        var durability = await VerifyAsync(ProductPaths.Database(data), load, cancellationToken);
        var report = new BenchServeReport(settings, serverOptions, load.LineCount, ndjson.Length, sustained, overload, peakBeforeOverload, peakAtKill,
            processAfterSustained, processAtKill, durability, server.Warnings);
        if (settings.FormatName == "json")
        {
            Console.WriteLine(JsonSerializer.Serialize(report.ToJson(), Indented));
        }
        else
        {
            report.Print();
        }
        if (durability.Missing > 0 || durability.Integrity != "ok")
        {
            await Console.Error.WriteLineAsync($"vedette: {durability.Missing} acknowledged request(s) missing from the store after the kill; integrity: {durability.Integrity}");
            return 1;
        }
        return 0;
    }

    /// <summary>An analyst and an API token in a fresh store, as `users add` and `tokens create` would make them.</summary>
    private static async Task<string> IssueTokenAsync(string data, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(data);
        await using var store = await SqliteStore.OpenAsync(ProductPaths.Database(data), TimeProvider.System, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        await store.AddUserAsync(new NewUser(Guid.CreateVersion7(), "bench", Role.Analyst, null, now), cancellationToken);
        var user = await store.FindUserAsync("bench", cancellationToken) ?? throw new InvalidOperationException("the bench user was not stored");
        var issued = ApiTokens.Issue(user, Role.Analyst, "bench-serve", Guid.CreateVersion7(), now, TimeSpan.FromDays(1));
        await store.AddTokenAsync(issued.Record, cancellationToken);
        return issued.Token;
    }

    private static async Task WaitReadyAsync(Uri address, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = address };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync("/health", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new InvalidOperationException($"the server at {address} did not become ready within a minute");
    }

    /// <summary>
    /// After the kill: every marker whose request got 202 must be an alert in the store (its rule id names it), and the
    /// file must pass SQLite's integrity check. Markers of requests in flight at the kill may or may not be there.
    /// </summary>
    private static async Task<Durability> VerifyAsync(string database, BenchServeLoad load, CancellationToken cancellationToken)
    {
        var stored = new HashSet<long>();
        long alerts, incidents;
        await using (var store = await SqliteStore.OpenAsync(database, TimeProvider.System, cancellationToken))
        {
            foreach (var rule in await store.ReadRuleCountsAsync(cancellationToken))
            {
                if (rule.RuleId.StartsWith(BenchServeLoad.MarkerPrefix, StringComparison.Ordinal)
                    && long.TryParse(rule.RuleId.AsSpan(BenchServeLoad.MarkerPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var marker))
                {
                    stored.Add(marker);
                }
            }
            var counts = await store.CountAsync(cancellationToken);
            (alerts, incidents) = (counts.Alerts, counts.Incidents);
        }
        string integrity;
        using (var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check";
            integrity = Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "no answer";
        }
        var acknowledged = load.Acknowledged;
        return new Durability(
            Sent: load.MarkersSent,
            Acknowledged: acknowledged.Count,
            AcknowledgedEvents: load.AcknowledgedEvents,
            StoredMarkers: stored.Count,
            Missing: acknowledged.Count(m => !stored.Contains(m)),
            StoredUnacknowledged: stored.Count(m => !acknowledged.Contains(m)),
            Alerts: alerts,
            Incidents: incidents,
            Integrity: integrity);
    }
}

/// <summary>What the store held after the kill, against what the 202s acknowledged.</summary>
internal sealed record Durability(long Sent, long Acknowledged, long AcknowledgedEvents, long StoredMarkers, long Missing, long StoredUnacknowledged, long Alerts,
    long Incidents, string Integrity);
