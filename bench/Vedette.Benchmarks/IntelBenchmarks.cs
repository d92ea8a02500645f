using BenchmarkDotNet.Attributes;
using Vedette.Domain;
using Vedette.Enrich.Intel;
using Vedette.Simulation;

namespace Vedette.Benchmarks;

/// <summary>
/// The threat-intel snapshot at a million indicators (the real feed files plus generated hashes, domains and URLs):
/// mixed-type lookups on one thread, and a full rebuild. Each lookup operation is one query (OperationsPerInvoke).
/// Run from the repository so that ../shared/data/intel is found; without it the store is all generated.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class IntelBenchmarks
{
    private const int Queries = 1_000_000;
    private IntelCorpus _corpus = null!;
    private IntelSnapshot _snapshot = null!;
    private Observable[] _queries = [];
    private DateTimeOffset _now;

    [GlobalSetup]
    public void Setup()
    {
        var feeds = FindFeeds();
        _corpus = IntelCorpus.CreateAsync(feeds, 1_000_000, Queries, 7, CancellationToken.None).GetAwaiter().GetResult();
        _now = DateTimeOffset.UtcNow;
        _snapshot = IntelSnapshot.Build(_corpus.Feeds, _now);
        _queries = _corpus.Queries;
    }

    [Benchmark(OperationsPerInvoke = Queries, Description = "mixed-type lookup (1M indicators)")]
    public int Lookup()
    {
        var hits = 0;
        foreach (var query in _queries)
        {
            if (_snapshot.TryFind(query, _now, out _))
            {
                hits++;
            }
        }
        return hits;
    }

    [Benchmark(Description = "full snapshot rebuild (1M indicators)")]
    public int Rebuild() => IntelSnapshot.Build(_corpus.Feeds, _now).Count;

    private static string? FindFeeds()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "intel");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
