using System.Text.Json;
using Vedette.Domain;
using Vedette.Pipeline;
using Vedette.Serialization;

namespace Vedette.Enrich.Intel.Readers;

/// <summary>
/// Spamhaus DROP and ASN-DROP in their JSON-lines form: {"cidr","sblid","rir"} or {"asn","rir","domain","cc","asname"}
/// a line, closed by {"type":"metadata",...,"records":N}, whose N becomes <see cref="FeedReadResult.DeclaredRecords"/>.
/// Tags: "sblid:SBL123", "rir:arin", "asname:NAME". Each line is its own document, so a cut-off line is one error
/// and every line before it is kept; a list without its closing metadata line is cut off, which is the read's Failure.
/// </summary>
public sealed class SpamhausReader : IFeedReader
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = JsonRecordStream.MaxDepth };

    public FeedKind Kind => FeedKind.Spamhaus;

    public async Task<FeedReadResult> ReadAsync(IFeedLocation location, FeedDefinition feed, ErrorReport errors, CancellationToken cancellationToken)
    {
        var result = new FeedReadResult();
        var problems = new FeedProblems(feed, location, errors, result);
        await FeedDocuments.ReadLinesAsync(location, problems, errors, (line, number) => ReadLine(line, number, result, problems), cancellationToken);
        if (result.DeclaredRecords is null)
        {
            // Spamhaus closes every list with its metadata line: without it, the file was cut off on the way.
            problems.Fail(null, 0, "the closing metadata line is missing: the list is cut off");
        }
        return result;
    }

    private static void ReadLine(ReadOnlySpan<byte> line, long number, FeedReadResult result, FeedProblems problems)
    {
        try
        {
            var reader = new Utf8JsonReader(line, Options);
            using var document = JsonDocument.ParseValue(ref reader);
            if (line[(int)reader.BytesConsumed..].IndexOfAnyExcept(" \t"u8) is var extra and >= 0)
            {
                throw new JsonException($"unexpected data after the JSON object at byte {reader.BytesConsumed + extra}");
            }
            ReadRecord(document.RootElement, number, result, problems);
        }
        catch (JsonException ex)
        {
            var at = ex.BytePositionInLine is { } position ? $" at byte {position}" : "";
            problems.Reject(number, $"not a whole JSON record{at} (cut off or malformed): {ex.Message.Split(" LineNumber:")[0]}");
        }
    }

    private static void ReadRecord(JsonElement record, long number, FeedReadResult result, FeedProblems problems)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"expected a JSON object, found {record.ValueKind}");
        }
        if (JsonFields.OptionalString(record, "type"u8) == "metadata")
        {
            var records = JsonFields.Required(record, "records"u8);
            result.DeclaredRecords = records.ValueKind == JsonValueKind.Number && records.TryGetInt64(out var count) && count >= 0
                ? count
                : throw JsonFields.Invalid("records"u8, records.ToString());
            return;
        }
        Observable observable;
        string error;
        bool parsed;
        if (JsonFields.OptionalString(record, "cidr"u8) is { } cidr)
        {
            parsed = Observable.TryParse(ObservableType.Cidr, cidr, out observable, out error);
        }
        else if (!JsonFields.IsAbsent(record, "asn"u8, out var asn))
        {
            parsed = Observable.TryParse(ObservableType.Asn, asn.ToString(), out observable, out error);
        }
        else
        {
            throw new JsonException("a record has neither \"cidr\" nor \"asn\"");
        }
        if (!parsed)
        {
            problems.Reject(number, error);
            return;
        }
        var tags = new List<string>(3);
        AddTag(tags, record, "sblid"u8, "sblid:");
        AddTag(tags, record, "rir"u8, "rir:");
        AddTag(tags, record, "asname"u8, "asname:");
        result.Indicators.Add(new FeedIndicator(observable) { Tags = tags });
    }

    private static void AddTag(List<string> tags, JsonElement record, ReadOnlySpan<byte> name, string prefix)
    {
        if (JsonFields.OptionalString(record, name) is { Length: > 0 } value)
        {
            tags.Add(prefix + value);
        }
    }
}
