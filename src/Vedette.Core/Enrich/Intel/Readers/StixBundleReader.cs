using System.Text.Json;
using Vedette.Domain;
using Vedette.Pipeline;
using Vedette.Serialization;

namespace Vedette.Enrich.Intel.Readers;

/// <summary>
/// STIX 2.1 (and 2.0) indicators from a bundle, a TAXII envelope (a page of "objects"), a bare array of objects or a
/// single object, streamed object by object. Each "=" or "IN" comparison of a supported object path becomes an
/// indicator; every other part of a pattern is reported with the indicator's id, and the rest of the pattern is kept.
/// <see cref="FeedReadResult.DeclaredRecords"/> is the number of indicator objects read.
/// </summary>
/// <remarks>
/// AND (within or between observations) and FOLLOWEDBY combine comparisons into one condition the indicator store
/// cannot evaluate: it matches one value at a time. Each operand is kept as an indicator of its own, tagged
/// <see cref="ConjunctionTag"/>, so that an analyst sees a match stands for part of the pattern. Qualifiers
/// (WITHIN, REPEATS, START/STOP) are reported and the comparisons they qualify kept untagged: the value is what
/// matched, only the count or time window goes unchecked.
/// </remarks>
public sealed class StixBundleReader : IFeedReader
{
    /// <summary>The tag of an indicator that is one operand of an AND or FOLLOWEDBY pattern.</summary>
    public const string ConjunctionTag = "stix:and";

    public FeedKind Kind => FeedKind.Stix;

    public async Task<FeedReadResult> ReadAsync(IFeedLocation location, FeedDefinition feed, ErrorReport errors, CancellationToken cancellationToken)
    {
        var result = new FeedReadResult { DeclaredRecords = 0 };
        var problems = new FeedProblems(feed, location, errors, result);
        await FeedDocuments.ReadJsonAsync(location, "objects", feed, problems, (item, line) => ReadObject(item, line, result, problems), cancellationToken);
        return result;
    }

    private static void ReadObject(JsonElement item, long line, FeedReadResult result, FeedProblems problems)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            problems.Reject(line, $"a STIX object must be a JSON object, found {item.ValueKind}");
            return;
        }
        if (!item.TryGetProperty("type"u8, out var type) || !type.ValueEquals("indicator"u8))
        {
            return;
        }
        result.DeclaredRecords++;
        var id = item.TryGetProperty("id"u8, out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString()! : "indicator without an id";
        try
        {
            ReadIndicator(item, id, line, result, problems);
        }
        catch (JsonException ex)
        {
            problems.Reject(line, $"{id}: {ex.Message}");
        }
    }

    private static void ReadIndicator(JsonElement item, string id, long line, FeedReadResult result, FeedProblems problems)
    {
        var patternType = JsonFields.OptionalString(item, "pattern_type"u8) ?? "stix";
        if (!string.Equals(patternType, "stix", StringComparison.OrdinalIgnoreCase))
        {
            problems.Reject(line, $"{id}: pattern_type '{patternType}' is not read (only STIX patterns are)");
            return;
        }
        var template = Template(item);
        var pattern = JsonFields.String(item, "pattern"u8);
        StixPatternParts parts;
        try
        {
            parts = StixPattern.Parse(pattern);
        }
        catch (StixPatternException ex)
        {
            problems.Reject(line, $"{id}: the pattern does not parse at character {ex.Position} ({ex.Message}): {FeedValues.Shorten(pattern)}");
            return;
        }
        foreach (var qualifier in parts.Qualifiers)
        {
            var kept = qualifier == "FOLLOWEDBY" ? $"its operands are kept as indicators tagged {ConjunctionTag}" : "the comparisons it qualifies are kept";
            problems.Reject(line, $"{id}: '{qualifier}' is not evaluated; {kept}");
        }
        List<string>? conjunctionTags = null;
        foreach (var comparison in parts.Comparisons)
        {
            if (StixObjectPaths.Unsupported(comparison) is { } why)
            {
                problems.Reject(line, $"{id}: '{comparison.Text}' is not supported ({why}); the rest of the pattern is kept");
                continue;
            }
            var tags = template.Tags;
            if (comparison.InConjunction)
            {
                tags = conjunctionTags ??= [.. template.Tags, ConjunctionTag];
            }
            foreach (var value in comparison.Values)
            {
                if (StixObjectPaths.TryParse(comparison.Path, value, out var observable, out var error))
                {
                    result.Indicators.Add(template with { Value = observable, Tags = tags });
                }
                else
                {
                    problems.Reject(line, $"{id}: {error} in '{comparison.Text}'");
                }
            }
        }
    }

    /// <summary>What every indicator of one STIX indicator object shares; the value is filled in per comparison.</summary>
    private static FeedIndicator Template(JsonElement item)
    {
        var confidence = JsonFields.IsAbsent(item, "confidence"u8, out _) ? (int?)null : JsonFields.Int32(item, "confidence"u8);
        if (confidence is { } score && !FeedValues.IsScore(score))
        {
            throw new JsonException($"field 'confidence': {score} is not between 0 and 100");
        }
        var tags = new List<string>();
        AddStrings(tags, item, "labels"u8);
        AddStrings(tags, item, "indicator_types"u8);
        foreach (var phase in JsonFields.Array(item, "kill_chain_phases"u8))
        {
            tags.Add($"{JsonFields.String(phase, "kill_chain_name"u8)}:{JsonFields.String(phase, "phase_name"u8)}");
        }
        return new FeedIndicator(default(Observable))
        {
            Score = confidence,
            FirstSeen = OptionalTime(item, "valid_from"u8),
            LastSeen = OptionalTime(item, "modified"u8),
            ValidUntil = OptionalTime(item, "valid_until"u8),
            Revoked = !JsonFields.IsAbsent(item, "revoked"u8, out _) && JsonFields.Boolean(item, "revoked"u8),
            Tags = tags.Distinct(StringComparer.Ordinal).ToList(),
        };
    }

    private static DateTimeOffset? OptionalTime(JsonElement item, ReadOnlySpan<byte> name) =>
        JsonFields.IsAbsent(item, name, out _) ? null : JsonFields.Time(item, name);

    private static void AddStrings(List<string> tags, JsonElement item, ReadOnlySpan<byte> name)
    {
        foreach (var value in JsonFields.Array(item, name))
        {
            if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
            {
                tags.Add(text);
            }
        }
    }
}
