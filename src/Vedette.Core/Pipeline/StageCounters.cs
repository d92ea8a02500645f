namespace Vedette.Pipeline;

/// <summary>
/// The same four numbers for every stage, as Vector's components have: records in, records out,
/// records dropped (with a reason counted under errors), and errors.
/// </summary>
public sealed class StageCounters(string stage)
{
    private long _received;
    private long _sent;
    private long _errors;

    public string Stage { get; } = stage;

    public long Received => Interlocked.Read(ref _received);

    public long Sent => Interlocked.Read(ref _sent);

    public long Errors => Interlocked.Read(ref _errors);

    public void AddReceived(long count) => Interlocked.Add(ref _received, count);

    public void AddSent(long count) => Interlocked.Add(ref _sent, count);

    public void AddError() => Interlocked.Increment(ref _errors);
}

/// <summary>Live counters of a running pipeline, safe to read from another thread (progress display).</summary>
public sealed class PipelineStats
{
    private long _bytesRead;

    public StageCounters Ingest { get; } = new("ingest");

    public StageCounters Normalize { get; } = new("normalize");

    public StageCounters Detect { get; } = new("detect");

    public StageCounters Enrich { get; } = new("enrich");

    public StageCounters Triage { get; } = new("triage");

    public StageCounters Store { get; } = new("store");

    public StageCounters Respond { get; } = new("respond");

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public IEnumerable<StageCounters> Stages => [Ingest, Normalize, Detect, Enrich, Triage, Store, Respond];

    internal void AddBytes(long bytes) => Interlocked.Add(ref _bytesRead, bytes);
}
