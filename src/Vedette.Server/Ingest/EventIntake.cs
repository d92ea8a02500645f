using Vedette.Ingest;
using Vedette.Pipeline;

namespace Vedette.Server.Ingest;

/// <summary>What became of one request's lines.</summary>
public enum IntakeOutcome
{
    /// <summary>Every line that could be read went through the pipeline and what it raised is durable.</summary>
    Stored,

    /// <summary>The pipeline is full or every body reader is busy: nothing was taken (429).</summary>
    Busy,

    /// <summary>The server is shutting down: nothing was taken (503).</summary>
    Closed,

    /// <summary>The lines were taken but the store refused their batch: not durable, retry (503).</summary>
    NotStored,
}

/// <summary>The answer to an ingest request: how many lines, which failed and why.</summary>
public sealed record IntakeResult(IntakeOutcome Outcome, string? Id, long Lines, long Rejected, long ErrorCount, IReadOnlyList<LineError> Errors, string? Failure = null)
{
    public long Accepted => Lines - Rejected;
}

/// <summary>
/// Takes lines from requests into the pipeline: reads the whole body into line batches (bounded by the request cap and
/// by the number of bodies read at once), admits them to the <see cref="IngestQueue"/> all or none, and waits until the
/// store has settled them, so that a 202 means "durable".
/// </summary>
public sealed class EventIntake : IDisposable
{
    private readonly IngestQueue _queue;
    private readonly RecordErrorRouter _router;
    private readonly LineReader _lines;
    private readonly SemaphoreSlim _readers;

    public EventIntake(IngestQueue queue, RecordErrorRouter router, LineReader lines, ServerOptions options)
    {
        _queue = queue;
        _router = router;
        _lines = lines;
        _readers = new SemaphoreSlim(options.IngestReaders, options.IngestReaders);
    }

    /// <summary>Runs one request's NDJSON through the pipeline; throws <see cref="BodyTooLargeException"/> and decoding errors.</summary>
    /// <param name="declaredBytes">The body's length as the client declared it (0 when unknown): a body that cannot fit is not read.</param>
    public async Task<IntakeResult> AcceptAsync(Stream body, long declaredBytes, CancellationToken cancellationToken)
    {
        if (_queue.RefuseIfFull(declaredBytes) || !await _readers.WaitAsync(TimeSpan.Zero, cancellationToken))
        {
            return Refused(IntakeOutcome.Busy);
        }
        var id = Guid.CreateVersion7().ToString("N");
        var receipt = new IngestReceipt($"api:{id}", Settled);
        var batches = new List<LineBatch>();
        var admitted = false;
        long lines = 0;
        _router.Open(receipt);
        try
        {
            var readErrors = new ErrorReport(keep: 0, onError: receipt.AddError);
            await foreach (var batch in _lines.ReadAsync(body, receipt.Origin, readErrors, cancellationToken))
            {
                batches.Add(batch);
                lines += batch.Count;
            }
            var admission = _queue.TryAdmit(batches, receipt);
            if (admission != Admission.Admitted)
            {
                return Refused(admission == Admission.Full ? IntakeOutcome.Busy : IntakeOutcome.Closed);
            }
            admitted = true;
        }
        finally
        {
            _readers.Release();
            if (!admitted)
            {
                _router.Close(receipt);
                foreach (var batch in batches)
                {
                    batch.Dispose();
                }
            }
        }

        // Once admitted the lines go through whatever the caller does: waiting is only for the answer.
        await receipt.Completion.WaitAsync(cancellationToken);
        var errors = receipt.Errors;
        var rejectedLines = new HashSet<long>();
        foreach (var error in errors)
        {
            if (error.Stage is "ingest" or "normalize")
            {
                rejectedLines.Add(error.Line);
            }
        }
        // A line over the length cap never made it into a batch: it counts as read and rejected.
        lines += errors.Count(e => e.Stage == "ingest");
        var outcome = receipt.Failure is null ? IntakeOutcome.Stored : IntakeOutcome.NotStored;
        return new IntakeResult(outcome, id, lines, rejectedLines.Count, receipt.ErrorCount, errors, receipt.Failure?.Message);
    }

    /// <summary>
    /// Puts one line of the server's own telemetry (a failed sign-in) into the pipeline without waiting for it. False
    /// when the pipeline is full or closed: the caller reports the drop, it is never buffered elsewhere.
    /// </summary>
    public bool Enqueue(ReadOnlySpan<byte> line, string origin)
    {
        var batch = new LineBatch(origin, Math.Max(line.Length, 1));
        batch.TryAdd(line, 1);
        var receipt = new IngestReceipt(origin, _queue.Release);
        if (_queue.TryAdmit([batch], receipt) == Admission.Admitted)
        {
            return true;
        }
        batch.Dispose();
        return false;
    }

    public void Dispose() => _readers.Dispose();

    private void Settled(IngestReceipt receipt)
    {
        _queue.Release(receipt);
        _router.Close(receipt);
    }

    private static IntakeResult Refused(IntakeOutcome outcome) => new(outcome, null, 0, 0, 0, []);
}
