using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Vedette.Cli.Commands;

/// <summary>
/// The benchmark's client side: NDJSON generated before any clock starts, sent from concurrent HttpClient loops over
/// loopback. Every request ends with one marker line, an external alert with a unique rule id: a 202 acknowledges it, so
/// after the server is killed the store must hold every acknowledged marker.
/// </summary>
internal sealed class BenchServeLoad : IDisposable
{
    public const string MarkerPrefix = "bench-serve:";

    private readonly HttpClient _http;
    private readonly byte[] _ndjson;

    /// <summary>Where each line of <see cref="_ndjson"/> starts, and one past the last: line i is [_starts[i], _starts[i + 1]).</summary>
    private readonly int[] _starts;
    private readonly Lock _lock = new();
    private readonly HashSet<long> _acknowledged = [];
    private long _markers;
    private long _acknowledgedEvents;

    public BenchServeLoad(Uri server, string token, byte[] ndjson)
    {
        _ndjson = ndjson;
        _starts = LineStarts(ndjson);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
        };
        _http = new HttpClient(handler) { BaseAddress = server, Timeout = TimeSpan.FromMinutes(2) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>Markers sent so far (every request carries one).</summary>
    public long MarkersSent => Interlocked.Read(ref _markers);

    public int LineCount => _starts.Length - 1;

    /// <summary>Lines the server answered 202 for, over every phase (markers included).</summary>
    public long AcknowledgedEvents => Interlocked.Read(ref _acknowledgedEvents);

    /// <summary>Marker numbers whose request was answered 202.</summary>
    public IReadOnlySet<long> Acknowledged
    {
        get
        {
            lock (_lock)
            {
                return new HashSet<long>(_acknowledged);
            }
        }
    }

    public static string MarkerRuleId(long marker) => MarkerPrefix + marker.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Runs the phase for its duration, then calls <paramref name="atEnd"/> while the loops are still sending (a kill, or
    /// nothing), then lets each loop finish the request it is in and stop. What they acknowledge after the window still
    /// counts for the durability check, not for the phase's figures.
    /// </summary>
    public async Task<LoadResult> RunAsync(LoadPhase phase, Func<long> sampleRss, Func<Task> atEnd, CancellationToken cancellationToken)
    {
        var window = new LoadWindow(phase);
        using var stopSampling = new CancellationTokenSource();
        long peakRss = 0;
        var sampler = Task.Run(async () =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                peakRss = Math.Max(peakRss, sampleRss());
                await Task.Delay(50, CancellationToken.None);
            }
        }, CancellationToken.None);
        using var stopSending = new CancellationTokenSource();
        var loops = Enumerable.Range(0, phase.Clients).Select(_ => Task.Run(() => LoopAsync(window, stopSending.Token), CancellationToken.None)).ToArray();
        try
        {
            await Task.Delay(phase.Duration, cancellationToken);
        }
        finally
        {
            window.Close();
            await stopSampling.CancelAsync();
            await sampler;
            await atEnd();
            await stopSending.CancelAsync();
            await Task.WhenAll(loops);
        }
        return window.Result(peakRss);
    }

    /// <summary>The server's own account of its memory (GET /api/v1/metrics, `process`).</summary>
    public async Task<JsonElement> ProcessMetricsAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("/api/v1/metrics", cancellationToken);
        response.EnsureSuccessStatusCode();
        using var metrics = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        return metrics.RootElement.GetProperty("process").Clone();
    }

    public void Dispose() => _http.Dispose();

    private async Task LoopAsync(LoadWindow window, CancellationToken stop)
    {
        var phase = window.Phase;
        var offset = Random.Shared.Next(LineCount);
        while (!stop.IsCancellationRequested)
        {
            var sequence = window.NextRequest();
            var start = Stopwatch.GetTimestamp();
            if (phase.EventsPerSecond is { } rate)
            {
                // Open loop: request k is due at k × batch / rate; its latency counts from then, not from when a loop got to it.
                start = window.Started + (long)(sequence * phase.BatchLines / rate * Stopwatch.Frequency);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), start);
                if (wait > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(wait, stop);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
            var marker = Interlocked.Increment(ref _markers);
            var lines = Take(ref offset, phase.BatchLines - 1);
            var markerLine = Encoding.UTF8.GetBytes(
                $$"""{"kind":"alert","@timestamp":"2026-11-02T12:00:00Z","title":"bench serve marker","severity":"informational","producer":"bench","ruleId":"{{MarkerRuleId(marker)}}"}""" + "\n");
            while (!stop.IsCancellationRequested)
            {
                var attempt = Stopwatch.GetTimestamp();
                HttpResponseMessage response;
                byte[] answer;
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = new BatchContent(lines, markerLine) };
                    // A request once sent is not cancelled: it ends with its answer, or with the server's death.
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
                    answer = await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    window.CountFailed();
                    await PauseAsync(LoadPhase.ImpatientPause, stop);
                    break;
                }
                using (response)
                {
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        lock (_lock)
                        {
                            _acknowledged.Add(marker);
                        }
                        var accepted = Accepted(answer);
                        Interlocked.Add(ref _acknowledgedEvents, accepted);
                        window.CountAccepted(accepted, Stopwatch.GetElapsedTime(start).TotalMilliseconds, Stopwatch.GetElapsedTime(attempt).TotalMilliseconds);
                        break;
                    }
                    if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        var retryAfter = response.Headers.RetryAfter?.Delta;
                        window.CountTooMany(retryAfter is not null);
                        // Nothing of a refused request was taken: the same lines (and marker) go again.
                        await PauseAsync(phase.HonourRetryAfter && retryAfter is { } delay ? delay : LoadPhase.ImpatientPause, stop);
                        continue;
                    }
                    window.CountOther();
                    break;
                }
            }
        }
    }

    private static async Task PauseAsync(TimeSpan pause, CancellationToken stop)
    {
        try
        {
            await Task.Delay(pause, stop);
        }
        catch (OperationCanceledException)
        {
            // The loop sees the stop.
        }
    }

    /// <summary>The next <paramref name="count"/> lines of the pre-generated input, wrapping around: one slice, or two at the wrap.</summary>
    private ReadOnlyMemory<byte>[] Take(ref int offset, int count)
    {
        var slices = new List<ReadOnlyMemory<byte>>(2);
        while (count > 0)
        {
            if (offset >= LineCount)
            {
                offset = 0;
            }
            var run = Math.Min(count, LineCount - offset);
            slices.Add(_ndjson.AsMemory(_starts[offset], _starts[offset + run] - _starts[offset]));
            offset += run;
            count -= run;
        }
        return [.. slices];
    }

    private static int[] LineStarts(byte[] ndjson)
    {
        var starts = new List<int> { 0 };
        var start = 0;
        while (start < ndjson.Length)
        {
            var newline = ndjson.AsSpan(start).IndexOf((byte)'\n');
            start = newline < 0 ? ndjson.Length : start + newline + 1;
            starts.Add(start);
        }
        return [.. starts];
    }

    private static long Accepted(byte[] answer)
    {
        var reader = new Utf8JsonReader(answer);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("accepted") && reader.Read())
            {
                return reader.GetInt64();
            }
        }
        throw new InvalidOperationException("a 202 answer without 'accepted': " + Encoding.UTF8.GetString(answer));
    }

    /// <summary>A request body of pre-generated lines and its marker, written without copying them together.</summary>
    private sealed class BatchContent : HttpContent
    {
        private readonly ReadOnlyMemory<byte>[] _lines;
        private readonly byte[] _marker;

        public BatchContent(ReadOnlyMemory<byte>[] lines, byte[] marker)
        {
            _lines = lines;
            _marker = marker;
            Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            foreach (var slice in _lines)
            {
                await stream.WriteAsync(slice, cancellationToken);
            }
            await stream.WriteAsync(_marker, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _marker.Length;
            foreach (var slice in _lines)
            {
                length += slice.Length;
            }
            return true;
        }
    }
}
