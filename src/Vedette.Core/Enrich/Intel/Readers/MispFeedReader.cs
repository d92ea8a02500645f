using System.Text.Json;
using Vedette.Domain;
using Vedette.Pipeline;
using Vedette.Serialization;

namespace Vedette.Enrich.Intel.Readers;

/// <summary>What reading a MISP feed produced, and the attributes it passed over on purpose (counted, not errors).</summary>
public sealed class MispReadResult
{
    private readonly Dictionary<string, int> _otherTypes = new(StringComparer.Ordinal);

    public FeedReadResult Feed { get; } = new();

    public int Events { get; internal set; }

    /// <summary>Every attribute of every event read, objects' attributes included.</summary>
    public int Attributes { get; internal set; }

    /// <summary>Attributes with to_ids false: context (reference links, comments, infrastructure seen in passing).</summary>
    public int NotForDetection { get; internal set; }

    /// <summary>Attributes marked for detection whose type holds no observable (mutex, regkey, link, ...), per type.</summary>
    public IReadOnlyDictionary<string, int> OtherTypes => _otherTypes;

    internal void CountOtherType(string type) => _otherTypes[type] = _otherTypes.GetValueOrDefault(type) + 1;
}

/// <summary>
/// A MISP feed folder (manifest.json naming one "&lt;uuid&gt;.json" per event), a single event file ({"Event": ...}),
/// or an array of them. Only attributes with to_ids true become indicators: to_ids is how a MISP analyst says
/// "alert on this"; the others are counted in <see cref="MispReadResult.NotForDetection"/>. A composite value
/// ("filename|sha256") gives one indicator per part. Tags: the event's tags, the attribute's tags and its category.
/// FirstSeen and LastSeen: the attribute's first_seen and last_seen, else its timestamp.
/// </summary>
/// <remarks>
/// Each event file is parsed whole (within the feed's byte cap): an event's tags apply to all its attributes and
/// may come after them, so no attribute is complete before the event is. A cut-off event file is an error and
/// gives no indicators; the other events are read.
/// </remarks>
public sealed class MispFeedReader : IFeedReader
{
    public FeedKind Kind => FeedKind.Misp;

    public async Task<FeedReadResult> ReadAsync(IFeedLocation location, FeedDefinition feed, ErrorReport errors, CancellationToken cancellationToken) =>
        (await ReadEventsAsync(location, feed, errors, cancellationToken)).Feed;

    public static async Task<MispReadResult> ReadEventsAsync(IFeedLocation location, FeedDefinition feed, ErrorReport errors, CancellationToken cancellationToken)
    {
        var result = new MispReadResult();
        var problems = new FeedProblems(feed, location, errors, result.Feed);
        var eventFiles = new List<string>();
        await FeedDocuments.ReadJsonAsync(location, arrayProperty: null, feed, problems, (root, _) => ReadMain(root, problems.Origin, result, problems, eventFiles), cancellationToken);
        foreach (var file in eventFiles)
        {
            var origin = problems.OriginOf(file);
            try
            {
                await using var stream = await location.OpenRelativeAsync(file, cancellationToken);
                await FeedDocuments.ReadJsonAsync(stream, file, arrayProperty: null, feed, problems, (root, _) => ReadEventFile(root, origin, result, problems), cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                // The event's indicators were not reached: the feed is not read to its end.
                problems.Fail(file, 0, $"the manifest names an event file that cannot be read: {ex.Message}");
            }
        }
        return result;
    }

    private static void ReadMain(JsonElement root, string origin, MispReadResult result, FeedProblems problems, List<string> eventFiles)
    {
        if (root.ValueKind == JsonValueKind.Array || root.TryGetProperty("Event"u8, out _) || root.TryGetProperty("response"u8, out _))
        {
            ReadEventFile(root, origin, result, problems);
            return;
        }
        // A manifest: event UUID -> summary. The UUID is all we need, and checking it keeps names like "../x" out.
        foreach (var entry in root.EnumerateObject())
        {
            if (Guid.TryParse(entry.Name, out var uuid))
            {
                eventFiles.Add($"{uuid:D}.json");
            }
            else
            {
                problems.Reject(origin, 0, $"manifest entry '{FeedValues.Shorten(entry.Name)}' is not an event UUID");
            }
        }
    }

    /// <summary>{"Event": ...}, an array of those, or a MISP API answer {"response": [...]}.</summary>
    private static void ReadEventFile(JsonElement root, string origin, MispReadResult result, FeedProblems problems)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("response"u8, out var response))
        {
            root = response;
        }
        if (root.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in root.EnumerateArray())
            {
                ReadEventFile(item, origin, result, problems);
            }
            return;
        }
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Event"u8, out var misp) || misp.ValueKind != JsonValueKind.Object)
        {
            problems.Reject(origin, 0, "not a MISP event: no \"Event\" object");
            return;
        }
        result.Events++;
        try
        {
            ReadEvent(misp, origin, result, problems);
        }
        catch (JsonException ex)
        {
            problems.Reject(origin, 0, $"event {JsonFields.OptionalString(misp, "uuid"u8)}: {ex.Message}");
        }
    }

    private static void ReadEvent(JsonElement misp, string origin, MispReadResult result, FeedProblems problems)
    {
        var eventTags = new List<string>();
        AddTags(eventTags, misp);
        foreach (var attribute in JsonFields.Array(misp, "Attribute"u8))
        {
            ReadAttribute(attribute, eventTags, origin, result, problems);
        }
        foreach (var mispObject in JsonFields.Array(misp, "Object"u8))
        {
            foreach (var attribute in JsonFields.Array(mispObject, "Attribute"u8))
            {
                ReadAttribute(attribute, eventTags, origin, result, problems);
            }
        }
    }

    private static void ReadAttribute(JsonElement attribute, List<string> eventTags, string origin, MispReadResult result, FeedProblems problems)
    {
        result.Attributes++;
        var name = "attribute";
        try
        {
            name = $"attribute {JsonFields.OptionalString(attribute, "uuid"u8) ?? $"#{result.Attributes}"}";
            var type = JsonFields.String(attribute, "type"u8);
            if (!IsForDetection(attribute))
            {
                result.NotForDetection++;
                return;
            }
            if (!MispAttributeTypes.TryGet(type, out var parts))
            {
                result.CountOtherType(type);
                return;
            }
            var value = JsonFields.String(attribute, "value"u8);
            var pieces = parts.Length == 1 ? [value] : value.Split('|');
            if (pieces.Length != parts.Length)
            {
                problems.Reject(origin, 0, $"{name}: a {type} value has {parts.Length} parts separated by '|', found '{FeedValues.Shorten(value)}'");
                return;
            }
            var template = Template(attribute, eventTags);
            for (var i = 0; i < parts.Length; i++)
            {
                if (parts[i] is not { } partType)
                {
                    continue;
                }
                if (MispAttributeTypes.TryParse(partType, pieces[i], out var observable, out var error))
                {
                    result.Feed.Indicators.Add(template with { Value = observable });
                }
                else
                {
                    problems.Reject(origin, 0, $"{name} ({type}): {error}");
                }
            }
        }
        catch (JsonException ex)
        {
            problems.Reject(origin, 0, $"{name}: {ex.Message}");
        }
    }

    private static FeedIndicator Template(JsonElement attribute, List<string> eventTags)
    {
        var tags = new List<string>(eventTags);
        AddTags(tags, attribute);
        if (JsonFields.OptionalString(attribute, "category"u8) is { Length: > 0 } category)
        {
            tags.Add($"category:{category}");
        }
        var timestamp = Time(attribute, "timestamp"u8);
        return new FeedIndicator(default(Observable))
        {
            FirstSeen = Time(attribute, "first_seen"u8) ?? timestamp,
            LastSeen = Time(attribute, "last_seen"u8) ?? timestamp,
            Tags = tags.Distinct(StringComparer.Ordinal).ToList(),
        };
    }

    // MISP writes to_ids as true/false; older exports and some tools write "1"/"0".
    private static bool IsForDetection(JsonElement attribute) =>
        attribute.TryGetProperty("to_ids"u8, out var toIds)
        && (toIds.ValueKind == JsonValueKind.True || (toIds.ValueKind == JsonValueKind.String && toIds.ValueEquals("1"u8)));

    private static void AddTags(List<string> tags, JsonElement owner)
    {
        foreach (var tag in JsonFields.Array(owner, "Tag"u8))
        {
            if (JsonFields.OptionalString(tag, "name"u8) is { Length: > 0 } tagName)
            {
                tags.Add(tagName);
            }
        }
    }

    /// <summary>An ISO 8601 time (first_seen, last_seen) or epoch seconds as a string or a number (timestamp).</summary>
    private static DateTimeOffset? Time(JsonElement attribute, ReadOnlySpan<byte> name)
    {
        if (JsonFields.IsAbsent(attribute, name, out var value))
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds))
        {
            return FeedValues.FromEpochSeconds(seconds);
        }
        if (value.ValueKind == JsonValueKind.String && FeedValues.TryParseTime(value.GetString()!, out var time))
        {
            return time;
        }
        throw JsonFields.Invalid(name, value.ToString());
    }
}
