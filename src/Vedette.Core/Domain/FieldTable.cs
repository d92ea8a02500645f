using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Vedette.Domain;

/// <summary>
/// The fields of one event as read from JSON: names and where each value sits in a private copy of the record's
/// bytes (or, for a <see cref="Transient"/> table, in its reader's reused buffer). A value is decoded to a string
/// only when something asks for it, so a rule set that reads five of an event's forty fields pays for five
/// strings, not forty.
/// </summary>
public sealed class FieldTable
{
    private byte[] _json;
    private int _jsonLength;
    private Slot[] _slots;
    private int _count;
    private FieldValue?[]? _decoded;
    private List<(string Name, FieldValue Value)>? _derived;

    private bool _namesInterned;

    /// <summary>
    /// Bit (length mod 64) set for each name's length: rules try up to four spellings of a field (flat,
    /// Event.EventData., Event.System., winlog.event_data.) and most are absent, which would otherwise cost a pass
    /// over every name.
    /// </summary>
    private ulong _nameLengths;

    /// <param name="nameLengths">Bit (length mod 64) set for each slot's name length: the reader gathers it as it adds names.</param>
    internal FieldTable(byte[] json, Slot[] slots, int count, bool namesInterned, ulong nameLengths)
    {
        _json = json;
        _jsonLength = json.Length;
        _slots = slots;
        _count = count;
        _namesInterned = namesInterned;
        _nameLengths = nameLengths;
    }

    /// <summary>A table that its reader refills with each record (see <see cref="Transient"/>).</summary>
    private FieldTable()
    {
        _json = [];
        _slots = [];
        Transient = true;
    }

    /// <summary>
    /// Whether the reader reuses this table, and the buffers it points into, for its next record: the event is then
    /// valid until the reader reads again (<see cref="Event.Retain"/> keeps a copy). A fresh record's 2 KB copy
    /// and slot array, allocated for every event, cost more than a tenth of detection by streaming the cache.
    /// </summary>
    internal bool Transient { get; }

    /// <summary>Changes whenever a transient table's contents are about to be replaced; events compare it to what they were built with.</summary>
    internal int Generation { get; private set; }

    internal static FieldTable Reusable() => new();

    /// <summary>Marks the contents stale: the reader is about to overwrite the buffers this table points into.</summary>
    internal void Invalidate() => Generation++;

    /// <summary>Points the transient table at the reader's buffers for a new record, forgetting what was decoded and derived.</summary>
    internal void Refill(byte[] json, int jsonLength, Slot[] slots, int count, bool namesInterned, ulong nameLengths)
    {
        if (_decoded is not null)
        {
            if (_decoded.Length < count)
            {
                _decoded = null;
            }
            else
            {
                Array.Clear(_decoded, 0, Math.Min(_count, _decoded.Length));
            }
        }
        _derived?.Clear();
        _json = json;
        _jsonLength = jsonLength;
        _slots = slots;
        _count = count;
        _namesInterned = namesInterned;
        _nameLengths = nameLengths;
    }

    /// <summary>A table that owns copies of everything this one points at, values decoded so far included.</summary>
    internal FieldTable Copy()
    {
        var copy = new FieldTable(Json.ToArray(), _slots[.._count], _count, _namesInterned, _nameLengths);
        if (_decoded is not null)
        {
            copy._decoded = _decoded[.._count];
        }
        if (_derived is not null)
        {
            copy._derived = [.. _derived];
        }
        return copy;
    }

    public int Count => _count + (_derived?.Count ?? 0);

    /// <summary>The record as it arrived (what a keyword prefilter can scan without decoding every value).</summary>
    internal ReadOnlySpan<byte> Json => _json.AsSpan(0, _jsonLength);

    public string NameAt(int index) => index < _count ? _slots[index].Name : _derived![index - _count].Name;

    public FieldValue ValueAt(int index)
    {
        if (index >= _count)
        {
            return _derived![index - _count].Value;
        }
        _decoded ??= new FieldValue?[_count];
        return _decoded[index] ??= Decode(in _slots[index]);
    }

    /// <summary>Adds a field the record did not carry but ingest worked out (sshd's user and address); replaces one of the same name.</summary>
    public void AddDerived(string name, FieldValue value)
    {
        _derived ??= [];
        var existing = _derived.FindIndex(d => d.Name == name);
        if (existing >= 0)
        {
            _derived[existing] = (name, value);
        }
        else
        {
            _derived.Add((string.IsInterned(name) ?? name, value));
        }
    }

    /// <summary>
    /// Finds a field by name. Field names are interned where rules name them, so a reference comparison finds them
    /// first; an ordinal comparison catches names built at run time.
    /// </summary>
    public bool TryGet(string name, out FieldValue value) => TryGet(name, interned: false, out value);

    /// <summary>
    /// Finds a field by a name the caller guarantees is the runtime's interned instance (compiled rules' field
    /// names): when every name of this record is interned too, a reference comparison alone decides.
    /// </summary>
    internal bool TryGet(string name, bool interned, out FieldValue value)
    {
        var hint = -1;
        return TryGet(name, interned, ref hint, out value);
    }

    /// <summary>
    /// As above, starting at the slot where the name was found last time (<paramref name="hint"/>, updated):
    /// records of one kind put their fields in one order, so a caller that asks for the same name of every record
    /// usually finds it there without a pass over the names. The hint is only a guess and may be shared.
    /// </summary>
    internal bool TryGet(string name, bool interned, ref int hint, out FieldValue value)
    {
        var index = IndexOf(name, interned, ref hint);
        if (index >= 0)
        {
            value = ValueAt(index);
            return true;
        }
        return TryGetDerived(name, out value);
    }

    /// <summary>
    /// Finds a field for a reader of its text as written (literal searches, the timestamp and event-id readers).
    /// A string not yet decoded whose only escapes
    /// are <c>\\</c> and <c>\"</c> comes back as written (<paramref name="written"/>, quotes stripped): a search for
    /// literals spelled the same way reads it without decoding, and most values it reads are never decoded at all.
    /// So does a number, whose token is its text. Anything else comes back as its value, and so do values shorter
    /// than <paramref name="minWritten"/> bytes.
    /// </summary>
    internal bool TryGetAsWritten(string name, int minWritten, out FieldValue value, out ReadOnlySpan<byte> written)
    {
        var hint = -1;
        return TryGetAsWritten(name, minWritten, ref hint, out value, out written);
    }

    /// <summary>As above, starting at the slot <paramref name="hint"/> (see <see cref="TryGet(string, bool, ref int, out FieldValue)"/>).</summary>
    internal bool TryGetAsWritten(string name, int minWritten, scoped ref int hint, out FieldValue value, out ReadOnlySpan<byte> written)
    {
        written = default;
        var index = IndexOf(name, interned: true, ref hint);
        if (index < 0)
        {
            return TryGetDerived(name, out value);
        }
        ref readonly var slot = ref _slots[index];
        // A number's text is its token; a string's is the token inside its quotes, when its escapes allow.
        var text = slot.Type switch
        {
            JsonTokenType.Number => _json.AsSpan(slot.Start, slot.Length),
            JsonTokenType.String => _json.AsSpan(slot.Start + 1, slot.Length - 2),
            _ => default,
        };
        if (text.Length >= Math.Max(minWritten, 1) && _decoded?[index] is null
            && (slot.Escapes is Escapes.None or Escapes.BackslashAndQuote || (slot.Escapes == Escapes.Unknown && OnlyBackslashAndQuoteEscapes(text))))
        {
            written = text;
            value = default;
            return true;
        }
        value = ValueAt(index);
        return true;
    }

    private static bool OnlyBackslashAndQuoteEscapes(ReadOnlySpan<byte> body)
    {
        var at = body.IndexOf((byte)'\\');
        while (at >= 0)
        {
            if (at + 1 >= body.Length || body[at + 1] is not ((byte)'\\' or (byte)'"'))
            {
                return false;
            }
            var next = body[(at + 2)..].IndexOf((byte)'\\');
            at = next < 0 ? -1 : at + 2 + next;
        }
        return true;
    }

    private int IndexOf(string name, bool interned, ref int hint)
    {
        if ((_nameLengths & (1UL << name.Length)) == 0)
        {
            return -1;
        }
        var slots = _slots;
        var guess = hint;
        if ((uint)guess < (uint)_count && ReferenceEquals(slots[guess].Name, name))
        {
            return guess;
        }
        for (var i = 0; i < _count; i++)
        {
            if (ReferenceEquals(slots[i].Name, name))
            {
                hint = i;
                return i;
            }
        }
        // Every name here is the runtime's interned instance: an interned name that did not match by reference is absent.
        if (!(interned && _namesInterned))
        {
            for (var i = 0; i < _count; i++)
            {
                if (string.Equals(slots[i].Name, name, StringComparison.Ordinal))
                {
                    return i;
                }
            }
        }
        return -1;
    }

    private bool TryGetDerived(string name, out FieldValue value)
    {
        if (_derived is not null)
        {
            foreach (var (derivedName, derivedValue) in _derived)
            {
                if (string.Equals(derivedName, name, StringComparison.Ordinal))
                {
                    value = derivedValue;
                    return true;
                }
            }
        }
        value = default;
        return false;
    }

    public bool Contains(string name) => TryGet(name, out _);

    /// <summary>Whether the field is present, by a name as in <see cref="TryGet(string, bool, out FieldValue)"/>, without decoding it.</summary>
    internal bool Has(string name, bool interned)
    {
        var hint = -1;
        return IndexOf(name, interned, ref hint) >= 0 || TryGetDerived(name, out _);
    }

    /// <summary>
    /// Writes the fields as one flat object with each value as the record wrote it, escapes and all, without
    /// decoding any: evidence for an alert. False, writing nothing, when ingest derived fields or a name repeats
    /// (the decoded form then decides which value stands).
    /// </summary>
    internal bool TryWriteAsWritten(Utf8JsonWriter writer)
    {
        if (_derived is { Count: > 0 })
        {
            return false;
        }
        var names = new HashSet<string>(_count, StringComparer.Ordinal);
        for (var i = 0; i < _count; i++)
        {
            if (!names.Add(_slots[i].Name))
            {
                return false;
            }
        }
        writer.WriteStartObject();
        for (var i = 0; i < _count; i++)
        {
            ref readonly var slot = ref _slots[i];
            writer.WritePropertyName(slot.Name);
            writer.WriteRawValue(_json.AsSpan(slot.Start, slot.Length), skipInputValidation: true);
        }
        writer.WriteEndObject();
        return true;
    }

    private FieldValue Decode(in Slot slot)
    {
        var token = _json.AsSpan(slot.Start, slot.Length);
        switch (slot.Type)
        {
            case JsonTokenType.String:
                return FieldValue.String(slot.Escaped ? Unescape(token) : Encoding.UTF8.GetString(token[1..^1]));
            case JsonTokenType.Number:
                return FieldValue.Number(Encoding.UTF8.GetString(token));
            case JsonTokenType.True:
                return FieldValue.Boolean(true);
            case JsonTokenType.False:
                return FieldValue.Boolean(false);
            case JsonTokenType.StartArray:
                return DecodeArray(token);
            default:
                return FieldValue.Null;
        }
    }

    /// <summary>
    /// Decodes an escaped JSON string token. Paths and command lines are full of <c>\\</c>, so this runs for most
    /// values a Windows rule reads: plain runs are transcoded in bulk and escapes decoded in place, where a
    /// Utf8JsonReader per value re-validated the token first. Anything unusual (a lone surrogate escape, invalid
    /// UTF-8) is left to the reader, so what is accepted and what throws stay the reader's.
    /// </summary>
    internal static string Unescape(ReadOnlySpan<byte> quoted)
    {
        var body = quoted[1..^1];
        char[]? rented = null;
        // Never more characters than bytes: a UTF-8 sequence or an escape becomes at most as many UTF-16 units.
        Span<char> chars = body.Length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(body.Length));
        try
        {
            return TryUnescape(body, chars, out var written) ? new string(chars[..written]) : UnescapeWithReader(quoted);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static bool TryUnescape(ReadOnlySpan<byte> body, Span<char> chars, out int written)
    {
        written = 0;
        var i = 0;
        while (true)
        {
            var next = body[i..].IndexOf((byte)'\\');
            var run = next < 0 ? body[i..] : body.Slice(i, next);
            if (Utf8.ToUtf16(run, chars[written..], out _, out var count, replaceInvalidSequences: false) != OperationStatus.Done)
            {
                return false;
            }
            written += count;
            if (next < 0)
            {
                return true;
            }
            i += next;
            if (i + 1 >= body.Length)
            {
                return false;
            }
            char c;
            switch (body[i + 1])
            {
                case (byte)'"': c = '"'; break;
                case (byte)'\\': c = '\\'; break;
                case (byte)'/': c = '/'; break;
                case (byte)'b': c = '\b'; break;
                case (byte)'f': c = '\f'; break;
                case (byte)'n': c = '\n'; break;
                case (byte)'r': c = '\r'; break;
                case (byte)'t': c = '\t'; break;
                case (byte)'u':
                    if (!TryHex(body, i + 2, out var unit) || char.IsLowSurrogate(unit))
                    {
                        return false;
                    }
                    if (char.IsHighSurrogate(unit))
                    {
                        if (i + 12 > body.Length || body[i + 6] != '\\' || body[i + 7] != 'u' || !TryHex(body, i + 8, out var low) || !char.IsLowSurrogate(low))
                        {
                            return false;
                        }
                        chars[written++] = unit;
                        chars[written++] = low;
                        i += 12;
                        continue;
                    }
                    chars[written++] = unit;
                    i += 6;
                    continue;
                default:
                    return false;
            }
            chars[written++] = c;
            i += 2;
        }
    }

    private static bool TryHex(ReadOnlySpan<byte> body, int at, out char unit)
    {
        // Exactly four hex digits: no sign, no white space (AllowHexSpecifier alone allows neither).
        unit = '\0';
        if (at + 4 > body.Length || !ushort.TryParse(body.Slice(at, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }
        unit = (char)value;
        return true;
    }

    private static string UnescapeWithReader(ReadOnlySpan<byte> quoted)
    {
        var reader = new Utf8JsonReader(quoted);
        reader.Read();
        return reader.GetString()!;
    }

    private static FieldValue DecodeArray(ReadOnlySpan<byte> array)
    {
        var reader = new Utf8JsonReader(array);
        reader.Read();
        var items = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    // Structured items carry no Sigma-addressable field; their JSON text keeps them searchable.
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    items.Add(Encoding.UTF8.GetString(array[start..(int)reader.BytesConsumed]));
                    break;
                case JsonTokenType.Null:
                    break;
                case JsonTokenType.String:
                    items.Add(reader.GetString()!);
                    break;
                default:
                    items.Add(Encoding.UTF8.GetString(reader.ValueSpan));
                    break;
            }
        }
        return FieldValue.List([.. items]);
    }

    /// <summary>
    /// Where one value sits: its full token (with quotes for strings) in the record's bytes, and which escapes a
    /// string holds, as far as the reader of the record knows.
    /// </summary>
    internal readonly record struct Slot(string Name, JsonTokenType Type, int Start, int Length, Escapes Escapes)
    {
        public bool Escaped => Escapes != Escapes.None;
    }

    internal enum Escapes : byte
    {
        None,

        /// <summary>Only <c>\\</c> and <c>\"</c>: what a literal search can read as written.</summary>
        BackslashAndQuote,

        /// <summary>Others too (<c>\n</c>, <c>\u00e9</c>, <c>\/</c>).</summary>
        Others,

        /// <summary>Escaped, which escapes not known (the record came through Utf8JsonReader).</summary>
        Unknown,
    }
}
