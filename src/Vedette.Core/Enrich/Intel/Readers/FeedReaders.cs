namespace Vedette.Enrich.Intel.Readers;

/// <summary>The reader for each feed format. Readers hold no state, so one of each serves every feed.</summary>
public static class FeedReaders
{
    private static readonly StixBundleReader Stix = new();
    private static readonly MispFeedReader Misp = new();
    private static readonly CsvFeedReader Csv = new();
    private static readonly ListFeedReader List = new();
    private static readonly SpamhausReader Spamhaus = new();
    private static readonly AbuseIpDbReader AbuseIpDb = new();

    /// <summary>The reader of a kind; a TAXII collection reaches its reader as one STIX bundle, so TAXII reads as STIX.</summary>
    public static IFeedReader For(FeedKind kind) => kind switch
    {
        FeedKind.Stix or FeedKind.Taxii => Stix,
        FeedKind.Misp => Misp,
        FeedKind.Csv => Csv,
        FeedKind.List => List,
        FeedKind.Spamhaus => Spamhaus,
        FeedKind.AbuseIpDb => AbuseIpDb,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no reader for this feed kind"),
    };
}
