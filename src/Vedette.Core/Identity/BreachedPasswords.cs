using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Vedette.Identity;

public enum BreachStatus
{
    NotFound,
    Found,

    /// <summary>The service could not answer (network, status, malformed or oversized reply); <see cref="BreachCheckResult.Error"/> says why.</summary>
    Unavailable,
}

public sealed record BreachCheckResult(BreachStatus Status, long Count = 0, string? Error = null);

/// <summary>Asks whether a password is known from data breaches.</summary>
public interface IBreachedPasswordCheck
{
    Task<BreachCheckResult> CheckAsync(string password, CancellationToken cancellationToken);
}

/// <summary>
/// The k-anonymity range API of a breached-password service (Have I Been Pwned's shape): only the first five hex
/// characters of the password's SHA-1 leave the machine (<c>GET {base}/range/{prefix}</c>), and the reply lists the
/// suffixes that share them with their breach counts; the match is made here. Padding is requested so that the reply's
/// size does not hint at the prefix. Off unless configured.
/// </summary>
public sealed class RangeBreachedPasswordCheck(HttpClient http, Uri baseAddress) : IBreachedPasswordCheck
{
    /// <summary>A real reply is a few dozen KiB; anything far larger is refused rather than read.</summary>
    public const int MaxReplyBytes = 4 * 1024 * 1024;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    public async Task<BreachCheckResult> CheckAsync(string password, CancellationToken cancellationToken)
    {
        // SHA-1 because the range API is keyed by it; it protects nothing here and is never used to store a password.
#pragma warning disable CA5350
        var digest = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(password)));
#pragma warning restore CA5350
        var prefix = digest[..5];
        var suffix = digest.AsMemory(5);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, $"range/{prefix}"));
            request.Headers.Add("Add-Padding", "true");
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Vedette", "1.0"));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return new BreachCheckResult(BreachStatus.Unavailable, Error: $"the range service answered {(int)response.StatusCode}");
            }
            if (response.Content.Headers.ContentLength > MaxReplyBytes)
            {
                return new BreachCheckResult(BreachStatus.Unavailable, Error: "the range service's reply is too large");
            }
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            using var reader = new StreamReader(new LimitedStream(body, MaxReplyBytes), Encoding.ASCII);
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0 || !line.AsSpan(0, colon).Equals(suffix.Span, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }
                // Padding entries carry a count of 0: they are not breaches.
                return long.TryParse(line.AsSpan(colon + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
                    ? new BreachCheckResult(BreachStatus.Found, count)
                    : new BreachCheckResult(BreachStatus.NotFound);
            }
            return new BreachCheckResult(BreachStatus.NotFound);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new BreachCheckResult(BreachStatus.Unavailable, Error: $"the range service did not answer within {Timeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return new BreachCheckResult(BreachStatus.Unavailable, Error: ex.Message);
        }
    }

    /// <summary>Reads at most a given number of bytes, then fails: a reply is never buffered past the cap.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            return _read > limit ? throw new IOException($"the reply exceeds {limit} bytes") : read;
        }
    }
}
