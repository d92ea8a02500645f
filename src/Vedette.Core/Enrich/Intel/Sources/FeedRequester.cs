using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using Vedette.Ingest.Readers;

namespace Vedette.Enrich.Intel.Sources;

/// <summary>
/// One feed's GET, the way every feed source makes it: address guard on every hop, the feed's headers (secrets from
/// the environment, only to the feed's own origin), conditional validators, a timeout per attempt, retries with
/// backoff on what may pass (5xx, 429, timeouts, broken connections), and the size cap while the body streams in.
/// </summary>
internal sealed class FeedRequester(HttpClient http, FeedDefinition feed, FeedFetchOptions options)
{
    public FeedDefinition Feed => feed;

    public FeedFetchOptions Options => options;

    /// <summary>The feed's location as a URL; only http and https are fetched.</summary>
    public static Uri ParseUrl(FeedDefinition feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        return Uri.TryCreate(feed.Location, UriKind.Absolute, out var url) && IsHttp(url)
            ? url
            // Not echoed: a location that is not a URL cannot be redacted, and may hold a key.
            : throw new FeedFetchException(feed.Name, "location not shown", "the location is not an http(s) URL");
    }

    public async Task<FeedResponse> GetAsync(Uri url, string accept, FetchState? conditional, CancellationToken cancellationToken)
    {
        var headers = ResolveHeaders(url);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AttemptAsync(url, accept, headers, conditional, cancellationToken);
            }
            catch (FeedFetchException failure) when (failure.Transient)
            {
                if (attempt > feed.Retries)
                {
                    throw attempt == 1 ? failure : Fail(url, $"{failure.Reason} (gave up after {attempt} attempts)", failure.StatusCode, failure.InnerException);
                }
                var delay = failure.RetryAfter ?? Backoff(attempt);
                if (delay > options.MaxRetryAfter)
                {
                    throw Fail(url, $"{failure.Reason}; the server asks to wait {Units.FormatDuration(delay)}, longer than the {Units.FormatDuration(options.MaxRetryAfter)} allowed", failure.StatusCode, failure.InnerException);
                }
                options.OnRetry?.Invoke(new FeedRetry(feed.Name, attempt, delay, failure.Reason));
                await Task.Delay(delay, options.TimeProvider, cancellationToken);
            }
        }
    }

    /// <summary>An unconditional GET's body: the feed's content, whole and within the cap.</summary>
    public async Task<Stream> GetContentAsync(Uri url, string accept, CancellationToken cancellationToken) =>
        ContentOf(await GetAsync(url, accept, null, cancellationToken), url);

    /// <summary>The body of an answer to an unconditional request, which a 304 cannot be.</summary>
    public Stream ContentOf(FeedResponse response, Uri url) =>
        response.Body ?? throw Fail(url, "the server answered 304 Not Modified to a request that was not conditional");

    public FeedFetchException Fail(Uri url, string reason, HttpStatusCode? status = null, Exception? inner = null) =>
        new(feed.Name, url, reason, status, inner);

    private async Task<FeedResponse> AttemptAsync(
        Uri url, string accept, List<KeyValuePair<string, string>> headers, FetchState? conditional, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(feed.Timeout, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var current = url;
            for (var hop = 0; ; hop++)
            {
                await CheckAsync(url, current, linked.Token);
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.TryAddWithoutValidation("Accept", accept);
                request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate");
                request.Headers.TryAddWithoutValidation("User-Agent", options.UserAgent);
                AddConditions(request, conditional);
                // An API key is for the feed's own server, not for wherever a redirect points.
                if (SameOrigin(url, current))
                {
                    headers.ForEach(header => request.Headers.TryAddWithoutValidation(header.Key, header.Value));
                }
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
                if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
                {
                    if (hop >= options.MaxRedirects)
                    {
                        throw Fail(url, $"more than {options.MaxRedirects} redirects", response.StatusCode);
                    }
                    current = new Uri(current, location);
                    continue;
                }
                return await ReadAsync(url, response, linked.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException
            && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new FeedFetchException(feed.Name, url, $"timed out after {Units.FormatDuration(feed.Timeout)}", inner: ex) { Transient = true };
        }
        catch (HttpRequestException ex) when (ex.InnerException is AddressRefusedException refused)
        {
            throw Fail(url, $"refused: {refused.Message}", inner: ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException)
        {
            throw new FeedFetchException(feed.Name, url, $"network error: {ex.Message}", inner: ex) { Transient = true };
        }
        catch (InvalidDataException ex)
        {
            // Corrupt compressed data, or more of it than the cap (CappedWire).
            throw Fail(url, $"the compressed response is unusable: {ex.Message}", inner: ex);
        }
    }

    private async Task<FeedResponse> ReadAsync(Uri url, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var etag = response.Headers.ETag?.ToString();
        var lastModified = response.Content.Headers.LastModified;
        if (status == HttpStatusCode.NotModified)
        {
            return new FeedResponse(response.Headers, null, etag, lastModified);
        }
        var code = (int)status;
        if (!response.IsSuccessStatusCode)
        {
            // The reason phrase is the server's text: keep it short.
            var phrase = response.ReasonPhrase ?? "";
            var reason = $"HTTP {code} {phrase[..Math.Min(phrase.Length, 80)]}".TrimEnd();
            throw new FeedFetchException(feed.Name, url, reason, status)
            {
                Transient = code is 429 or >= 500,
                RetryAfter = RetryAfter(response.Headers.RetryAfter),
            };
        }
        if (code is not (200 or 203))
        {
            // 204 No Content or a partial answer read as a feed would replace every indicator with none.
            throw Fail(url, $"HTTP {code} instead of the feed's content", status);
        }
        if (response.Content.Headers.ContentLength is { } length && length > feed.MaxBytes)
        {
            throw Fail(url, $"the response is {length:N0} bytes, over the feed's cap of {feed.MaxBytes:N0} bytes (max-bytes)", status);
        }
        var encoding = response.Content.Headers.ContentEncoding.ToList();
        var compressed = encoding is not ([] or ["identity"]);
        using var spool = new Spool(feed.MaxBytes, () => Fail(
            url, $"the {(compressed ? "decompressed " : "")}response grew past the feed's cap of {feed.MaxBytes:N0} bytes (max-bytes)", status));
        var wire = await response.Content.ReadAsStreamAsync(cancellationToken);
        // The spool caps what is kept; the compressed bytes are capped too, or endless empty gzip members would never end.
        await using var decoded = encoding switch
        {
            _ when !compressed => wire,
            ["gzip"] or ["x-gzip"] => new GZipStream(CappedWire(wire), CompressionMode.Decompress),
            // HTTP's "deflate" is the zlib format (RFC 9110), not raw deflate.
            ["deflate"] => new ZLibStream(CappedWire(wire), CompressionMode.Decompress),
            _ => throw Fail(url, $"unsupported content encoding '{string.Join(", ", encoding)}'", status),
        };
        await spool.CopyFromAsync(decoded, cancellationToken);
        return new FeedResponse(response.Headers, spool.Detach(), etag, lastModified);
    }

    private async Task CheckAsync(Uri url, Uri current, CancellationToken cancellationToken)
    {
        if (!IsHttp(current))
        {
            throw Fail(url, $"refused: {current.Scheme} URLs are not fetched (only http and https)");
        }
        if (url.Scheme == Uri.UriSchemeHttps && current.Scheme == Uri.UriSchemeHttp)
        {
            throw Fail(url, $"refused: a redirect from https to plain http ({FeedFetchException.Redact(current)})");
        }
        if (await AddressGuard.RefusalAsync(current, options.AllowPrivateAddresses, cancellationToken) is { } refusal)
        {
            throw Fail(url, $"refused: {refusal}");
        }
    }

    private List<KeyValuePair<string, string>> ResolveHeaders(Uri url)
    {
        var resolved = new List<KeyValuePair<string, string>>(feed.Headers.Count);
        foreach (var (name, value) in feed.Headers)
        {
            if (!value.StartsWith("env:", StringComparison.Ordinal))
            {
                resolved.Add(new(name, value));
                continue;
            }
            var variable = value[4..];
            // The variable's name may be told; its value never is.
            var secret = options.Environment(variable);
            resolved.Add(new(name, string.IsNullOrEmpty(secret)
                ? throw Fail(url, $"header '{name}' reads the environment variable {variable}, which is not set")
                : secret));
        }
        return resolved;
    }

    private static void AddConditions(HttpRequestMessage request, FetchState? conditional)
    {
        if (conditional?.ETag is { } etag)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        }
        if (conditional?.LastModified is { } lastModified)
        {
            request.Headers.IfModifiedSince = lastModified;
        }
    }

    private TimeSpan Backoff(int failedAttempt)
    {
        var ceiling = Math.Min(options.RetryDelay.TotalMilliseconds * Math.Pow(2, failedAttempt - 1), options.MaxRetryDelay.TotalMilliseconds);
        // Half fixed, half random: feeds failing together (one upstream outage) do not retry in lockstep.
        var jitter = RandomNumberGenerator.GetInt32(0, 1001) / 1000.0;
        return TimeSpan.FromMilliseconds(ceiling / 2 + jitter * ceiling / 2);
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - options.TimeProvider.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private CountingStream CappedWire(Stream wire) =>
        new(wire, feed.MaxBytes, $"it grew past the feed's cap of {feed.MaxBytes:N0} bytes (max-bytes)", progress: null);

    private static bool IsHttp(Uri url) => url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps;

    private static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;
}

/// <summary>A complete answer: the body (null for 304 Not Modified), already within the cap, and its validators.</summary>
internal sealed class FeedResponse(HttpResponseHeaders headers, Stream? body, string? etag, DateTimeOffset? lastModified) : IDisposable
{
    public Stream? Body { get; } = body;

    public string? ETag => etag;

    public DateTimeOffset? LastModified => lastModified;

    public string? Header(string name) => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    public void Dispose() => Body?.Dispose();
}
