namespace Vedette.Enrich.Intel;

/// <summary>
/// One configured feed (a record of the feeds YAML file): what it is, where it comes from, when to fetch it, and the
/// defaults for what its records do not say.
/// </summary>
public sealed record FeedDefinition
{
    public required string Name { get; init; }

    public required FeedKind Kind { get; init; }

    /// <summary>A file or folder path, or an http(s) URL (for TAXII: the API root or collection URL).</summary>
    public required string Location { get; init; }

    /// <summary>Cron expression (five fields, UTC) for scheduled updates; null means "only when asked".</summary>
    public string? Schedule { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>Score of indicators the feed gives none (0–100).</summary>
    public int DefaultScore { get; init; } = 50;

    /// <summary>How long an indicator stays valid after the feed last listed it, when the feed gives no expiry.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>The score halves every this long since the indicator was last seen; null means no decay.</summary>
    public TimeSpan? HalfLife { get; init; }

    /// <summary>Whether a listed domain also matches its subdomains.</summary>
    public bool MatchSubdomains { get; init; } = true;

    /// <summary>Column mapping for CSV feeds.</summary>
    public CsvColumns? Csv { get; init; }

    /// <summary>TAXII collection id, when Location is the API root.</summary>
    public string? Collection { get; init; }

    /// <summary>Request headers (an API key); values of the form "env:NAME" are read from the environment, never written to logs.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Largest download accepted; a bigger response is refused and the previous indicators kept.</summary>
    public long MaxBytes { get; init; } = 256L << 20;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts after the first, with exponential backoff.</summary>
    public int Retries { get; init; } = 3;
}

/// <summary>
/// Which CSV column holds what (by header name, or by zero-based index when the file has no header). The value's
/// type is either fixed (Type) or read from a column (TypeColumn), e.g. ThreatFox's ioc_type.
/// </summary>
public sealed record CsvColumns
{
    public required string Value { get; init; }

    /// <summary>Fixed observable type of every value (ipv4, url, sha256, ...), or "auto" to recognise each value.</summary>
    public string Type { get; init; } = "auto";

    public string? TypeColumn { get; init; }

    public string? Score { get; init; }

    public string? FirstSeen { get; init; }

    public string? LastSeen { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public bool HasHeader { get; init; } = true;

    public char Delimiter { get; init; } = ',';

    /// <summary>Lines starting with this are comments (abuse.ch files start with '#').</summary>
    public string CommentPrefix { get; init; } = "#";
}

/// <summary>Where a feed's bytes come from: a file, a folder, a URL; and for feeds of several documents, the ones next to it.</summary>
public interface IFeedLocation
{
    /// <summary>The path or URL, for messages.</summary>
    string Name { get; }

    /// <summary>The feed's main document (for a MISP folder: manifest.json).</summary>
    Task<Stream> OpenAsync(CancellationToken cancellationToken);

    /// <summary>A document next to the main one (a MISP event file named in the manifest).</summary>
    Task<Stream> OpenRelativeAsync(string relative, CancellationToken cancellationToken);
}

/// <summary>Reads one feed format into indicators, reporting every unusable record with its position and going on.</summary>
public interface IFeedReader
{
    FeedKind Kind { get; }

    Task<FeedReadResult> ReadAsync(IFeedLocation location, FeedDefinition feed, Vedette.Pipeline.ErrorReport errors, CancellationToken cancellationToken);
}

/// <summary>A feed on the local disk: a file, or a folder whose main document is manifest.json.</summary>
public sealed class FileFeedLocation(string path) : IFeedLocation
{
    public string Name => path;

    public Task<Stream> OpenAsync(CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(File.OpenRead(Directory.Exists(path) ? Path.Combine(path, "manifest.json") : path));

    public Task<Stream> OpenRelativeAsync(string relative, CancellationToken cancellationToken)
    {
        var folder = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
        var full = Path.GetFullPath(Path.Combine(folder, relative));
        // A manifest naming "../../etc/passwd" must not read outside the feed's folder.
        if (!full.StartsWith(Path.GetFullPath(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: '{relative}' points outside the feed's folder");
        }
        return Task.FromResult<Stream>(File.OpenRead(full));
    }
}

/// <summary>Column mappings of the CSV exports SOCs load most, so that `--columns feodo` is all a user types.</summary>
public static class CsvPresets
{
    private static readonly Dictionary<string, CsvColumns> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        // abuse.ch Feodo Tracker ipblocklist.csv: first_seen_utc,dst_ip,dst_port,c2_status,last_online,malware
        ["feodo"] = new() { Value = "dst_ip", Type = "ipv4", FirstSeen = "first_seen_utc", LastSeen = "last_online", Tags = ["malware"] },
        // abuse.ch URLhaus csv: id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter
        ["urlhaus"] = new() { Value = "url", Type = "url", FirstSeen = "dateadded", LastSeen = "last_online", Tags = ["threat", "tags"] },
        // abuse.ch ThreatFox csv: first_seen_utc,ioc_id,ioc_value,ioc_type,threat_type,fk_malware,malware_alias,
        // malware_printable,last_seen_utc,confidence_level,reference,tags,anonymous,reporter
        ["threatfox"] = new()
        {
            Value = "ioc_value", TypeColumn = "ioc_type", FirstSeen = "first_seen_utc", LastSeen = "last_seen_utc",
            Score = "confidence_level", Tags = ["malware_printable", "threat_type", "tags"],
        },
    };

    public static IReadOnlyCollection<string> Names => Known.Keys;

    public static bool TryGet(string name, out CsvColumns columns) => Known.TryGetValue(name, out columns!);
}

/// <summary>A feed document held in memory: one the simulator wrote, or one pasted in; it has no documents next to it.</summary>
public sealed class MemoryFeedLocation(string name, ReadOnlyMemory<byte> content) : IFeedLocation
{
    public string Name => name;

    public Task<Stream> OpenAsync(CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new MemoryStream(content.ToArray(), writable: false));

    public Task<Stream> OpenRelativeAsync(string relative, CancellationToken cancellationToken) =>
        throw new InvalidDataException($"{name}: a document held in memory has no '{relative}' next to it");
}
