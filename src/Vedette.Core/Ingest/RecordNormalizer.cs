using Vedette.Domain;

namespace Vedette.Ingest;

/// <summary>
/// Recognises the log shapes Vedette ingests — Windows (flat NXLog/OTRF and nested evtx JSON), syslog-in-JSON with
/// sshd decoding, DNS and proxy logs, Suricata EVE, and external alerts — and turns one line into an event.
/// Not thread-safe: one per worker (it interns field names).
/// </summary>
public sealed class RecordNormalizer
{
    private static readonly string[] TimestampFields =
        ["@timestamp", "timestamp", "TimeCreated", "EventTime", "Event.System.TimeCreated.#attributes.SystemTime", "Event.System.TimeCreated.SystemTime", "time"];

    private readonly JsonFlattener _flattener;
    private readonly TimeProvider _time;

    /// <param name="reuseBuffers">
    /// Read every record into the same buffers: each event is then valid only until the next call, and anything
    /// that keeps one must keep <see cref="Event.Retain"/>'s copy (using a stale event throws). For callers that
    /// detect on each event before reading the next; it spares a 2 KB allocation per record.
    /// </param>
    public RecordNormalizer(TimeProvider time, bool reuseBuffers = false)
    {
        _time = time;
        _flattener = new JsonFlattener(reuseBuffers);
    }

    /// <summary>Normalizes one line; throws <see cref="FormatException"/> with a message fit to show next to the line reference.</summary>
    public NormalizedRecord Normalize(ReadOnlySpan<byte> line, RecordRef reference)
    {
        // The JSON reader does not check UTF-8 inside strings it does not decode, and values are decoded lazily:
        // the flattener's check (its scanner's pass, or a full validation for records beyond ASCII) is what
        // guarantees that no invalid byte reaches a rule or the store.
        var fields = _flattener.ReadValidUtf8(line);
        var timestamp = FindTimestamp(fields);

        if (Find(fields, "event_type", out var eventType) && (Has(fields, "flow_id") || Has(fields, "alert.signature_id")))
        {
            var host = Text(fields, "host");
            var suricata = new Event(timestamp, "suricata", host, fields, reference);
            var isAlert = string.Equals(eventType.Text, "alert", StringComparison.Ordinal);
            return new NormalizedRecord(suricata, isAlert ? ExternalAlerts.FromEve(suricata, _time) : null);
        }
        if (Find(fields, "kind", out var kind) && string.Equals(kind.Text, "alert", StringComparison.OrdinalIgnoreCase))
        {
            var host = Text(fields, "host");
            var external = new Event(timestamp, Text(fields, "producer") ?? "external", host, fields, reference);
            return new NormalizedRecord(external, ExternalAlerts.FromVedetteShape(external, _time));
        }
        if (Has(fields, "EventID") && (Has(fields, "Channel") || Has(fields, "SourceName")))
        {
            var host = Text(fields, "Hostname") ?? Text(fields, "Computer") ?? Text(fields, "host");
            return new NormalizedRecord(new Event(timestamp, "windows", host, fields, reference), null);
        }
        if (Has(fields, "Event.System.EventID"))
        {
            return new NormalizedRecord(new Event(timestamp, "windows", Text(fields, "Event.System.Computer"), fields, reference), null);
        }
        if (Find(fields, "winlog.event_id", out _))
        {
            var host = Text(fields, "host.name") ?? Text(fields, "winlog.computer_name");
            return new NormalizedRecord(new Event(timestamp, "windows", host, fields, reference), null);
        }
        if (Find(fields, "program", out var program) && program.Text is { } programName)
        {
            if (programName.StartsWith("sshd", StringComparison.Ordinal) && Text(fields, "message") is { } message)
            {
                SshdMessage.AddFields(message, fields.AddDerived);
            }
            return new NormalizedRecord(new Event(timestamp, "linux", Text(fields, "host"), fields, reference), null);
        }
        var source = Text(fields, "source") ?? "json";
        return new NormalizedRecord(new Event(timestamp, source, Text(fields, "host") ?? Text(fields, "hostname"), fields, reference), null);
    }

    private DateTimeOffset FindTimestamp(FieldTable fields)
    {
        foreach (var name in TimestampFields)
        {
            if (!fields.TryGetAsWritten(name, minWritten: 1, out var value, out var written))
            {
                continue;
            }
            // The common spelling straight from the record's bytes: no string for a field rules seldom read.
            if (!written.IsEmpty && Timestamps.TryParseUtcIso(written, out var fromBytes))
            {
                return fromBytes;
            }
            if (!written.IsEmpty)
            {
                fields.TryGet(name, interned: true, out value);
            }
            if (value.Text is { } text)
            {
                if (Timestamps.TryParse(text, out var timestamp))
                {
                    return timestamp;
                }
                throw new FormatException($"field '{name}' holds '{Shorten(text)}', which is not a timestamp");
            }
        }
        // A record without a time of its own happened when it arrived.
        return _time.GetUtcNow();
    }

    internal static string? Text(FieldTable fields, string name) =>
        Find(fields, name, out var value) && !string.IsNullOrEmpty(value.Text) ? value.Text : null;

    // The names asked for here are literals, which the runtime interns, as the flattener interns the record's
    // names: a reference comparison decides, without an ordinal pass over every field for each absent name.
    private static bool Find(FieldTable fields, string literal, out FieldValue value) => fields.TryGet(literal, interned: true, out value);

    private static bool Has(FieldTable fields, string literal) => fields.Has(literal, interned: true);

    internal static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}
