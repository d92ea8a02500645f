using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Domain;
using Vedette.Pipeline;
using Vedette.Server.Ingest;
using Vedette.Storage;

namespace Vedette.Server.Api;

/// <summary>GET /api/v1/metrics: alerts and incidents by status and severity, the pipeline's stage counters, the intake's.</summary>
internal static class MetricsApi
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapApi("GET", "/api/v1/metrics", SummaryAsync);

    private static async Task<IResult> SummaryAsync(HttpContext context, IStore store, EventPipeline pipeline, IngestQueue queue)
    {
        var counts = await store.CountWorkItemsAsync(context.RequestAborted);
        var totals = await store.CountAsync(context.RequestAborted);
        return ApiResults.Json(writer =>
        {
            writer.WriteStartObject();
            WriteCounts(writer, "alerts", counts.Alerts);
            WriteCounts(writer, "incidents", counts.Incidents);
            writer.WriteNumber("suppressedAlerts", totals.Suppressed);
            writer.WriteNumber("indicators", totals.Indicators);
            writer.WriteNumber("auditEntries", totals.AuditEntries);
            writer.WriteStartObject("pipeline");
            writer.WriteNumber("bytesRead", pipeline.Stats.BytesRead);
            foreach (var stage in pipeline.Stats.Stages)
            {
                writer.WriteStartObject(stage.Stage);
                writer.WriteNumber("received", stage.Received);
                writer.WriteNumber("sent", stage.Sent);
                writer.WriteNumber("errors", stage.Errors);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.WriteStartObject("intake");
            writer.WriteNumber("queuedBytes", queue.QueuedBytes);
            writer.WriteNumber("capacityBytes", queue.CapacityBytes);
            writer.WriteNumber("admittedRequests", queue.AdmittedRequests);
            writer.WriteNumber("refusedRequests", queue.RefusedRequests);
            writer.WriteEndObject();
            WriteProcess(writer);
            writer.WriteEndObject();
        });
    }

    /// <summary>The server's own memory: how close it runs to the bound the configuration sets (docs/guide/server.md).</summary>
    private static void WriteProcess(Utf8JsonWriter writer)
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        writer.WriteStartObject("process");
        writer.WriteNumber("workingSetBytes", process.WorkingSet64);
        writer.WriteNumber("peakWorkingSetBytes", process.PeakWorkingSet64);
        writer.WriteNumber("managedHeapBytes", gc.HeapSizeBytes);
        writer.WriteNumber("managedCommittedBytes", gc.TotalCommittedBytes);
        // What a full collection found alive: the heap without the garbage that waits for the next one.
        var full = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        var background = GC.GetGCMemoryInfo(GCKind.Background);
        writer.WriteNumber("managedLiveAfterFullCollectionBytes", (background.Index > full.Index ? background : full).PromotedBytes);
        writer.WriteNumber("gcPausePercent", Math.Round(gc.PauseTimePercentage, 2));
        writer.WriteStartArray("collections");
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            writer.WriteNumberValue(GC.CollectionCount(generation));
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter writer, string name, IReadOnlyList<StatusCount> counts)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("total", counts.Sum(c => c.Count));
        writer.WriteStartObject("byStatus");
        foreach (var status in Enum.GetValues<CaseStatus>())
        {
            writer.WriteNumber(LifecycleNames.ToName(status), counts.Where(c => c.Status == status).Sum(c => c.Count));
        }
        writer.WriteEndObject();
        writer.WriteStartObject("bySeverity");
        foreach (var severity in Enum.GetValues<Severity>())
        {
            writer.WriteNumber(severity.ToName(), counts.Where(c => c.Severity == severity).Sum(c => c.Count));
        }
        writer.WriteEndObject();
        writer.WriteStartObject("open");
        foreach (var severity in Enum.GetValues<Severity>())
        {
            writer.WriteNumber(severity.ToName(), counts.Where(c => c.Severity == severity && c.Status != CaseStatus.Closed).Sum(c => c.Count));
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
