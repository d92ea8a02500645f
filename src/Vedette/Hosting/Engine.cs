using Vedette.Detect;
using Vedette.Detection;
using Vedette.Detection.Mappings;
using Vedette.Enrich;
using Vedette.Enrich.Intel;
using Vedette.Ingest;
using Vedette.Pipeline;
using Vedette.Storage;
using Vedette.Storage.Sqlite;
using Vedette.Triage;

namespace Vedette.Cli.Hosting;

/// <summary>What a pipeline is built from: the store, the rules, the context files.</summary>
internal sealed record EngineOptions
{
    public required string DataFolder { get; init; }

    public IReadOnlyList<string> RulePaths { get; init; } = [ProductPaths.Rules];

    public string MappingsFolder { get; init; } = ProductPaths.Mappings;

    public string? InventoryPath { get; init; }

    public IReadOnlyList<string> IntelPaths { get; init; } = [];

    public int MaxLineBytes { get; init; } = LineReader.DefaultMaxLineBytes;

    /// <summary>Channel sizes between stages; null for the defaults.</summary>
    public PipelineOptions? Pipeline { get; init; }
}

/// <summary>
/// The whole detection path wired together on the embedded store: the composition root that the CLI commands
/// (and later the server) share, so that every entry point runs the same pipeline.
/// </summary>
internal sealed class Engine : IAsyncDisposable
{
    private Engine(IStore store, RuleSet rules, EventPipeline pipeline, ErrorReport errors, LineReader lines, int indicators, int assets, RuleFidelity fidelity,
        IntelService intel, ActiveSuppressions suppressions, IncidentFeedback feedback)
    {
        Store = store;
        Feedback = feedback;
        Intel = intel;
        Suppressions = suppressions;
        Fidelity = fidelity;
        Rules = rules;
        Pipeline = pipeline;
        Errors = errors;
        Lines = lines;
        IndicatorCount = indicators;
        AssetCount = assets;
    }

    public IStore Store { get; }

    /// <summary>Where analysts' closes, merges and splits tell the running grouper to stop adding alerts to an incident.</summary>
    public IncidentFeedback Feedback { get; }

    public RuleSet Rules { get; }

    public EventPipeline Pipeline { get; }

    public ErrorReport Errors { get; }

    public LineReader Lines { get; }

    public int IndicatorCount { get; }

    public int AssetCount { get; }

    /// <summary>The threat intel the detector and enricher read; a long-running host updates feeds through it.</summary>
    public IntelService Intel { get; }

    /// <summary>The suppressions the pipeline applies; a long-running host swaps in a new set when they change.</summary>
    public ActiveSuppressions Suppressions { get; }

    /// <summary>Rule precision learned from analysts' verdicts in the store, as of opening.</summary>
    public RuleFidelity Fidelity { get; }

    public static async Task<Engine> OpenAsync(EngineOptions options, TimeProvider time, Action<RecordError>? onError, CancellationToken cancellationToken)
    {
        var errors = new ErrorReport(onError: onError);
        var mappings = DetectionMappings.Load(options.MappingsFolder);
        var rules = RuleSet.Load(options.RulePaths, mappings);

        var inventory = AssetInventory.Empty;
        if (options.InventoryPath is { } inventoryPath)
        {
            inventory = AssetInventory.Load(inventoryPath, errors);
        }

        var store = await SqliteStore.OpenAsync(ProductPaths.Database(options.DataFolder), time, cancellationToken);
        var fidelity = await RuleFidelity.LoadAsync(store, time, options: null, cancellationToken);
        // Feeds loaded earlier (`vedette intel load`, `intel update`) come with the store; files named here replace
        // the feed of the same name.
        var intel = await IntelService.OpenAsync(store, time, cancellationToken);
        foreach (var path in options.IntelPaths)
        {
            var feed = new FeedDefinition { Name = Path.GetFileNameWithoutExtension(path), Kind = FeedKind.List, Location = path, DefaultScore = 90 };
            await intel.LoadAsync(feed, new FileFeedLocation(path), errors, cancellationToken);
        }
        var indicators = intel.Snapshots;
        var detector = new CompositeDetector([new SigmaDetector(rules, time), new IndicatorMatchDetector(indicators, mappings.Observables, time)]);
        var enricher = new CompositeEnricher([new IntelEnricher(indicators, time), new AssetEnricher(inventory)]);
        var feedback = new IncidentFeedback();
        var grouping = new GroupingOptions();
        var triage = new IncidentGrouper(grouping, time, fidelity, inventory, feedback);
        // New alerts keep joining the incidents an earlier run left open, as if the process had never stopped.
        await IncidentResume.ResumeAsync(store, triage, grouping, cancellationToken);
        // Suppressions as they stand at open (`vedette suppress add`); one added later applies from the next run.
        var suppressions = new ActiveSuppressions();
        suppressions.Swap(new SuppressionSet(await store.ListSuppressionsAsync(includeRemoved: false, cancellationToken)));
        var pipeline = new EventPipeline(new RecordNormalizer(time), detector, enricher, triage, store, [], errors, options.Pipeline, suppressions);
        return new Engine(store, rules, pipeline, errors, new LineReader(options.MaxLineBytes), indicators.Current.Count, inventory.Count, fidelity, intel, suppressions, feedback);
    }

    public ValueTask DisposeAsync()
    {
        Intel.Dispose();
        return Store.DisposeAsync();
    }
}
