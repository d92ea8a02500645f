using System.Diagnostics;

namespace Vedette.Cli.Commands;

/// <summary>How one load phase sends: how many loops, how many lines a request, closed or open loop, what a 429 makes it do.</summary>
internal sealed record LoadPhase(string Name, TimeSpan Duration, int Clients, int BatchLines, double? EventsPerSecond, bool HonourRetryAfter)
{
    /// <summary>An overloading client that ignores Retry-After still pauses this long, so that it does not only spin.</summary>
    public static TimeSpan ImpatientPause { get; } = TimeSpan.FromMilliseconds(50);
}

/// <summary>What one phase measured, counting only answers that arrived inside its window.</summary>
internal sealed record LoadResult(
    LoadPhase Phase,
    TimeSpan Elapsed,
    long Accepted,
    long AcceptedEvents,
    long TooMany,
    long TooManyWithoutRetryAfter,
    long Other,
    long Failed,
    double[] LatenciesMs,
    double[] AttemptLatenciesMs,
    long PeakRss)
{
    public double EventsPerSecond => AcceptedEvents / Elapsed.TotalSeconds;

    /// <summary>The q-quantile of the 202s' acceptance latency (nearest rank), in milliseconds.</summary>
    public double Latency(double q) => Quantile(LatenciesMs, q);

    /// <summary>The same for the attempt that got the 202 alone, without the 429s and pauses before it.</summary>
    public double AttemptLatency(double q) => Quantile(AttemptLatenciesMs, q);

    private static double Quantile(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1)];
}

/// <summary>One phase's clock and tallies; answers after <see cref="Close"/> are not counted (their markers still are).</summary>
internal sealed class LoadWindow(LoadPhase phase)
{
    private readonly Lock _lock = new();
    private readonly List<double> _latencies = [];
    private readonly List<double> _attempts = [];
    private long _requests = -1;
    private long _closedAt;
    private long _accepted, _acceptedEvents, _tooMany, _tooManyBare, _other, _failed;

    public LoadPhase Phase => phase;

    public long Started { get; } = Stopwatch.GetTimestamp();

    public long NextRequest() => Interlocked.Increment(ref _requests);

    public void Close() => Interlocked.Exchange(ref _closedAt, Stopwatch.GetTimestamp());

    public void CountAccepted(long events, double latencyMs, double attemptMs)
    {
        lock (_lock)
        {
            if (Open)
            {
                _accepted++;
                _acceptedEvents += events;
                _latencies.Add(latencyMs);
                _attempts.Add(attemptMs);
            }
        }
    }

    public void CountTooMany(bool withRetryAfter)
    {
        lock (_lock)
        {
            if (Open)
            {
                _tooMany++;
                _tooManyBare += withRetryAfter ? 0 : 1;
            }
        }
    }

    public void CountOther()
    {
        lock (_lock)
        {
            _other += Open ? 1 : 0;
        }
    }

    public void CountFailed()
    {
        lock (_lock)
        {
            _failed += Open ? 1 : 0;
        }
    }

    public LoadResult Result(long peakRss)
    {
        lock (_lock)
        {
            var latencies = _latencies.ToArray();
            var attempts = _attempts.ToArray();
            Array.Sort(latencies);
            Array.Sort(attempts);
            return new LoadResult(phase, Stopwatch.GetElapsedTime(Started, _closedAt), _accepted, _acceptedEvents, _tooMany, _tooManyBare, _other, _failed,
                latencies, attempts, peakRss);
        }
    }

    private bool Open => Interlocked.Read(ref _closedAt) == 0;
}
