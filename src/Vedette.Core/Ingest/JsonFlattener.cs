using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Vedette.Domain;

namespace Vedette.Ingest;

/// <summary>
/// Reads one JSON object from UTF-8 bytes into flat fields: nested objects become dotted paths
/// (Event.EventData.Image), arrays stay whole and decode to lists. Values are not decoded here (see
/// <see cref="FieldTable"/>); names are, once: a stream of one log shape repeats its names in the same order, so
/// each position remembers the last name it saw and most names cost a byte comparison.
/// </summary>
public sealed class JsonFlattener
{
    public const int MaxDepth = 64;
    private const int MaxInternedNames = 16_384;
    private const int MaxFields = 4_096;

    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _nameLookup;
    private readonly List<(string? Parent, byte[] Leaf, string Name)> _lastAt = [];
    private readonly StringBuilder _path = new();
    private FieldTable.Slot[] _slots = new FieldTable.Slot[64];

    /// <summary>The record's name lengths as a mask (see <see cref="FieldTable"/>), gathered as names are added.</summary>
    private ulong _nameLengths;
    private readonly StopBits _stops = new();
    private readonly FlatNameCache _flatNames = new();

    /// <summary>The first name of the last flat record read: the guess for the next record's first.</summary>
    private FlatName? _firstName;
    private int _count;
    private int _property;
    private bool _uninternedSeen;

    /// <summary>The one table handed out for every record when the flattener reuses its buffers; null when each record gets its own.</summary>
    private readonly FieldTable? _reused;

    /// <summary>The copy of the record <see cref="_reused"/> points into.</summary>
    private byte[] _record = [];

    /// <param name="reuseTables">
    /// Hand out one transient table for every record (<see cref="FieldTable.Transient"/>): for a caller that is done
    /// with each event before it reads the next, or retains it with <see cref="Event.Retain"/>.
    /// </param>
    public JsonFlattener(bool reuseTables = false)
    {
        _nameLookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
        _reused = reuseTables ? FieldTable.Reusable() : null;
    }

    /// <summary>Reads a JSON object into a field table; throws <see cref="FormatException"/> with a position for anything else.</summary>
    public FieldTable Read(ReadOnlySpan<byte> json) => TryReadFlat(json) ? Table(json) : ReadWithReader(json);

    /// <summary>The general path, for any JSON; <see cref="Read"/> takes it for whatever the flat scanner does not recognise.</summary>
    internal FieldTable ReadWithReader(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth + 1, CommentHandling = JsonCommentHandling.Disallow });
        Begin();
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("expected a JSON object");
            }
            ReadObject(ref reader, null, 0);
            if (reader.Read())
            {
                throw new FormatException($"unexpected data after the JSON object at byte {reader.TokenStartIndex}");
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException($"malformed JSON at byte {ex.BytePositionInLine}: {FirstSentence(ex.Message)}", ex);
        }
        return Table(json);
    }

    private FieldTable Table(ReadOnlySpan<byte> json)
    {
        if (_reused is null)
        {
            return new(json.ToArray(), _slots[.._count], _count, namesInterned: !_uninternedSeen, _nameLengths);
        }
        if (_record.Length < json.Length)
        {
            _record = new byte[Math.Max(json.Length, _record.Length * 2)];
        }
        json.CopyTo(_record);
        _reused.Refill(_record, json.Length, _slots, _count, namesInterned: !_uninternedSeen, _nameLengths);
        return _reused;
    }

    /// <summary>Clears what the last record left, before reading another; an event on the reused table goes stale here.</summary>
    private void Begin()
    {
        _reused?.Invalidate();
        _count = 0;
        _property = 0;
        _uninternedSeen = false;
        _nameLengths = 0;
    }

    /// <summary>
    /// The common case, a flat object of scalars (OTRF, NXLog, most syslog-in-JSON), read without Utf8JsonReader:
    /// the reader's per-token checks were the largest single cost of detection. Anything this scanner does not fully
    /// recognise — a nested object, an escaped or long name, any syntax error — returns false and the
    /// reader reads the record from the start, so what is accepted and every error message stay the reader's.
    /// UTF-8 inside strings is not checked here, as the reader does not check it either (<see cref="ReadValidUtf8"/>
    /// checks each record once, for the normalizer).
    /// </summary>
    internal bool TryReadFlat(ReadOnlySpan<byte> json) => TryReadFlat(json, _stops.Mark(json));

    /// <summary>
    /// Reads a record that must be valid UTF-8, checking it on the way: the scanner's pass over the bytes shows
    /// whether they are all ASCII, which needs no further check (most records); others get the full validation.
    /// </summary>
    /// <exception cref="FormatException">Invalid UTF-8, with the offset of the first bad byte, before any JSON error.</exception>
    internal FieldTable ReadValidUtf8(ReadOnlySpan<byte> json)
    {
        var stops = _stops.Mark(json);
        if (!stops.AllAscii && !System.Text.Unicode.Utf8.IsValid(json))
        {
            throw new FormatException($"invalid UTF-8 at byte {InvalidUtf8Offset(json)}");
        }
        return TryReadFlat(json, stops) ? Table(json) : ReadWithReader(json);
    }

    private static int InvalidUtf8Offset(ReadOnlySpan<byte> line)
    {
        var status = System.Text.Unicode.Utf8.ToUtf16(line, new char[line.Length], out var read, out _, replaceInvalidSequences: false);
        return status == OperationStatus.Done ? line.Length : read;
    }

    private bool TryReadFlat(ReadOnlySpan<byte> json, StopBits stops)
    {
        Begin();
        var i = SkipWhitespace(json, 0);
        if (i >= json.Length || json[i] != '{')
        {
            return false;
        }
        i = SkipWhitespace(json, i + 1);
        if (i < json.Length && json[i] == '}')
        {
            return SkipWhitespace(json, i + 1) == json.Length;
        }
        FlatName? previous = null;
        var first = true;
        while (true)
        {
            if (i >= json.Length || json[i] != '"')
            {
                return Reset();
            }
            string name;
            int keyEnd;
            FlatName? current;
            if ((first ? _firstName : previous?.Next) is { } predicted && predicted.IsAt(json, i + 1))
            {
                // The name that followed the previous one last time, checked in place: a cached name has no
                // escapes, so equal bytes and a closing quote are the whole key.
                current = predicted;
                name = predicted.Name;
                keyEnd = i + predicted.Utf8.Length + 2;
            }
            else if (!TryScanString(json, i, stops, out keyEnd, out var keyEscapes) || keyEscapes != FieldTable.Escapes.None
                || keyEnd - i - 2 > 256 || !TryFlatName(json, i + 1, keyEnd - i - 2, out name, out current))
            {
                return Reset();
            }
            if (first)
            {
                _firstName = current;
                first = false;
            }
            else if (previous is not null && current is not null)
            {
                previous.Next = current;
            }
            previous = current;
            i = SkipWhitespace(json, keyEnd);
            if (i >= json.Length || json[i] != ':')
            {
                return Reset();
            }
            i = SkipWhitespace(json, i + 1);
            if (i >= json.Length)
            {
                return Reset();
            }
            int end;
            switch (json[i])
            {
                case (byte)'"':
                    if (!TryScanString(json, i, stops, out end, out var escapes))
                    {
                        return Reset();
                    }
                    Add(new FieldTable.Slot(name, JsonTokenType.String, i, end - i, escapes));
                    break;
                case (byte)'t':
                    if (!json[i..].StartsWith("true"u8))
                    {
                        return Reset();
                    }
                    end = i + 4;
                    Add(new FieldTable.Slot(name, JsonTokenType.True, i, 4, FieldTable.Escapes.None));
                    break;
                case (byte)'f':
                    if (!json[i..].StartsWith("false"u8))
                    {
                        return Reset();
                    }
                    end = i + 5;
                    Add(new FieldTable.Slot(name, JsonTokenType.False, i, 5, FieldTable.Escapes.None));
                    break;
                case (byte)'n':
                    if (!json[i..].StartsWith("null"u8))
                    {
                        return Reset();
                    }
                    end = i + 4;
                    Add(new FieldTable.Slot(name, JsonTokenType.Null, i, 4, FieldTable.Escapes.None));
                    break;
                case (byte)'[':
                    end = SkipArray(json, i);
                    if (end < 0)
                    {
                        return Reset();
                    }
                    Add(new FieldTable.Slot(name, JsonTokenType.StartArray, i, end - i, FieldTable.Escapes.None));
                    break;
                default:
                    end = ScanNumber(json, i);
                    if (end < 0)
                    {
                        return Reset();
                    }
                    Add(new FieldTable.Slot(name, JsonTokenType.Number, i, end - i, FieldTable.Escapes.None));
                    break;
            }
            i = SkipWhitespace(json, end);
            if (i >= json.Length)
            {
                return Reset();
            }
            if (json[i] == '}')
            {
                return SkipWhitespace(json, i + 1) == json.Length || Reset();
            }
            if (json[i] != ',')
            {
                return Reset();
            }
            i = SkipWhitespace(json, i + 1);
        }
    }

    /// <summary>
    /// An array stays whole and decodes to a list later, so only its end is needed here: the reader finds it, with
    /// the depth left to it under the record's object. -1 for anything the reader refuses.
    /// </summary>
    private static int SkipArray(ReadOnlySpan<byte> json, int start)
    {
        var reader = new Utf8JsonReader(json[start..], new JsonReaderOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            reader.Read();
            reader.Skip();
            return start + (int)reader.BytesConsumed;
        }
        catch (JsonException)
        {
            return -1;
        }
    }

    private bool Reset()
    {
        Begin();
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipWhitespace(ReadOnlySpan<byte> json, int i) =>
        // Most records have no whitespace between tokens: decide that without a call.
        (uint)i < (uint)json.Length && json[i] > (byte)' ' ? i : SkipWhitespaceRun(json, i);

    private static int SkipWhitespaceRun(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && json[i] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            i++;
        }
        return i;
    }

    /// <summary>
    /// Scans the string whose opening quote is at <paramref name="start"/>; <paramref name="end"/> is just past its
    /// closing quote. Accepts exactly the escapes the reader accepts, and says which it met.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryScanString(ReadOnlySpan<byte> json, int start, StopBits stops, out int end, out FieldTable.Escapes escapes)
    {
        // Most strings have no escape: their first stop is the closing quote.
        var first = stops.Next(start + 1);
        if ((uint)first < (uint)json.Length && json[first] == '"')
        {
            escapes = FieldTable.Escapes.None;
            end = first + 1;
            return true;
        }
        return TryScanEscapedString(json, start, stops, out end, out escapes);
    }

    /// <summary>
    /// The string with escapes (Windows paths: every <c>\\</c> is two stops). The stop bits are walked a word at a
    /// time, the word kept while the string stays in it: an escape's second character is cleared, not searched past.
    /// </summary>
    private static bool TryScanEscapedString(ReadOnlySpan<byte> json, int start, StopBits stops, out int end, out FieldTable.Escapes escapes)
    {
        escapes = FieldTable.Escapes.None;
        end = 0;
        var from = start + 1;
        var word = -1;
        ulong bits = 0;
        while (true)
        {
            // Stops before `from` (an escape's second character) are done with; a new word is loaded only when
            // `from` has left the current one.
            if (from >> 6 != word)
            {
                word = from >> 6;
                if (word >= stops.Words)
                {
                    return false;
                }
                bits = stops.Word(word);
            }
            bits &= ulong.MaxValue << (from & 63);
            while (bits == 0)
            {
                if (++word >= stops.Words)
                {
                    return false;
                }
                bits = stops.Word(word);
            }
            var i = (word << 6) + BitOperations.TrailingZeroCount(bits);
            if (json[i] == '"')
            {
                end = i + 1;
                return true;
            }
            if (json[i] != '\\' || i + 1 >= json.Length)
            {
                return false;
            }
            switch (json[i + 1])
            {
                case (byte)'"' or (byte)'\\':
                    escapes = escapes == FieldTable.Escapes.None ? FieldTable.Escapes.BackslashAndQuote : escapes;
                    from = i + 2;
                    break;
                case (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                    escapes = FieldTable.Escapes.Others;
                    from = i + 2;
                    break;
                // The reader checks only that four hex digits follow; surrogates are its business when the value is decoded.
                case (byte)'u' when i + 6 <= json.Length && IsHex(json[i + 2]) && IsHex(json[i + 3]) && IsHex(json[i + 4]) && IsHex(json[i + 5]):
                    escapes = FieldTable.Escapes.Others;
                    from = i + 6;
                    break;
                default:
                    return false;
            }
        }
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    /// <summary>JSON's number grammar; the index just past the number, or -1.</summary>
    private static int ScanNumber(ReadOnlySpan<byte> json, int i)
    {
        if (i < json.Length && json[i] == '-')
        {
            i++;
        }
        if (i >= json.Length)
        {
            return -1;
        }
        if (json[i] == '0')
        {
            i++;
        }
        else if (json[i] is >= (byte)'1' and <= (byte)'9')
        {
            i = SkipDigits(json, i + 1);
        }
        else
        {
            return -1;
        }
        if (i < json.Length && json[i] == '.')
        {
            var digits = SkipDigits(json, i + 1);
            if (digits == i + 1)
            {
                return -1;
            }
            i = digits;
        }
        if (i < json.Length && json[i] is (byte)'e' or (byte)'E')
        {
            i++;
            if (i < json.Length && json[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }
            var digits = SkipDigits(json, i);
            if (digits == i)
            {
                return -1;
            }
            i = digits;
        }
        return i;
    }

    private static int SkipDigits(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && json[i] is >= (byte)'0' and <= (byte)'9')
        {
            i++;
        }
        return i;
    }

    /// <summary>A top-level name (unescaped, at most 256 bytes) at json[start..(start + length)].</summary>
    /// <param name="cached">The cache's entry for the name; null when past the interning bound it is not cached.</param>
    private bool TryFlatName(ReadOnlySpan<byte> json, int start, int length, out string name, out FlatName? cached)
    {
        cached = _flatNames.Find(json, start, length);
        if (cached is not null)
        {
            name = cached.Name;
            return true;
        }
        var key = json.Slice(start, length);
        Span<char> chars = stackalloc char[key.Length];
        if (System.Text.Unicode.Utf8.ToUtf16(key, chars, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            name = "";
            return false;
        }
        name = InternChars(chars[..written]);
        // Past the interning bound a cached name would hide that this record's names are not all interned.
        if (_names.ContainsKey(name))
        {
            cached = _flatNames.Add(json, start, length, name);
        }
        return true;
    }

    /// <summary>Reads and decodes every field at once (tests and tools that want a dictionary).</summary>
    public Dictionary<string, FieldValue> Flatten(ReadOnlySpan<byte> json)
    {
        var table = Read(json);
        var fields = new Dictionary<string, FieldValue>(table.Count, StringComparer.Ordinal);
        for (var i = 0; i < table.Count; i++)
        {
            fields[table.NameAt(i)] = table.ValueAt(i);
        }
        return fields;
    }

    private void ReadObject(ref Utf8JsonReader reader, string? parent, int depth)
    {
        if (depth >= MaxDepth)
        {
            throw new FormatException($"JSON nested deeper than {MaxDepth} levels");
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = PropertyName(ref reader, parent);
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    ReadObject(ref reader, name, depth + 1);
                    break;
                case JsonTokenType.StartArray:
                    if (depth + 1 >= MaxDepth)
                    {
                        throw new FormatException($"JSON nested deeper than {MaxDepth} levels");
                    }
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    Add(new FieldTable.Slot(name, JsonTokenType.StartArray, start, (int)reader.BytesConsumed - start, FieldTable.Escapes.None));
                    break;
                case JsonTokenType.String:
                    var quoted = (int)reader.TokenStartIndex;
                    Add(new FieldTable.Slot(name, JsonTokenType.String, quoted, (int)reader.BytesConsumed - quoted, reader.ValueIsEscaped ? FieldTable.Escapes.Unknown : FieldTable.Escapes.None));
                    break;
                case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null:
                    Add(new FieldTable.Slot(name, reader.TokenType, (int)reader.TokenStartIndex, reader.ValueSpan.Length, FieldTable.Escapes.None));
                    break;
                default:
                    throw new FormatException($"unexpected {reader.TokenType} at byte {reader.TokenStartIndex}");
            }
        }
    }

    private void Add(FieldTable.Slot slot)
    {
        if (_count >= MaxFields)
        {
            throw new FormatException($"more than {MaxFields} fields in one record");
        }
        if (_count == _slots.Length)
        {
            Array.Resize(ref _slots, _slots.Length * 2);
        }
        _slots[_count++] = slot;
        _nameLengths |= 1UL << slot.Name.Length;
    }

    private string PropertyName(ref Utf8JsonReader reader, string? parent)
    {
        // The same position in the same shape of record almost always holds the same name.
        var index = _property++;
        if (!reader.ValueIsEscaped && !reader.HasValueSequence && index < _lastAt.Count)
        {
            var (lastParent, leaf, lastName) = _lastAt[index];
            if (ReferenceEquals(lastParent, parent) && reader.ValueSpan.SequenceEqual(leaf))
            {
                return lastName;
            }
        }
        var leafName = LeafName(ref reader);
        var name = parent is null ? leafName : Intern(_path.Clear().Append(parent).Append('.').Append(leafName).ToString());
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            var entry = (parent, reader.ValueSpan.ToArray(), name);
            if (index < _lastAt.Count)
            {
                _lastAt[index] = entry;
            }
            else if (_lastAt.Count < MaxFields)
            {
                _lastAt.Add(entry);
            }
        }
        return name;
    }

    private string LeafName(ref Utf8JsonReader reader)
    {
        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        if (length > 256 || reader.ValueIsEscaped)
        {
            return Intern(reader.GetString()!);
        }
        Span<char> chars = stackalloc char[length];
        var written = reader.CopyString(chars);
        return InternChars(chars[..written]);
    }

    /// <summary>The interned name spelled by <paramref name="chars"/>, allocating a string only for a name not seen yet.</summary>
    private string InternChars(ReadOnlySpan<char> chars) => _nameLookup.TryGetValue(chars, out var known) ? known : Intern(new string(chars));

    private string Intern(string name)
    {
        if (_names.TryGetValue(name, out var interned))
        {
            return interned;
        }
        // Hostile input with endless distinct names must not grow the table (or the runtime's pool) without bound.
        if (_names.Count >= MaxInternedNames)
        {
            _uninternedSeen = true;
            return name;
        }
        // The runtime's pool, where rules' field names are too: a field lookup then compares references only.
        var canonical = string.Intern(name);
        _names[canonical] = canonical;
        return canonical;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
