using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vedette.Tests.Enrich.Sources;

/// <summary>A request as the loopback server received it.</summary>
public sealed record LoopbackRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers)
{
    public string Path => Target.Split('?')[0];

    public string? Query(string name) =>
        Target.Contains('?', StringComparison.Ordinal)
            ? Target.Split('?', 2)[1].Split('&').Select(pair => pair.Split('=', 2))
                .Where(pair => pair[0] == name).Select(pair => Uri.UnescapeDataString(pair.Length > 1 ? pair[1] : "")).FirstOrDefault()
            : null;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>What the loopback server answers; the flags make it misbehave the ways feed servers do.</summary>
public sealed record LoopbackResponse(int Status, byte[] Body)
{
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Sends the body in chunks, with no Content-Length.</summary>
    public bool Chunked { get; init; }

    /// <summary>Announces this Content-Length instead of the body's.</summary>
    public long? DeclaredLength { get; init; }

    /// <summary>Never answers at all.</summary>
    public bool Silent { get; init; }

    /// <summary>Sends the headers, then nothing.</summary>
    public bool StallAfterHeaders { get; init; }

    public static LoopbackResponse Text(string text, int status = 200) => new(status, Encoding.UTF8.GetBytes(text));

    public static LoopbackResponse Empty(int status) => new(status, []);

    public LoopbackResponse With(string header, string value) => this with { Headers = [.. Headers, new(header, value)] };
}

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 and a free port, one request per connection, so that tests can script
/// exactly what a feed server sends (status, headers, chunking, compression, silence) without the internet.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<LoopbackRequest, LoopbackResponse> _handle;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public LoopbackServer(Func<LoopbackRequest, LoopbackResponse> handle)
    {
        _handle = handle;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    public ConcurrentQueue<LoopbackRequest> Requests { get; } = new();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Url(string pathAndQuery = "/") => $"http://127.0.0.1:{Port}{pathAndQuery}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(() => ServeAsync(client));
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var request = await ReadRequestAsync(stream);
            Requests.Enqueue(request);
            var response = _handle(request);
            if (response.Silent)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }
            var head = new StringBuilder($"HTTP/1.1 {response.Status} {ReasonPhrase(response.Status)}\r\nConnection: close\r\n");
            foreach (var (name, value) in response.Headers)
            {
                head.Append($"{name}: {value}\r\n");
            }
            head.Append(response.Chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {response.DeclaredLength ?? response.Body.Length}\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()), _stop.Token);
            if (response.StallAfterHeaders)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }
            await WriteBodyAsync(stream, response);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away (as it should when it refuses a body) or the test is over.
        }
    }

    private async Task WriteBodyAsync(NetworkStream stream, LoopbackResponse response)
    {
        if (!response.Chunked)
        {
            await stream.WriteAsync(response.Body, _stop.Token);
            return;
        }
        for (var offset = 0; offset < response.Body.Length; offset += 1024)
        {
            var size = Math.Min(1024, response.Body.Length - offset);
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{size:x}\r\n"), _stop.Token);
            await stream.WriteAsync(response.Body.AsMemory(offset, size), _stop.Token);
            await stream.WriteAsync("\r\n"u8.ToArray(), _stop.Token);
        }
        await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), _stop.Token);
    }

    private static async Task<LoopbackRequest> ReadRequestAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
        {
            if (await stream.ReadAsync(one) == 0)
            {
                throw new IOException("the client closed before the end of its request");
            }
            head.Add(one[0]);
        }
        var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var start = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return new LoopbackRequest(start[0], start[1], headers);
    }

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
