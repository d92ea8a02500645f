using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Vedette.Domain;

namespace Vedette.Serialization;

/// <summary>
/// The one JSON shape of alerts and incidents: what the store keeps, what the CLI prints with --format json and what
/// the API returns. Written and read by hand with Utf8JsonWriter/JsonElement so that no reflection runs on hot paths
/// and the field names stay stable whatever the C# names become.
/// </summary>
public static partial class DomainJson
{
    /// <summary>
    /// Writer options for the documents this class produces. Relaxed escaping keeps '+' in offsets and non-ASCII text
    /// readable; the output is JSON for programs and terminals, never inlined into HTML.
    /// </summary>
    public static JsonWriterOptions WriterOptions(bool indented = false) => new()
    {
        Indented = indented,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string ToJson(Alert alert, bool includeEvidence = true, bool indented = false) =>
        Write(writer => WriteAlert(writer, alert, includeEvidence), indented);

    public static string ToJson(Incident incident, bool indented = false) =>
        Write(writer => WriteIncident(writer, incident), indented);

    public static Alert ParseAlert(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ReadAlert(document.RootElement);
    }

    public static Incident ParseIncident(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ReadIncident(document.RootElement);
    }

    private static string Write(Action<Utf8JsonWriter> write, bool indented)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions(indented)))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteTransitions(Utf8JsonWriter writer, IReadOnlyList<Transition> transitions)
    {
        writer.WriteStartArray("transitions"u8);
        foreach (var t in transitions)
        {
            writer.WriteStartObject();
            writer.WriteString("from"u8, LifecycleNames.ToName(t.From));
            writer.WriteString("to"u8, LifecycleNames.ToName(t.To));
            JsonFields.WriteTime(writer, "at"u8, t.At);
            writer.WriteString("by"u8, t.By.Name);
            writer.WriteBoolean("system"u8, t.By.IsSystem);
            WriteVerdict(writer, t.Verdict);
            writer.WriteString("note"u8, t.Note);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static List<Transition> ReadTransitions(JsonElement json)
    {
        var transitions = new List<Transition>();
        foreach (var t in JsonFields.Array(json, "transitions"u8))
        {
            var by = new Actor(JsonFields.String(t, "by"u8), JsonFields.Boolean(t, "system"u8));
            transitions.Add(new Transition(
                ReadStatus(t, "from"u8), ReadStatus(t, "to"u8), JsonFields.Time(t, "at"u8), by, ReadVerdict(t), JsonFields.OptionalString(t, "note"u8)));
        }
        return transitions;
    }

    /// <summary>Status, verdict, assignee and version: the part of a work item the analyst workflow owns.</summary>
    private static void WriteWorkflow(Utf8JsonWriter writer, WorkItem item)
    {
        writer.WriteString("status"u8, LifecycleNames.ToName(item.Status));
        WriteVerdict(writer, item.Verdict);
        writer.WriteString("assignee"u8, item.Assignee);
        writer.WriteNumber("version"u8, item.Version);
    }

    private static void ReadWorkflow(JsonElement json, WorkItem item)
    {
        item.RestoreLifecycle(ReadStatus(json, "status"u8), ReadVerdict(json), ReadTransitions(json), JsonFields.OptionalString(json, "assignee"u8));
        item.Version = JsonFields.Int32(json, "version"u8);
    }

    private static void WriteVerdict(Utf8JsonWriter writer, Verdict? verdict)
    {
        if (verdict is { } v)
        {
            writer.WriteString("verdict"u8, LifecycleNames.ToName(v));
        }
        else
        {
            writer.WriteNull("verdict"u8);
        }
    }

    private static CaseStatus ReadStatus(JsonElement json, ReadOnlySpan<byte> name)
    {
        var text = JsonFields.String(json, name);
        return LifecycleNames.TryParseStatus(text, out var status) ? status : throw JsonFields.Invalid(name, text);
    }

    private static Verdict? ReadVerdict(JsonElement json)
    {
        var text = JsonFields.OptionalString(json, "verdict"u8);
        if (text is null)
        {
            return null;
        }
        return LifecycleNames.TryParseVerdict(text, out var verdict) ? verdict : throw JsonFields.Invalid("verdict"u8, text);
    }

    private static Severity ReadSeverity(JsonElement json)
    {
        var text = JsonFields.String(json, "severity"u8);
        return SeverityNames.TryParse(text, out var severity) ? severity : throw JsonFields.Invalid("severity"u8, text);
    }

    private static void WriteObservable(Utf8JsonWriter writer, Observable observable)
    {
        writer.WriteString("type"u8, ObservableTypes.ToName(observable.Type));
        writer.WriteString("value"u8, observable.Value);
    }

    /// <summary>Values were canonical when written, so they are taken as they are rather than parsed again.</summary>
    private static Observable ReadObservable(JsonElement json)
    {
        var typeName = JsonFields.String(json, "type"u8);
        return ObservableTypes.TryParse(typeName, out var type)
            ? new Observable(type, JsonFields.String(json, "value"u8))
            : throw JsonFields.Invalid("type"u8, typeName);
    }

    private static void WriteObservables(Utf8JsonWriter writer, ReadOnlySpan<byte> name, List<Observable> observables)
    {
        writer.WriteStartArray(name);
        foreach (var observable in observables)
        {
            writer.WriteStartObject();
            WriteObservable(writer, observable);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void ReadObservables(JsonElement json, ReadOnlySpan<byte> name, List<Observable> into)
    {
        foreach (var item in JsonFields.Array(json, name))
        {
            into.Add(ReadObservable(item));
        }
    }

    private static void WriteStrings(Utf8JsonWriter writer, ReadOnlySpan<byte> name, List<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }

    private static void ReadStrings(JsonElement json, ReadOnlySpan<byte> name, List<string> into)
    {
        foreach (var item in JsonFields.Array(json, name))
        {
            into.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw JsonFields.Invalid(name, item.GetRawText()));
        }
    }
}
