using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Vedette.Detect;
using Vedette.Detection;
using Vedette.Detection.Mappings;
using Vedette.Enrich;
using Vedette.Enrich.Intel;
using Vedette.Enrich.Intel.Readers;
using Vedette.Ingest;
using Vedette.Pipeline;
using Vedette.Simulation;
using Vedette.Storage.Sqlite;
using Vedette.Triage;

namespace Vedette.Benchmarks;

/// <summary>
/// The whole demo pipeline (read, normalize, detect, enrich, triage, store on SQLite) over the simulator's traffic,
/// against the physical limit: reading the same file and tokenizing its JSON once, measured in the same run.
/// Each operation is one event (OperationsPerInvoke), so the ratio of means is the ratio of per-event costs.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class PipelineBenchmarks
{
    private const int Events = 200_000;
    private string _folder = "";
    private string _input = "";
    private DetectionMappings _mappings = null!;
    private RuleSet _rules = null!;
    private IntelSnapshot _indicators = null!;
    private AssetInventory _inventory = null!;
    private int _run;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "vedette-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _input = Path.Combine(_folder, "events.ndjson");
        SimulationResult simulation;
        using (var stream = File.Create(_input))
        {
            simulation = new AttackSimulator().Run(new SimulationOptions(Events, 7), stream);
        }
        _mappings = DetectionMappings.Load(Path.Combine(AppContext.BaseDirectory, "mappings"));
        _rules = RuleSet.Load([Path.Combine(AppContext.BaseDirectory, "rules")], _mappings);
        var errors = new ErrorReport();
        using (var feed = new StringWriter())
        {
            Truth.WriteFeed(feed, simulation.KnownBadIndicators);
            var definition = new FeedDefinition { Name = "demo", Kind = FeedKind.List, Location = "demo", DefaultScore = 90 };
            var location = new MemoryFeedLocation("demo", System.Text.Encoding.UTF8.GetBytes(feed.ToString()));
            var listed = FeedReaders.For(FeedKind.List).ReadAsync(location, definition, errors, CancellationToken.None).GetAwaiter().GetResult();
            _indicators = IntelSnapshot.Build([new IntelFeed("demo", listed.Indicators)], DateTimeOffset.UtcNow);
        }
        using (var inventory = new StringWriter())
        {
            simulation.Organisation.WriteInventory(inventory);
            _inventory = AssetInventory.ReadCsv(new StringReader(inventory.ToString()), "inventory", errors);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "read + tokenize JSON once (physical limit)")]
    public async Task<long> ReadAndTokenize()
    {
        long tokens = 0;
        await foreach (var batch in new LineReader().ReadAsync(File.OpenRead(_input), "events", new ErrorReport(), CancellationToken.None))
        {
            using (batch)
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    var reader = new Utf8JsonReader(batch.Line(i));
                    while (reader.Read())
                    {
                        tokens++;
                    }
                }
            }
        }
        return tokens;
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "whole pipeline into SQLite")]
    public async Task<long> Pipeline()
    {
        var time = TimeProvider.System;
        var database = Path.Combine(_folder, $"run{_run++}", "vedette.db");
        await using var store = await SqliteStore.OpenAsync(database, time, CancellationToken.None);
        var indicators = new IntelStore();
        indicators.Swap(_indicators);
        var errors = new ErrorReport();
        var pipeline = new EventPipeline(
            new RecordNormalizer(time),
            new CompositeDetector([new SigmaDetector(_rules, time), new IndicatorMatchDetector(indicators, _mappings.Observables, time)]),
            new CompositeEnricher([new IntelEnricher(indicators, time), new AssetEnricher(_inventory)]),
            new IncidentGrouper(new GroupingOptions(), time),
            store,
            [],
            errors);
        var result = await pipeline.RunAsync(new FileSource(_input, new LineReader()), CancellationToken.None);
        return result.Events != Events || errors.Count > 0
            ? throw new InvalidOperationException($"pipeline processed {result.Events} events with {errors.Count} errors")
            : result.Alerts;
    }
}
