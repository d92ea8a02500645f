using Vedette.Pipeline;

namespace Vedette.Server.Ingest;

/// <summary>One line's failure as a client sees it.</summary>
public sealed record LineError(long Line, string Stage, string Message);

/// <summary>
/// One request's lines on their way through the pipeline: completes when the store stage has settled every batch of
/// it (stored, or failed), and collects the record errors the pipeline reported for its lines.
/// </summary>
public sealed class IngestReceipt : IBatchReceipt
{
    public const int MaxErrorsKept = 1000;

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<LineError> _errors = [];
    private readonly Lock _lock = new();
    private readonly Action<IngestReceipt>? _settled;
    private int _pending;
    private long _errorCount;
    private Exception? _failure;

    internal IngestReceipt(string origin, Action<IngestReceipt>? settled = null)
    {
        Origin = origin;
        _settled = settled;
    }

    /// <summary>The origin every line of the request carries (and its evidence keeps): `api:` and the request id.</summary>
    public string Origin { get; }

    /// <summary>Bytes of lines admitted with this receipt, released from the queue when it settles.</summary>
    public long Bytes { get; internal set; }

    /// <summary>When the queue admitted it (<see cref="System.Diagnostics.Stopwatch"/> ticks), for the intake latency.</summary>
    internal long AdmittedAt { get; set; }

    /// <summary>Completes when every batch is stored or failed; never faults (see <see cref="Failure"/>).</summary>
    public Task Completion => _done.Task;

    /// <summary>Why a batch could not be stored, when one could not: the request's lines are then not durable.</summary>
    public Exception? Failure
    {
        get
        {
            lock (_lock)
            {
                return _failure;
            }
        }
    }

    public long ErrorCount => Interlocked.Read(ref _errorCount);

    public IReadOnlyList<LineError> Errors
    {
        get
        {
            lock (_lock)
            {
                return [.. _errors.OrderBy(e => e.Line)];
            }
        }
    }

    internal void Expect(int batches)
    {
        if (batches == 0)
        {
            Settle();
            return;
        }
        Volatile.Write(ref _pending, batches);
    }

    public void AddError(RecordError error)
    {
        Interlocked.Increment(ref _errorCount);
        lock (_lock)
        {
            if (_errors.Count < MaxErrorsKept)
            {
                _errors.Add(new LineError(error.Ref.Line, error.Stage, error.Message));
            }
        }
    }

    public void Stored()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            Settle();
        }
    }

    public void Failed(Exception cause)
    {
        lock (_lock)
        {
            _failure ??= cause;
        }
        Stored();
    }

    private void Settle()
    {
        _settled?.Invoke(this);
        _done.TrySetResult();
    }
}
