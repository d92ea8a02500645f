using Vedette.Domain;

namespace Vedette.Enrich.Intel;

/// <summary>
/// One indicator as a feed states it, before indicators from all feeds are merged into a snapshot. Null fields are
/// what the feed did not say (the feed's configured defaults fill them in).
/// </summary>
public sealed record FeedIndicator(Observable Value)
{
    /// <summary>0–100: the feed's score or confidence for this indicator.</summary>
    public int? Score { get; init; }

    public DateTimeOffset? FirstSeen { get; init; }

    public DateTimeOffset? LastSeen { get; init; }

    /// <summary>When the feed says the indicator stops being valid (STIX valid_until).</summary>
    public DateTimeOffset? ValidUntil { get; init; }

    /// <summary>Withdrawn by its publisher (STIX revoked): kept so that a later revocation removes an earlier listing.</summary>
    public bool Revoked { get; init; }

    /// <summary>Malware family, ATT&amp;CK technique, threat type: free tags as the feed gives them.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Whether a listed domain also covers its subdomains (per feed; the default is yes).</summary>
    public bool MatchSubdomains { get; init; } = true;
}

/// <summary>The formats Vedette reads.</summary>
public enum FeedKind
{
    /// <summary>STIX 2.1 bundle (JSON) with indicator objects and patterns.</summary>
    Stix,

    /// <summary>MISP feed folder (manifest.json + one file per event) or a single MISP event file.</summary>
    Misp,

    /// <summary>CSV with a configurable column mapping (abuse.ch Feodo, URLhaus, ThreatFox exports).</summary>
    Csv,

    /// <summary>One value per line with comments: FireHOL netsets, IPsum, plain block lists.</summary>
    List,

    /// <summary>Spamhaus DROP / ASN-DROP JSON lines with the trailing metadata record.</summary>
    Spamhaus,

    /// <summary>AbuseIPDB blacklist API response.</summary>
    AbuseIpDb,

    /// <summary>A TAXII 2.1 collection (objects are STIX).</summary>
    Taxii,
}

/// <summary>What reading one feed produced: its indicators, and what the feed itself says it holds, to check against.</summary>
public sealed class FeedReadResult
{
    public List<FeedIndicator> Indicators { get; } = [];

    /// <summary>Records the feed declared (Spamhaus' metadata line, a netset's "Entries" header), when it declares any.</summary>
    public long? DeclaredRecords { get; set; }

    /// <summary>Entries read but not usable (reported to the error report with their position).</summary>
    public int Rejected { get; set; }

    /// <summary>
    /// Why the feed could not be read to its end (cut off, not JSON, over the size cap), or null. An update whose read
    /// failed changes nothing: a half-read feed would silently drop the indicators it did not reach.
    /// </summary>
    public string? Failure { get; set; }
}
