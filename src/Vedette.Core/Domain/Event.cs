using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Vedette.Domain;

/// <summary>Where a record came from, so that every error and every piece of evidence can name it: file and line, or request and line.</summary>
public readonly record struct RecordRef(string Origin, long Line)
{
    public override string ToString() => Line > 0 ? $"{Origin}:{Line}" : Origin;
}

public enum FieldKind : byte
{
    String,
    Number,
    Boolean,
    Null,
    List,
}

/// <summary>
/// One field value as the source wrote it. Numbers keep their text because Sigma compares them as written
/// ("4625" and 4625 are the same EventID); lists keep every item because a Sigma value matches any of them.
/// </summary>
public readonly struct FieldValue : IEquatable<FieldValue>
{
    private readonly object? _value;

    private FieldValue(object? value, FieldKind kind)
    {
        _value = value;
        Kind = kind;
    }

    public FieldKind Kind { get; }

    /// <summary>The scalar text; null for JSON null and for lists.</summary>
    public string? Text => _value as string;

    public IReadOnlyList<string> Items => _value as string[] ?? (_value is string s ? [s] : []);

    public bool IsNull => Kind == FieldKind.Null;

    public static FieldValue Null { get; } = new(null, FieldKind.Null);

    public static FieldValue String(string text) => new(text, FieldKind.String);

    public static FieldValue Number(string text) => new(text, FieldKind.Number);

    public static FieldValue Boolean(bool value) => new(value ? "true" : "false", FieldKind.Boolean);

    public static FieldValue List(string[] items) => new(items, FieldKind.List);

    public override string ToString() => Kind switch
    {
        FieldKind.Null => "null",
        FieldKind.List => "[" + string.Join(", ", (string[])_value!) + "]",
        _ => (string)_value!,
    };

    public bool Equals(FieldValue other) =>
        Kind == other.Kind && (Kind == FieldKind.List
            ? ((string[])_value!).AsSpan().SequenceEqual((string[])other._value!)
            : string.Equals(_value as string, other._value as string, StringComparison.Ordinal));

    public override bool Equals(object? obj) => obj is FieldValue other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, _value is string s ? s.GetHashCode(StringComparison.Ordinal) : 0);

    public static bool operator ==(FieldValue left, FieldValue right) => left.Equals(right);

    public static bool operator !=(FieldValue left, FieldValue right) => !left.Equals(right);
}

/// <summary>
/// One normalized log record. Field names are the source's own (Sigma rules are written against them);
/// nested objects are flattened to dotted paths (Event.EventData.Image), so mappings between log shapes are data.
/// </summary>
public sealed class Event
{
    private readonly FieldTable? _table;

    /// <summary>The table's generation when this event was built: a transient table that moved on makes the event stale.</summary>
    private readonly int _generation;
    private Dictionary<string, FieldValue>? _fields;

    public Event(DateTimeOffset timestamp, string source, string? host, Dictionary<string, FieldValue> fields, RecordRef reference)
    {
        Timestamp = timestamp;
        Source = source;
        Host = host;
        _fields = fields;
        Ref = reference;
    }

    /// <summary>An event whose values stay encoded until read (what ingest builds).</summary>
    public Event(DateTimeOffset timestamp, string source, string? host, FieldTable fields, RecordRef reference)
    {
        Timestamp = timestamp;
        Source = source;
        Host = host;
        _table = fields;
        _generation = fields.Generation;
        Ref = reference;
    }

    /// <summary>The field table, checked to still hold this event's record.</summary>
    private FieldTable? Table
    {
        get
        {
            var table = _table;
            return table is null || table.Generation == _generation ? table : throw Stale();
        }
    }

    private InvalidOperationException Stale() =>
        new($"the event from {Ref} was read into a reused buffer that has since moved on to another record: whoever keeps an event must call Retain()");

    /// <summary>
    /// This event, or a copy that owns its fields when it was read into a reader's reused buffers (see
    /// <c>RecordNormalizer</c>'s <c>reuseBuffers</c>): what anything keeping an event past the next read must hold.
    /// </summary>
    public Event Retain() =>
        Table is { Transient: true } table
            ? new Event(Timestamp, Source, Host, table.Copy(), Ref) { _fields = _fields }
            : this;

    /// <summary>When the event happened, by the source's clock.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The kind of log it came from: windows, linux, dns, proxy, suricata, ...</summary>
    public string Source { get; }

    public string? Host { get; }

    public RecordRef Ref { get; }

    /// <summary>The raw JSON of an event read by ingest; empty for events built from a dictionary.</summary>
    internal ReadOnlySpan<byte> RawJson => Table is { } table ? table.Json : default;

    /// <summary>What the detector already learned about this event while evaluating it (which literals its fields contain).</summary>
    internal object? DetectionState { get; set; }

    /// <summary>Every field, decoded. Lookups of single fields should use <see cref="TryGet"/>, which decodes only what it reads.</summary>
    public IReadOnlyDictionary<string, FieldValue> Fields => _fields ??= Materialize(Table!);

    public int FieldCount => Table?.Count ?? _fields!.Count;

    public bool TryGet(string name, out FieldValue value) =>
        Table is { } table ? table.TryGet(name, out value) : _fields!.TryGetValue(name, out value);

    /// <summary>Lookup by a name known to be interned (see <see cref="FieldTable"/>): the detection hot path.</summary>
    internal bool TryGetInterned(string name, ref int hint, out FieldValue value) =>
        Table is { } table ? table.TryGet(name, interned: true, ref hint, out value) : _fields!.TryGetValue(name, out value);

    /// <summary>
    /// Lookup by an interned name for a reader of the text as written: a string or number as written when the
    /// table can hand it over undecoded (see <see cref="FieldTable.TryGetAsWritten"/>), otherwise the value.
    /// </summary>
    internal bool TryGetAsWritten(string name, int minWritten, scoped ref int hint, out FieldValue value, out ReadOnlySpan<byte> written)
    {
        if (Table is { } table)
        {
            return table.TryGetAsWritten(name, minWritten, ref hint, out value, out written);
        }
        written = default;
        return _fields!.TryGetValue(name, out value);
    }

    /// <summary>The text of a scalar field, or null when absent, null or a list.</summary>
    public string? GetText(string name) => TryGet(name, out var value) ? value.Text : null;

    /// <summary>Calls <paramref name="visit"/> with every string value (keyword searches look at all of them).</summary>
    public void ForEachString<TState>(TState state, Action<TState, string> visit)
    {
        if (Table is { } table)
        {
            for (var i = 0; i < table.Count; i++)
            {
                if (table.ValueAt(i) is { Kind: FieldKind.String, Text: { } text })
                {
                    visit(state, text);
                }
            }
            return;
        }
        foreach (var (_, value) in _fields!)
        {
            if (value is { Kind: FieldKind.String, Text: { } text })
            {
                visit(state, text);
            }
        }
    }

    private static Dictionary<string, FieldValue> Materialize(FieldTable table)
    {
        var fields = new Dictionary<string, FieldValue>(table.Count, StringComparer.Ordinal);
        for (var i = 0; i < table.Count; i++)
        {
            fields[table.NameAt(i)] = table.ValueAt(i);
        }
        return fields;
    }

    /// <summary>The fields as one JSON object: what is kept as evidence behind an alert.</summary>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            if (Table is { } table && table.TryWriteAsWritten(writer))
            {
                writer.Flush();
                return Encoding.UTF8.GetString(buffer.WrittenSpan);
            }
            writer.WriteStartObject();
            foreach (var (name, value) in Fields)
            {
                writer.WritePropertyName(name);
                switch (value.Kind)
                {
                    case FieldKind.Null:
                        writer.WriteNullValue();
                        break;
                    case FieldKind.Boolean:
                        writer.WriteBooleanValue(value.Text == "true");
                        break;
                    case FieldKind.Number:
                        writer.WriteRawValue(value.Text!, skipInputValidation: true);
                        break;
                    case FieldKind.List:
                        writer.WriteStartArray();
                        foreach (var item in value.Items)
                        {
                            writer.WriteStringValue(item);
                        }
                        writer.WriteEndArray();
                        break;
                    default:
                        writer.WriteStringValue(value.Text);
                        break;
                }
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
