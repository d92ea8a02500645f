namespace Vedette.Pipeline;

/// <summary>Why a stage dropped a record: a closed set, so that it can label a metric without growing it.</summary>
public enum DropReason
{
    /// <summary>The normalizer could not make an event of the line (not JSON, no mapping, a field of the wrong type).</summary>
    InvalidRecord,

    /// <summary>The store refused the batch the record was in; its alerts are not durable.</summary>
    StoreFailed,
}

public static class DropReasons
{
    public static IReadOnlyList<DropReason> All { get; } = Enum.GetValues<DropReason>();

    public static string ToName(this DropReason reason) => reason switch
    {
        DropReason.InvalidRecord => "invalid_record",
        DropReason.StoreFailed => "store_failed",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}

/// <summary>
/// The same four numbers for every stage, as Vector's components have: records in, records out, records dropped (by
/// reason; each drop is also an error, reported with the record's reference), and errors.
/// </summary>
/// <param name="drops">The reasons this stage can drop for: metrics list these, and no others.</param>
public sealed class StageCounters(string stage, params DropReason[] drops)
{
    private readonly long[] _dropped = new long[DropReasons.All.Count];
    private long _received;
    private long _sent;
    private long _errors;

    public string Stage { get; } = stage;

    public IReadOnlyList<DropReason> Drops { get; } = drops;

    public long Received => Interlocked.Read(ref _received);

    public long Sent => Interlocked.Read(ref _sent);

    public long Errors => Interlocked.Read(ref _errors);

    public long Dropped(DropReason reason) => Interlocked.Read(ref _dropped[(int)reason]);

    public void AddReceived(long count) => Interlocked.Add(ref _received, count);

    public void AddSent(long count) => Interlocked.Add(ref _sent, count);

    public void AddError() => Interlocked.Increment(ref _errors);

    public void AddDropped(DropReason reason, long count = 1) => Interlocked.Add(ref _dropped[(int)reason], count);
}

/// <summary>How full one of the channels between two stages is: the queue in front of <see cref="Stage"/>, in batches.</summary>
public sealed class ChannelDepth(string stage, int capacity, Func<int> depth)
{
    public string Stage { get; } = stage;

    public int Capacity { get; } = capacity;

    public int Depth => depth();
}

/// <summary>Live counters of a running pipeline, safe to read from another thread (progress display, metrics).</summary>
public sealed class PipelineStats
{
    private long _bytesRead;
    private volatile IReadOnlyList<ChannelDepth> _channels = [];

    public StageCounters Ingest { get; } = new("ingest");

    public StageCounters Normalize { get; } = new("normalize", DropReason.InvalidRecord);

    public StageCounters Detect { get; } = new("detect");

    public StageCounters Enrich { get; } = new("enrich");

    public StageCounters Triage { get; } = new("triage");

    public StageCounters Store { get; } = new("store", DropReason.StoreFailed);

    public StageCounters Respond { get; } = new("respond");

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public IEnumerable<StageCounters> Stages => [Ingest, Normalize, Detect, Enrich, Triage, Store, Respond];

    /// <summary>The channels of the current run (empty before the first), each named after the stage that reads it.</summary>
    public IReadOnlyList<ChannelDepth> Channels => _channels;

    internal void AddBytes(long bytes) => Interlocked.Add(ref _bytesRead, bytes);

    internal void SetChannels(IReadOnlyList<ChannelDepth> channels) => _channels = channels;
}
