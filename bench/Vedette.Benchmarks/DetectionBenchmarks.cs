using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Vedette.Cli.Commands;
using Vedette.Detect;
using Vedette.Detection;
using Vedette.Detection.Mappings;
using Vedette.Domain;
using Vedette.Ingest;
using Vedette.Tests;

namespace Vedette.Benchmarks;

/// <summary>
/// Sigma detection as <c>vedette bench detect</c> measures it, on a warm sample: the first 64 MiB of the OTRF
/// recordings (found as the tests find them, tests/Shared/SharedData.cs) against SigmaHQ's Windows rules, next to
/// a Utf8JsonReader token scan of the same records (the baseline). Quieter than the command's one pass over a
/// gigabyte, so it suits comparing two builds; the command's figures are the ones the issue judges.
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
        _input = BenchDetectInput.LoadAsync([SharedData.Path("winlogs", "otrf")], SampleBytes, CancellationToken.None).GetAwaiter().GetResult();
        _rules = RuleSet.Load([SharedData.Path("sigma", "rules", "windows")], DetectionMappings.Load(Path.Combine(AppContext.BaseDirectory, "mappings")));
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

    /// <summary>Reading as the pipeline reads, each event owning a copy of its record (its detect stage runs on another thread).</summary>
    [Benchmark(Description = "normalize into owned copies")]
    public long NormalizeOwned() => Run(detector: null, reuseBuffers: false);

    [Benchmark(Description = "normalize + detect")]
    public long Detect() => Run(new SigmaDetector(_rules, TimeProvider.System));

    // As `vedette bench detect` and `vedette hunt` read: into one reused buffer, each event done with before the next.
    private long Run(SigmaDetector? detector, bool reuseBuffers = true)
    {
        var normalizer = new RecordNormalizer(TimeProvider.System, reuseBuffers);
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
}
