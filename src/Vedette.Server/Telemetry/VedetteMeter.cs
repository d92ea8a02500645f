using System.Diagnostics.Metrics;
using Vedette.Pipeline;

namespace Vedette.Server.Telemetry;

/// <summary>
/// The server's operational metrics (docs/guide/metrics.md), exported on /metrics: the pipeline's own counters, read
/// when scraped rather than counted twice. Every label is a stage, a reason or an outcome: a closed set.
/// </summary>
public sealed class VedetteMeter
{
    public const string Name = "Vedette";

    /// <summary>Seconds from a request's admission to its lines being stored: milliseconds when idle, seconds under backlog.</summary>
    internal static readonly IReadOnlyList<double> LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    public VedetteMeter(IMeterFactory factory, PipelineStats stats)
    {
        Meter = factory.Create(Name);
        Meter.CreateObservableCounter("vedette.pipeline.received", () => PerStage(stats, s => s.Received), "{record}", "Records a pipeline stage took in");
        Meter.CreateObservableCounter("vedette.pipeline.sent", () => PerStage(stats, s => s.Sent), "{record}", "Records a pipeline stage handed on (the store stage: alerts stored)");
        Meter.CreateObservableCounter("vedette.pipeline.errors", () => PerStage(stats, s => s.Errors), "{error}", "Records a pipeline stage failed on, each reported with its reference");
        Meter.CreateObservableCounter("vedette.pipeline.dropped", () => Dropped(stats), "{record}", "Records a pipeline stage dropped, by reason");
        Meter.CreateObservableCounter("vedette.pipeline.read", () => stats.BytesRead, "By", "Bytes of event lines the pipeline read");
        Meter.CreateObservableGauge("vedette.pipeline.channel.depth", () => Channels(stats, c => c.Depth), "{batch}", "Batches waiting in the channel in front of a stage");
        Meter.CreateObservableGauge("vedette.pipeline.channel.capacity", () => Channels(stats, c => c.Capacity), "{batch}", "Batches the channel in front of a stage holds before the stage before it waits");
    }

    public Meter Meter { get; }

    private static IEnumerable<Measurement<long>> PerStage(PipelineStats stats, Func<StageCounters, long> read)
    {
        foreach (var stage in stats.Stages)
        {
            yield return new Measurement<long>(read(stage), new KeyValuePair<string, object?>("stage", stage.Stage));
        }
    }

    private static IEnumerable<Measurement<long>> Dropped(PipelineStats stats)
    {
        foreach (var stage in stats.Stages)
        {
            foreach (var reason in stage.Drops)
            {
                yield return new Measurement<long>(
                    stage.Dropped(reason),
                    new KeyValuePair<string, object?>("stage", stage.Stage),
                    new KeyValuePair<string, object?>("reason", reason.ToName()));
            }
        }
    }

    private static IEnumerable<Measurement<int>> Channels(PipelineStats stats, Func<ChannelDepth, int> read)
    {
        foreach (var channel in stats.Channels)
        {
            yield return new Measurement<int>(read(channel), new KeyValuePair<string, object?>("stage", channel.Stage));
        }
    }
}
