using System.ComponentModel;
using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Domain;
using Vedette.Enrich.Intel;
using Vedette.Simulation;

namespace Vedette.Cli.Commands;

internal sealed class BenchIntelSettings : CommandSettings
{
    [CommandOption("--indicators <N>")]
    [Description("Indicators in the store: the real feed files plus generated hashes, domains and URLs (default 1000000).")]
    public int Indicators { get; init; } = 1_000_000;

    [CommandOption("--feeds <DIR>")]
    [Description("Folder of real feed files (the shared data's intel folder; default ../shared/data/intel when present).")]
    public string? Feeds { get; init; }

    [CommandOption("--queries <N>")]
    [Description("Mixed-type lookups per run (default 2000000).")]
    public int Queries { get; init; } = 2_000_000;

    [CommandOption("--runs <R>")]
    [Description("Lookup runs; the median is reported (default 5).")]
    public int Runs { get; init; } = 5;

    [CommandOption("--seed <S>")]
    public int Seed { get; init; } = 7;

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json.")]
    public string FormatName { get; init; } = "table";

    public string? FeedsFolder => Feeds ?? (Directory.Exists(DefaultFeeds) ? DefaultFeeds : null);

    private static string DefaultFeeds => Path.Combine("..", "shared", "data", "intel");

    public override ValidationResult Validate() =>
        Indicators < 1 || Queries < 1 || Runs < 1 ? ValidationResult.Error("--indicators, --queries and --runs must be positive")
        : Feeds is not null && !Directory.Exists(Feeds) ? ValidationResult.Error($"no such folder: {Feeds}")
        : FormatName is not ("table" or "json") ? ValidationResult.Error($"--format must be table or json, not '{FormatName}'")
        : ValidationResult.Success();
}

/// <summary>
/// vedette bench intel: builds a snapshot of a million indicators and measures, on this machine, single-thread
/// mixed-type lookups, the managed memory per indicator, and a full rebuild-and-swap while another thread keeps
/// looking up.
/// </summary>
internal sealed class BenchIntelCommand : AsyncCommand<BenchIntelSettings>
{
    private static readonly System.Text.Json.JsonSerializerOptions Indented = new() { WriteIndented = true };

    public override async Task<int> ExecuteAsync(CommandContext context, BenchIntelSettings settings, CancellationToken cancellationToken)
    {
        var corpus = await IntelCorpus.CreateAsync(settings.FeedsFolder, settings.Indicators, settings.Queries, settings.Seed, cancellationToken);
        var now = DateTimeOffset.UtcNow;

        // Memory: what the snapshot holds beyond its inputs, which stay alive throughout so that they do not count.
        var before = SettledHeap();
        var snapshot = IntelSnapshot.Build(corpus.Feeds, now);
        var bytes = SettledHeap() - before;
        GC.KeepAlive(corpus);

        var store = new IntelStore();
        store.Swap(snapshot);
        var queries = corpus.Queries;
        var hits = Lookups(store.Current, queries, now);
        Lookups(store.Current, queries, now);
        var runs = new List<double>();
        for (var run = 0; run < settings.Runs; run++)
        {
            var watch = Stopwatch.StartNew();
            Lookups(store.Current, queries, now);
            runs.Add(queries.Length / watch.Elapsed.TotalSeconds);
        }
        runs.Sort();
        var median = runs[runs.Count / 2];

        // Reload: a full rebuild from every feed and an atomic swap, while another thread keeps looking up.
        long lookupsDuringReload = 0;
        using var stop = new CancellationTokenSource();
        var reader = Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Lookups(store.Current, queries.AsSpan(0, Math.Min(queries.Length, 10_000)), now);
                Interlocked.Add(ref lookupsDuringReload, Math.Min(queries.Length, 10_000));
            }
        }, TaskCreationOptions.LongRunning);
        var reload = Stopwatch.StartNew();
        store.Swap(IntelSnapshot.Build(corpus.Feeds, now));
        reload.Stop();
        await stop.CancelAsync();
        await reader;

        // The same million through the store: what `intel load` writes, and what a restart reads back and builds.
        var folder = Path.Combine(Path.GetTempPath(), "vedette-bench-intel-" + Guid.NewGuid().ToString("N"));
        double persistSeconds, restoreSeconds;
        try
        {
            await using var sqlite = await Storage.Sqlite.SqliteStore.OpenAsync(Path.Combine(folder, "vedette.db"), TimeProvider.System, cancellationToken);
            var persist = Stopwatch.StartNew();
            foreach (var feed in corpus.Feeds)
            {
                await sqlite.ReplaceFeedAsync(new FeedStatus(feed.Name, FeedKind.List, "bench") { UpdatedAt = now }, feed.Indicators, cancellationToken);
            }
            persistSeconds = persist.Elapsed.TotalSeconds;
            var restore = Stopwatch.StartNew();
            using var restored = await IntelService.OpenAsync(sqlite, TimeProvider.System, cancellationToken);
            restoreSeconds = restore.Elapsed.TotalSeconds;
            if (restored.Current.Count != snapshot.Count)
            {
                throw new InvalidOperationException($"the store gave back {restored.Current.Count} indicators, not {snapshot.Count}");
            }
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        var result = new
        {
            indicators = snapshot.Count,
            lookupsPerSecond = Math.Round(median),
            bytesPerIndicator = Math.Round((double)bytes / snapshot.Count, 1),
            reloadSeconds = Math.Round(reload.Elapsed.TotalSeconds, 3),
            realIndicators = corpus.RealIndicators,
            generatedIndicators = corpus.TotalIndicators - corpus.RealIndicators,
            byType = snapshot.CountByType(),
            queries = queries.Length,
            hitRate = Math.Round((double)hits / queries.Length, 3),
            lookupsDuringReload = Interlocked.Read(ref lookupsDuringReload),
            storeWriteSeconds = Math.Round(persistSeconds, 3),
            storeRestoreSeconds = Math.Round(restoreSeconds, 3),
            runs = runs.Select(r => Math.Round(r)).ToArray(),
        };
        if (settings.FormatName == "json")
        {
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(result, Indented));
            return 0;
        }
        AnsiConsole.MarkupLineInterpolated($"[bold]{result.indicators:N0}[/] indicators ({result.realIndicators:N0} from real feed files, {result.generatedIndicators:N0} generated).");
        var table = new Table().AddColumns("measure", "value");
        table.AddRow("lookups/s (one thread, mixed types, median)", $"{result.lookupsPerSecond:N0}");
        table.AddRow("hit rate of the query mix", $"{result.hitRate:P1}");
        table.AddRow("bytes per indicator", $"{result.bytesPerIndicator:N1}");
        table.AddRow("full reload + swap (s)", $"{result.reloadSeconds:N3}");
        table.AddRow("lookups served during the reload", $"{result.lookupsDuringReload:N0}");
        table.AddRow("write every feed to the store (s)", $"{result.storeWriteSeconds:N3}");
        table.AddRow("restart: read the store and build (s)", $"{result.storeRestoreSeconds:N3}");
        AnsiConsole.Write(table);
        return 0;
    }

    private static int Lookups(IntelSnapshot snapshot, ReadOnlySpan<Observable> queries, DateTimeOffset now)
    {
        var hits = 0;
        foreach (var query in queries)
        {
            if (snapshot.TryFind(query, now, out _))
            {
                hits++;
            }
        }
        return hits;
    }

    private static long SettledHeap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
