using System.Collections.Concurrent;
using Vedette.Domain;

namespace Vedette.Pipeline;

/// <summary>A record that a stage could not handle: which record, which stage, and why.</summary>
public sealed record RecordError(RecordRef Ref, string Stage, string Message)
{
    public override string ToString() => $"{Ref}: {Stage}: {Message}";
}

/// <summary>
/// Where every per-record failure goes. The pipeline catches in exactly one place per stage and reports here;
/// nothing is dropped silently. Keeps the first errors in full and counts all of them.
/// </summary>
public sealed class ErrorReport
{
    private readonly ConcurrentQueue<RecordError> _kept = new();
    private readonly int _keep;
    private readonly Action<RecordError>? _onError;
    private long _count;

    public ErrorReport(int keep = 1000, Action<RecordError>? onError = null)
    {
        _keep = keep;
        _onError = onError;
    }

    public long Count => Interlocked.Read(ref _count);

    public IReadOnlyCollection<RecordError> Kept => _kept;

    public void Report(RecordError error)
    {
        if (Interlocked.Increment(ref _count) <= _keep)
        {
            _kept.Enqueue(error);
        }
        _onError?.Invoke(error);
    }
}
