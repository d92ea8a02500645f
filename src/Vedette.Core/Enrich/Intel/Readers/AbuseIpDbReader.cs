using System.Text.Json;
using Vedette.Pipeline;
using Vedette.Serialization;

namespace Vedette.Enrich.Intel.Readers;

/// <summary>
/// The AbuseIPDB blacklist response, {"meta":{"generatedAt":...},"data":[{"ipAddress","countryCode",
/// "abuseConfidenceScore","lastReportedAt"}]}, streamed entry by entry: Score = abuseConfidenceScore, LastSeen =
/// lastReportedAt, tag "cc:XX" from countryCode. An error response ({"errors":[{"detail":...}]}) is reported as such.
/// </summary>
public sealed class AbuseIpDbReader : IFeedReader
{
    public FeedKind Kind => FeedKind.AbuseIpDb;

    public async Task<FeedReadResult> ReadAsync(IFeedLocation location, FeedDefinition feed, ErrorReport errors, CancellationToken cancellationToken)
    {
        var result = new FeedReadResult();
        var problems = new FeedProblems(feed, location, errors, result);
        await FeedDocuments.ReadJsonAsync(location, "data", feed, problems, (item, line) => ReadEntry(item, line, result, problems), cancellationToken);
        return result;
    }

    private static void ReadEntry(JsonElement item, long line, FeedReadResult result, FeedProblems problems)
    {
        try
        {
            if (item.ValueKind == JsonValueKind.Object && !item.TryGetProperty("ipAddress"u8, out _) && (item.TryGetProperty("data"u8, out _) || item.TryGetProperty("errors"u8, out _) || item.TryGetProperty("meta"u8, out _)))
            {
                // The whole response came back as one record: it has no "data" array.
                ReadResponseWithoutData(item, line, problems);
                return;
            }
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException($"expected a JSON object, found {item.ValueKind}");
            }
            var address = JsonFields.String(item, "ipAddress"u8);
            if (!FeedValues.TryParseAddress(address, out var observable, out var error))
            {
                problems.Reject(line, error);
                return;
            }
            int? score = JsonFields.IsAbsent(item, "abuseConfidenceScore"u8, out _) ? null : JsonFields.Int32(item, "abuseConfidenceScore"u8);
            if (score is { } value && !FeedValues.IsScore(value))
            {
                throw JsonFields.Invalid("abuseConfidenceScore"u8, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            var tags = JsonFields.OptionalString(item, "countryCode"u8) is { Length: > 0 } country ? new[] { $"cc:{country}" } : [];
            result.Indicators.Add(new FeedIndicator(observable)
            {
                Score = score,
                LastSeen = JsonFields.IsAbsent(item, "lastReportedAt"u8, out _) ? null : JsonFields.Time(item, "lastReportedAt"u8),
                Tags = tags,
            });
        }
        catch (JsonException ex)
        {
            problems.Reject(line, ex.Message);
        }
    }

    private static void ReadResponseWithoutData(JsonElement response, long line, FeedProblems problems)
    {
        var details = new List<string>();
        foreach (var error in JsonFields.Array(response, "errors"u8))
        {
            details.Add(error.ValueKind == JsonValueKind.Object && JsonFields.OptionalString(error, "detail"u8) is { } detail ? detail : error.ToString());
        }
        problems.Fail(null, line, details.Count > 0
            ? $"AbuseIPDB answered with errors: {string.Join("; ", details)}"
            : "not an AbuseIPDB blacklist: no \"data\" array");
    }
}
