namespace Vedette.Simulation;

/// <summary>
/// The demo's clock when analysts are simulated: the simulated day replayed at the pace the pipeline reads it. A day of
/// traffic is processed in seconds, so with the wall clock every alert would be "created" hours or weeks after its
/// events and MTTD would measure the demo, not detection. Here the time is the simulated time of the bytes read so far
/// (the simulator writes in time order, at a steady rate): an alert is created a little after its events, by as much
/// as the pipeline's buffers hold, plus <see cref="Latency"/>, as a live pipeline would be.
/// </summary>
public sealed class ReplayClock(DateTimeOffset start, TimeSpan span) : TimeProvider
{
    /// <summary>What a live deployment adds between an event happening and Vedette reading it (shipping, batching).</summary>
    public static readonly TimeSpan Latency = TimeSpan.FromSeconds(30);

    private Func<long>? _bytesRead;
    private long _totalBytes;

    /// <summary>From now on, time follows the reading of a file of <paramref name="totalBytes"/> bytes.</summary>
    public void Follow(Func<long> bytesRead, long totalBytes)
    {
        _totalBytes = totalBytes;
        _bytesRead = bytesRead;
    }

    public override DateTimeOffset GetUtcNow()
    {
        var read = _bytesRead is { } bytes && _totalBytes > 0 ? Math.Clamp((double)bytes() / _totalBytes, 0, 1) : 0;
        return start + span * read + Latency;
    }
}
