using BenchmarkDotNet.Attributes;
using Vedette.Detect;
using Vedette.Domain;
using Vedette.Simulation;
using Vedette.Triage;

namespace Vedette.Benchmarks;

/// <summary>
/// Triage per alert over the synthetic enriched alerts of <c>vedette bench triage</c> (200,000 of them, 67 h of event
/// time): risk scoring as the grouper does it, repeat folding, grouping (which scores), and the three together as the
/// pipeline runs them. The baseline is the least any deduplication costs: one dictionary lookup per alert by rule and
/// primary entity. Each operation is one alert (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class TriageBenchmarks
{
    private const int Alerts = 200_000;
    private const int Batch = 256;
    private TriageCorpus _corpus = null!;
    private ScorePartCache _parts = null!;
    private readonly List<(List<Alert> Kept, List<AlertUpdate> Updates)> _folded = [];

    [GlobalSetup]
    public void Setup()
    {
        _corpus = TriageCorpus.Create(Alerts, 7);
        _parts = new ScorePartCache();
        // What folding hands on, batch by batch, so that grouping can be measured alone.
        var folder = new RepeatFolder(RepeatFolder.DefaultGap);
        var output = new DetectionOutput();
        for (var start = 0; start < Alerts; start += Batch)
        {
            for (var i = start; i < Math.Min(Alerts, start + Batch); i++)
            {
                output.Alerts.Add(_corpus.Alerts[i]);
            }
            folder.Fold(output);
            if (start + Batch >= Alerts)
            {
                folder.Flush(output);
            }
            _folded.Add(([.. output.Alerts], [.. output.Updates]));
            output.Clear();
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Alerts, Description = "one lookup per alert by rule and primary entity")]
    public int Lookup()
    {
        var seen = new Dictionary<(string, Observable), int>(Alerts);
        foreach (var alert in _corpus.Alerts)
        {
            var key = (alert.RuleId, alert.PrimaryEntity!.Value);
            seen[key] = seen.GetValueOrDefault(key) + 1;
        }
        return seen.Count;
    }

    [Benchmark(OperationsPerInvoke = Alerts, Description = "risk scoring (with the inventory)")]
    public int Score()
    {
        var total = 0;
        foreach (var alert in _corpus.Alerts)
        {
            total += RiskScorer.Score(alert, Tactics.Mask(alert.Tags), NoFidelity.Instance, _corpus.Inventory, _parts).Total;
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = Alerts, Description = "repeat folding")]
    public int Fold()
    {
        var folder = new RepeatFolder(RepeatFolder.DefaultGap);
        var output = new DetectionOutput();
        var kept = 0;
        var alerts = _corpus.Alerts;
        for (var start = 0; start < Alerts; start += Batch)
        {
            for (var i = start; i < Math.Min(Alerts, start + Batch); i++)
            {
                output.Alerts.Add(alerts[i]);
            }
            folder.Fold(output);
            kept += output.Alerts.Count;
            output.Clear();
        }
        return kept;
    }

    [Benchmark(OperationsPerInvoke = Alerts, Description = "grouping the folded alerts (scores them too)")]
    public int Group()
    {
        var grouper = new IncidentGrouper(new GroupingOptions(), TimeProvider.System, inventory: _corpus.Inventory);
        var opened = 0;
        foreach (var (kept, updates) in _folded)
        {
            foreach (var alert in kept)
            {
                opened += grouper.Triage(alert).AlertIds.Count == 1 ? 1 : 0;
            }
            foreach (var update in updates)
            {
                grouper.Update(update);
            }
        }
        return opened;
    }

    [Benchmark(OperationsPerInvoke = Alerts, Description = "score + fold + group (bench triage)")]
    public int All()
    {
        var folder = new RepeatFolder(RepeatFolder.DefaultGap);
        var grouper = new IncidentGrouper(new GroupingOptions(), TimeProvider.System, inventory: _corpus.Inventory);
        var output = new DetectionOutput();
        var alerts = _corpus.Alerts;
        var opened = 0;
        for (var start = 0; start < Alerts; start += Batch)
        {
            for (var i = start; i < Math.Min(Alerts, start + Batch); i++)
            {
                output.Alerts.Add(alerts[i]);
            }
            folder.Fold(output);
            foreach (var alert in output.Alerts)
            {
                opened += grouper.Triage(alert).AlertIds.Count == 1 ? 1 : 0;
            }
            foreach (var update in output.Updates)
            {
                grouper.Update(update);
            }
            output.Clear();
        }
        return opened;
    }
}
