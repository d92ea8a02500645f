using System.Text.Json;
using Spectre.Console;
using Vedette.Server;

namespace Vedette.Cli.Commands;

/// <summary>What `vedette bench serve` prints: the two phases, the server's memory against its bound, the durability check.</summary>
internal sealed record BenchServeReport(
    BenchServeSettings Settings,
    ServerOptions Server,
    int InputLines,
    long InputBytes,
    LoadResult Sustained,
    LoadResult? Overload,
    long PeakRssBeforeOverload,
    long PeakRssAtKill,
    JsonElement? ProcessAfterSustained,
    JsonElement? ProcessAtKill,
    Durability Durability,
    long ServerWarnings)
{
    private const double MiB = 1 << 20;

    /// <summary>What the configuration bounds (docs/guide/server.md): queued lines, bodies being read; the runtime and the rest come on top.</summary>
    private long ConfiguredBound => Server.IngestQueueBytes + Server.IngestReaders * Server.MaxRequestBytes;

    public object ToJson() => new
    {
        server = new
        {
            process = "vedette serve (child process, 127.0.0.1)",
            ingestQueueBytes = Server.IngestQueueBytes,
            ingestReaders = Server.IngestReaders,
            maxRequestBytes = Server.MaxRequestBytes,
            retryAfterSeconds = Server.RetryAfterSeconds,
            warningsLogged = ServerWarnings,
        },
        input = new { events = InputLines, bytesPerEvent = Math.Round((double)InputBytes / InputLines, 1), seed = Settings.Seed },
        sustained = Phase(Sustained),
        beyondCapacity = Overload is null ? null : Phase(Overload),
        peakRssBytes = new { beforeBeyondCapacity = PeakRssBeforeOverload, atKill = PeakRssAtKill, configuredIntakeBound = ConfiguredBound },
        serverProcess = new { afterSustained = ProcessAfterSustained, atKill = ProcessAtKill },
        durability = new
        {
            killedWith = "SIGKILL",
            requestsSent = Durability.Sent,
            requestsAcknowledged = Durability.Acknowledged,
            eventsAcknowledged = Durability.AcknowledgedEvents,
            markersStored = Durability.StoredMarkers,
            acknowledgedMissing = Durability.Missing,
            storedWithoutAnswer = Durability.StoredUnacknowledged,
            alertsStored = Durability.Alerts,
            incidentsStored = Durability.Incidents,
            integrityCheck = Durability.Integrity,
        },
    };

    public void Print()
    {
        AnsiConsole.MarkupLineInterpolated(
            $"[bold]{InputLines:N0}[/] simulated events ({(double)InputBytes / InputLines:N0} bytes each) in memory; server: vedette serve on 127.0.0.1, queue bound {Server.IngestQueueBytes / MiB:N0} MiB, {Server.IngestReaders} body readers.");
        var table = new Table().AddColumns("phase", "clients × lines", "events/s accepted", "p50 ms", "p90 ms", "p99 ms", "max ms", "202", "429 (no Retry-After)", "other", "peak RSS MiB");
        foreach (var phase in Overload is null ? [Sustained] : new[] { Sustained, Overload })
        {
            var p = phase.Phase;
            table.AddRow(
                p.Name + (p.EventsPerSecond is { } rate ? $" (open loop, {rate:N0}/s offered)" : ""),
                $"{p.Clients} × {p.BatchLines:N0}",
                $"{phase.EventsPerSecond:N0}",
                $"{phase.Latency(0.5):N1}",
                $"{phase.Latency(0.9):N1}",
                $"{phase.Latency(0.99):N1}",
                $"{phase.Latency(1):N1}",
                $"{phase.Accepted:N0}",
                $"{phase.TooMany:N0} ({phase.TooManyWithoutRetryAfter:N0})",
                $"{phase.Other + phase.Failed:N0}",
                $"{phase.PeakRss / MiB:N0}");
        }
        AnsiConsole.Write(table);
        if (Overload is { } o)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"Beyond capacity the latency counts from a request's first attempt, through its 429s; the attempt that got the 202 alone: p50 {o.AttemptLatency(0.5):N0} ms, p99 {o.AttemptLatency(0.99):N0} ms.");
        }
        AnsiConsole.MarkupLineInterpolated(
            $"Peak RSS (VmHWM): {PeakRssBeforeOverload / MiB:N0} MiB before the beyond-capacity phase, {PeakRssAtKill / MiB:N0} MiB at the kill; the intake's configured bound is {ConfiguredBound / MiB:N0} MiB plus the runtime.");
        if (ProcessAtKill is { } atKill)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"Managed heap alive after the last full collection, at the kill: {atKill.GetProperty("managedLiveAfterFullCollectionBytes").GetInt64() / MiB:N0} MiB (committed {atKill.GetProperty("managedCommittedBytes").GetInt64() / MiB:N0} MiB).");
        }
        var d = Durability;
        AnsiConsole.MarkupLineInterpolated(
            $"SIGKILL mid-stream: {d.Acknowledged:N0} of {d.Sent:N0} requests acknowledged ({d.AcknowledgedEvents:N0} events); their markers in the store: {d.Acknowledged - d.Missing:N0}, [bold]missing: {d.Missing}[/]; stored without an answer (in flight at the kill): {d.StoredUnacknowledged}; integrity_check: {d.Integrity}.");
    }

    private static object Phase(LoadResult result) => new
    {
        clients = result.Phase.Clients,
        batchLines = result.Phase.BatchLines,
        offeredEventsPerSecond = result.Phase.EventsPerSecond,
        honoursRetryAfter = result.Phase.HonourRetryAfter,
        seconds = Math.Round(result.Elapsed.TotalSeconds, 2),
        eventsPerSecond = Math.Round(result.EventsPerSecond),
        acceptedEvents = result.AcceptedEvents,
        latencyMs = new
        {
            p50 = Ms(result.Latency(0.5)),
            p90 = Ms(result.Latency(0.9)),
            p99 = Ms(result.Latency(0.99)),
            max = Ms(result.Latency(1)),
        },
        admittedAttemptLatencyMs = new
        {
            p50 = Ms(result.AttemptLatency(0.5)),
            p99 = Ms(result.AttemptLatency(0.99)),
            max = Ms(result.AttemptLatency(1)),
        },
        status202 = result.Accepted,
        status429 = result.TooMany,
        status429WithoutRetryAfter = result.TooManyWithoutRetryAfter,
        otherStatus = result.Other,
        failedRequests = result.Failed,
        peakRssBytes = result.PeakRss,
    };

    private static double? Ms(double value) => double.IsNaN(value) ? null : Math.Round(value, 1);
}
