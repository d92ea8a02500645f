using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Vedette.Cli.Commands;
using Vedette.Detect;
using Vedette.Detection;
using Vedette.Detection.Mappings;
using Vedette.Domain;
using Vedette.Ingest;

namespace Vedette.Benchmarks;

/// <summary>
/// Sigma detection as <c>vedette bench detect</c> measures it, on a warm, cache-sized sample: the first 64 MiB of
/// the OTRF recordings against SigmaHQ's Windows rules, next to a Utf8JsonReader token scan of the same records
/// (the baseline). Quieter than the command's one pass over a gigabyte, so it suits comparing two builds; the
/// command's figures, over data that does not fit in cache, are the ones the issue judges.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 7)]
public class DetectionBenchmarks
{
    private const long SampleBytes = 64L << 20;
    private BenchDetectInput _input = null!;
    private RuleSet _rules = null!;

    [GlobalSetup]
    public void Setup()
    {
        var data = SharedData();
        _input = BenchDetectInput.LoadAsync([Path.Combine(data, "winlogs", "otrf")], SampleBytes, CancellationToken.None).GetAwaiter().GetResult();
        _rules = RuleSet.Load([Path.Combine(data, "sigma", "rules", "windows")], DetectionMappings.Load(Path.Combine(AppContext.BaseDirectory, "mappings")));
    }

    [Benchmark(Baseline = true, Description = "Utf8JsonReader token scan (the limit)")]
    public long Scan()
    {
        long tokens = 0;
        for (var i = 0; i < _input.Count; i++)
        {
            var reader = new Utf8JsonReader(_input.Record(i));
            while (reader.Read())
            {
                tokens++;
            }
        }
        return tokens;
    }

    [Benchmark(Description = "normalize (reading only)")]
    public long Normalize() => Run(detector: null);

    [Benchmark(Description = "normalize + detect")]
    public long Detect() => Run(new SigmaDetector(_rules, TimeProvider.System));

    private long Run(SigmaDetector? detector)
    {
        var normalizer = new RecordNormalizer(TimeProvider.System);
        var output = new DetectionOutput();
        var reference = new RecordRef("bench", 0);
        long alerts = 0;
        for (var i = 0; i < _input.Count; i++)
        {
            // Normalized whether or not there is a detector: `detector?.Detect(Normalize(...))` would skip it.
            var e = normalizer.Normalize(_input.Record(i), reference).Event;
            detector?.Detect(e, output);
            alerts += output.Alerts.Count;
            output.Clear();
        }
        return alerts;
    }

    /// <summary>The shared data folder: VEDETTE_SHARED_DATA, or shared/data beside a folder above this one.</summary>
    private static string SharedData()
    {
        if (Environment.GetEnvironmentVariable("VEDETTE_SHARED_DATA") is { Length: > 0 } configured)
        {
            return configured;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(Path.Combine(candidate, "winlogs")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("shared/data not found above the benchmark; set VEDETTE_SHARED_DATA");
    }
}
