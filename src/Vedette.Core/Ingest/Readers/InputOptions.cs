namespace Vedette.Ingest.Readers;

/// <summary>The caps and assumptions of <see cref="InputSource"/>: what one record, one archive entry and one syslog line may be.</summary>
public sealed record InputOptions
{
    public const int DefaultMaxRecordBytes = 1 << 20;
    public const int DefaultMaxDepth = 64;
    public const long DefaultMaxEntryBytes = 1L << 30;
    public const int DefaultMaxCompressionRatio = 200;

    /// <summary>
    /// The year given to RFC 3164 syslog timestamps, which carry none ("Dec 10 06:55:46"). Every such line of a run gets
    /// this year, so a log that crosses New Year steps back in time; the command line defaults it to the current UTC year.
    /// </summary>
    public required int SyslogYear { get; init; }

    /// <summary>
    /// When set (the year was not given, so it is the current one), a syslog timestamp that would fall more than a day
    /// after this moment belongs to the previous year: a December log read in January is last year's, as syslog
    /// daemons read it.
    /// </summary>
    public DateTimeOffset? SyslogNotAfter { get; init; }

    /// <summary>A longer record (line, JSON value) is reported and skipped; the rest of the file is read.</summary>
    public int MaxRecordBytes { get; init; } = DefaultMaxRecordBytes;

    /// <summary>A JSON record nested deeper is reported and skipped.</summary>
    public int MaxDepth { get; init; } = DefaultMaxDepth;

    /// <summary>An archive entry larger than this once decompressed is refused.</summary>
    public long MaxEntryBytes { get; init; } = DefaultMaxEntryBytes;

    /// <summary>
    /// An archive entry over 1 MiB that decompresses to more than this many times its compressed size is refused as a
    /// likely zip bomb. Real logs compress 10–60:1 (the OTRF datasets reach 61:1); DEFLATE's own maximum is about 1032:1.
    /// </summary>
    public int MaxCompressionRatio { get; init; } = DefaultMaxCompressionRatio;
}
