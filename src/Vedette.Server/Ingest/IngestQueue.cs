using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Vedette.Ingest;
using Vedette.Pipeline;

namespace Vedette.Server.Ingest;

/// <summary>Whether a request's lines went into the pipeline.</summary>
public enum Admission
{
    Admitted,

    /// <summary>The pipeline holds as much as it may: the client should retry later (429).</summary>
    Full,

    /// <summary>The server is shutting down and takes nothing more (503).</summary>
    Closed,
}

/// <summary>
/// The server's event source: requests hand it their line batches whole, and it admits them only while the bytes on
/// their way through the pipeline stay under the configured bound. The bound covers a batch from admission until the
/// store has settled it, so memory stays bounded however fast clients send; beyond it, callers answer 429.
/// </summary>
public sealed class IngestQueue : IEventSource
{
    private readonly Channel<LineBatch> _channel = Channel.CreateUnbounded<LineBatch>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _lock = new();
    private readonly long _capacity;
    private readonly Histogram<double>? _latency;
    private TaskCompletionSource _resumed = CompletedGate();
    private long _queuedBytes;
    private long _admitted;
    private long _refused;
    private bool _closed;

    /// <param name="meter">Where the queue reports its depth, its admissions and how long admitted lines take to be stored.</param>
    public IngestQueue(long capacityBytes, Meter? meter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityBytes, 1);
        _capacity = capacityBytes;
        if (meter is null)
        {
            return;
        }
        meter.CreateObservableGauge("vedette.intake.queued", () => QueuedBytes, "By", "Bytes of admitted lines not yet settled by the store");
        meter.CreateObservableGauge("vedette.intake.capacity", () => _capacity, "By", "Bytes the intake admits at once before answering 429 (ingestQueueBytes)");
        meter.CreateObservableCounter("vedette.intake.requests", () => (IEnumerable<Measurement<long>>)
        [
            new(AdmittedRequests, new KeyValuePair<string, object?>("outcome", "admitted")),
            new(RefusedRequests, new KeyValuePair<string, object?>("outcome", "refused")),
        ], "{request}", "Ingest requests admitted into the pipeline, or refused because it was full (429)");
        _latency = meter.CreateHistogram(
            "vedette.intake.duration", "s", "Seconds from a request's admission until the store settled every batch of it",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Telemetry.VedetteMeter.LatencyBuckets });
    }

    public string Name => "api";

    public long? Length => null;

    public long CapacityBytes => _capacity;

    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    public long AdmittedRequests => Interlocked.Read(ref _admitted);

    public long RefusedRequests => Interlocked.Read(ref _refused);

    /// <summary>
    /// True (and counted as a refusal) when nothing more fits, or a request of the length it declares would not: lets a
    /// request refuse before reading its body, rather than read it only to be refused. <see cref="TryAdmit"/> still decides.
    /// </summary>
    /// <param name="declaredBytes">The body's declared length (Content-Length), 0 when unknown.</param>
    public bool RefuseIfFull(long declaredBytes = 0)
    {
        var queued = Interlocked.Read(ref _queuedBytes);
        if (queued < _capacity && (queued == 0 || queued + declaredBytes <= _capacity))
        {
            return false;
        }
        Interlocked.Increment(ref _refused);
        return true;
    }

    /// <summary>
    /// Puts all of a request's batches into the pipeline, or none. A request larger than the whole bound still goes in
    /// when nothing else is queued, so that no size under the request cap is refused forever.
    /// </summary>
    public Admission TryAdmit(IReadOnlyList<LineBatch> batches, IngestReceipt receipt)
    {
        long bytes = 0;
        foreach (var batch in batches)
        {
            bytes += batch.Bytes;
        }
        lock (_lock)
        {
            if (_closed)
            {
                return Admission.Closed;
            }
            if (_queuedBytes > 0 && _queuedBytes + bytes > _capacity)
            {
                Interlocked.Increment(ref _refused);
                return Admission.Full;
            }
            _queuedBytes += bytes;
            _admitted++;
            receipt.Bytes = bytes;
            receipt.AdmittedAt = Stopwatch.GetTimestamp();
            receipt.Expect(batches.Count);
            foreach (var batch in batches)
            {
                batch.Receipt = receipt;
                // Unbounded in count, bounded in bytes by the check above; never fails while not completed.
                _channel.Writer.TryWrite(batch);
            }
        }
        return Admission.Admitted;
    }

    /// <summary>Called when a receipt settles: its bytes have left the pipeline.</summary>
    public void Release(IngestReceipt receipt)
    {
        Interlocked.Add(ref _queuedBytes, -receipt.Bytes);
        _latency?.Record(
            Stopwatch.GetElapsedTime(receipt.AdmittedAt).TotalSeconds,
            new KeyValuePair<string, object?>("outcome", receipt.Failure is null ? "stored" : "failed"));
    }

    /// <summary>Takes nothing more; what was admitted still drains through the pipeline.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            _channel.Writer.TryComplete();
        }
    }

    /// <summary>Holds admitted batches back from the pipeline (tests use it to fill the queue deterministically).</summary>
    internal void Pause()
    {
        lock (_lock)
        {
            if (_resumed.Task.IsCompleted)
            {
                _resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    internal void Resume()
    {
        lock (_lock)
        {
            _resumed.TrySetResult();
        }
    }

    /// <summary>
    /// Yields admitted batches until <see cref="Close"/> and the last one is read. Cancellation is not honoured here:
    /// admitted lines have callers waiting for them, so the pipeline stops by draining, never by dropping.
    /// </summary>
    public async IAsyncEnumerable<LineBatch> ReadAsync(ErrorReport errors, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var batch in _channel.Reader.ReadAllAsync(CancellationToken.None))
        {
            Task gate;
            lock (_lock)
            {
                gate = _resumed.Task;
            }
            await gate;
            yield return batch;
        }
    }

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }
}
