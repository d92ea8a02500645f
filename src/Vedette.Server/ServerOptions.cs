using Vedette.Storage;

namespace Vedette.Server;

/// <summary>
/// How `vedette serve` runs: where it listens, how much it accepts, how long sessions last. Read from the
/// `Vedette` section of the configuration file (<c>--config</c>), then overridden by command-line options.
/// </summary>
public sealed record ServerOptions
{
    /// <summary>Where Kestrel listens (semicolon-separated; https URLs need a certificate configured under Kestrel).</summary>
    public string Urls { get; init; } = "http://127.0.0.1:8080";

    /// <summary>
    /// Where the Prometheus scrape endpoint /metrics listens on its own (semicolon-separated, e.g. http://127.0.0.1:9464):
    /// there it needs no credentials and serves nothing else, and the main address no longer serves it. Null: /metrics
    /// is on the main address and needs a viewer's token.
    /// </summary>
    public string? MetricsUrls { get; init; }

    /// <summary>Largest request body, after gzip decoding for ingest: 413 beyond.</summary>
    public long MaxRequestBytes { get; init; } = 16L << 20;

    /// <summary>
    /// Bytes of accepted NDJSON that may be on their way through the pipeline at once. A request that would go past it
    /// waits for nothing: it gets 429 with Retry-After, so memory stays bounded whatever clients send.
    /// </summary>
    public long IngestQueueBytes { get; init; } = 64L << 20;

    /// <summary>Requests that may be reading their body at once (each holds up to <see cref="MaxRequestBytes"/>); 429 beyond.</summary>
    public int IngestReaders { get; init; } = 8;

    /// <summary>What 429 answers tell clients to wait, in seconds.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>A console session ends after this long without a request.</summary>
    public TimeSpan SessionIdleTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>A console session ends this long after sign-in, however active.</summary>
    public TimeSpan SessionAbsoluteTimeout { get; init; } = TimeSpan.FromHours(12);

    /// <summary>Feeds configuration (YAML, see docs/guide/intel.md); feeds with a schedule are updated while the server runs.</summary>
    public string? FeedsConfig { get; init; }

    /// <summary>Allow feed URLs on private and loopback addresses.</summary>
    public bool AllowPrivateFeeds { get; init; }

    /// <summary>WebAuthn relying party id: the host name the console is served on (passkeys are bound to it).</summary>
    public string PasskeyDomain { get; init; } = "localhost";

    /// <summary>Origins the browser may report in passkey ceremonies (scheme://host[:port]).</summary>
    public IReadOnlyList<string> PasskeyOrigins { get; init; } = ["http://localhost:8080", "https://localhost:8080"];

    /// <summary>The name shown for the server in authenticator apps and passkey prompts.</summary>
    public string ServerName { get; init; } = "Vedette";

    /// <summary>The host name written into the events the server raises about itself (sign-in failures).</summary>
    public string HostName { get; init; } = Environment.MachineName;

    /// <summary>Retention policy per data class and how often to apply it; none (every class kept) leaves the job off.</summary>
    public RetentionConfig? Retention { get; init; }
}
