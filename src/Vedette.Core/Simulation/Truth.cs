using System.Globalization;
using System.Text.Json;
using Vedette.Domain;

namespace Vedette.Simulation;

/// <summary>Reads and writes the files that accompany simulated traffic: the scenarios' ground truth and the threat feed.</summary>
public static class Truth
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <summary>Writes <c>[{"id","kind","entities":["ipv4:203.0.113.7",...],"start","end"}]</c>, with '\n' line ends on every platform.</summary>
    public static void WriteTruth(Stream output, IReadOnlyList<ScenarioTruth> scenarios)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, NewLine = "\n" });
        json.WriteStartArray();
        foreach (var scenario in scenarios)
        {
            json.WriteStartObject();
            json.WriteString("id", scenario.Id);
            json.WriteString("kind", scenario.Kind);
            json.WriteStartArray("entities");
            foreach (var entity in scenario.Entities)
            {
                json.WriteStringValue(entity.ToString());
            }
            json.WriteEndArray();
            json.WriteString("start", scenario.Start.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
            json.WriteString("end", scenario.End.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    /// <summary>Reads what <see cref="WriteTruth"/> wrote; a malformed file fails with the entry and field at fault.</summary>
    public static IReadOnlyList<ScenarioTruth> ReadTruth(Stream input)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(input, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            throw new FormatException($"truth file is not valid JSON: {ex.Message}", ex);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("truth file must hold a JSON array of scenarios");
            }
            var scenarios = new List<ScenarioTruth>();
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                scenarios.Add(ReadScenario(element, index++));
            }
            return scenarios;
        }
    }

    /// <summary>Writes indicators one a line under a '#' comment header, as plain-list threat feeds are published.</summary>
    public static void WriteFeed(TextWriter writer, IEnumerable<string> indicators)
    {
        writer.Write("# Vedette simulated threat feed: one indicator a line (IPv4 address, domain or SHA-256).\n");
        writer.Write("# Synthetic: documentation address ranges and example domains, not real threats.\n");
        foreach (var indicator in indicators)
        {
            writer.Write(indicator);
            writer.Write('\n');
        }
    }

    private static ScenarioTruth ReadScenario(JsonElement element, int index)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"truth entry {index}: expected an object");
        }
        var entities = new List<Observable>();
        if (!element.TryGetProperty("entities", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"truth entry {index}: 'entities' must be an array");
        }
        foreach (var item in list.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString()! : "";
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0
                || !ObservableTypes.TryParse(text[..colon], out var type)
                || !Observable.TryParse(type, text[(colon + 1)..], out var observable, out var error))
            {
                throw new FormatException($"truth entry {index}: entity '{text}' is not 'type:value' with a known type and a valid value");
            }
            entities.Add(observable);
        }
        return new ScenarioTruth(
            RequiredString(element, "id", index),
            RequiredString(element, "kind", index),
            entities,
            RequiredTime(element, "start", index),
            RequiredTime(element, "end", index));
    }

    private static string RequiredString(JsonElement element, string name, int index) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"truth entry {index}: '{name}' must be a string");

    private static DateTimeOffset RequiredTime(JsonElement element, string name, int index) =>
        DateTimeOffset.TryParse(RequiredString(element, name, index), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new FormatException($"truth entry {index}: '{name}' is not an ISO-8601 time");
}
