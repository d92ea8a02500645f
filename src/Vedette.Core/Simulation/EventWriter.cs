using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Vedette.Simulation;

internal enum WindowsLog
{
    Security,
    System,
    Sysmon,
}

/// <summary>
/// Writes events as NDJSON: one JSON object a line, '\n' between them. Records are built in a buffer and handed to
/// the stream in large blocks, so the stream sees a few writes rather than one per event.
/// </summary>
internal sealed class EventWriter : IDisposable
{
    private const int DrainThreshold = 64 * 1024;

    // Relaxed escaping keeps Windows command lines readable ("2^>^&1", not "2^\u003E^\u00261"); the output is never embedded in HTML.
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly Stream _output;
    private readonly ArrayBufferWriter<byte> _buffer = new(DrainThreshold * 2);
    private readonly Utf8JsonWriter _json;

    public EventWriter(Stream output)
    {
        _output = output;
        _json = new Utf8JsonWriter(_buffer, JsonOptions);
    }

    public void Start(long ticks)
    {
        _json.WriteStartObject();
        Span<byte> text = stackalloc byte[TimeText.MaxLength];
        _json.WriteString("@timestamp"u8, text[..TimeText.Iso(text, ticks)]);
    }

    /// <summary>The header every Windows record shares, flat as OTRF and NXLog write it.</summary>
    public void StartWindows(long ticks, int eventId, WindowsLog log, OrganisationHost host)
    {
        Start(ticks);
        _json.WriteNumber("EventID"u8, eventId);
        switch (log)
        {
            case WindowsLog.Security:
                _json.WriteString("Channel"u8, "Security"u8);
                _json.WriteString("Hostname"u8, host.Name);
                _json.WriteString("SourceName"u8, "Microsoft-Windows-Security-Auditing"u8);
                break;
            case WindowsLog.System:
                _json.WriteString("Channel"u8, "System"u8);
                _json.WriteString("Hostname"u8, host.Name);
                _json.WriteString("SourceName"u8, "Service Control Manager"u8);
                break;
            default:
                _json.WriteString("Channel"u8, "Microsoft-Windows-Sysmon/Operational"u8);
                _json.WriteString("Hostname"u8, host.Name);
                _json.WriteString("SourceName"u8, "Microsoft-Windows-Sysmon"u8);
                break;
        }
    }

    /// <summary>The Sysmon header: the Windows header, then Sysmon's own UtcTime and the process the event is about.</summary>
    public void StartSysmon(long ticks, int eventId, OrganisationHost host, SimProcess process)
    {
        StartWindows(ticks, eventId, WindowsLog.Sysmon, host);
        Span<byte> text = stackalloc byte[TimeText.MaxLength];
        _json.WriteString("UtcTime"u8, text[..TimeText.Sysmon(text, ticks)]);
        Span<char> guid = stackalloc char[38];
        process.ProcessGuid.TryFormat(guid, out var length, "B");
        _json.WriteString("ProcessGuid"u8, guid[..length]);
        Digits("ProcessId"u8, process.ProcessId);
        _json.WriteString("Image"u8, process.Image);
    }

    /// <summary>Suricata EVE keeps its own "timestamp" with microseconds and a numeric offset.</summary>
    public void StartEve(long ticks)
    {
        _json.WriteStartObject();
        Span<byte> text = stackalloc byte[TimeText.MaxLength];
        _json.WriteString("timestamp"u8, text[..TimeText.Eve(text, ticks)]);
    }

    public void Field(ReadOnlySpan<byte> name, string value) => _json.WriteString(name, value);

    public void Field(ReadOnlySpan<byte> name, ReadOnlySpan<byte> utf8Value) => _json.WriteString(name, utf8Value);

    public void Field(ReadOnlySpan<byte> name, ReadOnlySpan<char> value) => _json.WriteString(name, value);

    /// <summary>A number written as text, as Windows writes every EventData value.</summary>
    public void Digits(ReadOnlySpan<byte> name, long value)
    {
        Span<byte> text = stackalloc byte[20];
        value.TryFormat(text, out var length, default, CultureInfo.InvariantCulture);
        _json.WriteString(name, text[..length]);
    }

    /// <summary>A Windows port field: "-" where the logon had none.</summary>
    public void Port(ReadOnlySpan<byte> name, int port)
    {
        if (port < 0)
        {
            _json.WriteString(name, "-"u8);
            return;
        }
        Digits(name, port);
    }

    /// <summary>A number as Windows prints process ids in the Security log ("0x1a2c").</summary>
    public void Hex(ReadOnlySpan<byte> name, long value)
    {
        Span<byte> text = stackalloc byte[18];
        text[0] = (byte)'0';
        text[1] = (byte)'x';
        value.TryFormat(text[2..], out var length, "x", CultureInfo.InvariantCulture);
        _json.WriteString(name, text[..(length + 2)]);
    }

    public void Number(ReadOnlySpan<byte> name, long value) => _json.WriteNumber(name, value);

    public void StartObject(ReadOnlySpan<byte> name) => _json.WriteStartObject(name);

    public void EndObject() => _json.WriteEndObject();

    /// <summary>Closes the record and its line.</summary>
    public void End()
    {
        _json.WriteEndObject();
        _json.Flush();
        _json.Reset();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        if (_buffer.WrittenCount >= DrainThreshold)
        {
            Drain();
        }
    }

    /// <summary>Hands every buffered line to the stream and flushes it.</summary>
    public void Complete()
    {
        Drain();
        _output.Flush();
    }

    public void Dispose() => _json.Dispose();

    private void Drain()
    {
        _output.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
    }
}

/// <summary>The three timestamp shapes of the simulated sources, formatted without culture or allocation.</summary>
internal static class TimeText
{
    public const int MaxLength = 32;

    /// <summary>"2026-11-02T07:00:00.123Z"</summary>
    public static int Iso(Span<byte> text, long ticks)
    {
        var length = DateAndTime(text, ticks, (byte)'T', fractionDigits: 3);
        text[length] = (byte)'Z';
        return length + 1;
    }

    /// <summary>"2026-11-02 07:00:00.123", Sysmon's UtcTime.</summary>
    public static int Sysmon(Span<byte> text, long ticks) => DateAndTime(text, ticks, (byte)' ', fractionDigits: 3);

    /// <summary>"2026-11-02T07:00:00.123456+0000", Suricata EVE's timestamp.</summary>
    public static int Eve(Span<byte> text, long ticks)
    {
        var length = DateAndTime(text, ticks, (byte)'T', fractionDigits: 6);
        "+0000"u8.CopyTo(text[length..]);
        return length + 5;
    }

    private static int DateAndTime(Span<byte> text, long ticks, byte separator, int fractionDigits)
    {
        var time = new DateTime(ticks, DateTimeKind.Utc);
        Put(text, 0, time.Year, 4);
        text[4] = (byte)'-';
        Put(text, 5, time.Month, 2);
        text[7] = (byte)'-';
        Put(text, 8, time.Day, 2);
        text[10] = separator;
        Put(text, 11, time.Hour, 2);
        text[13] = (byte)':';
        Put(text, 14, time.Minute, 2);
        text[16] = (byte)':';
        Put(text, 17, time.Second, 2);
        text[19] = (byte)'.';
        var fraction = (int)(ticks % TimeSpan.TicksPerSecond / (fractionDigits == 3 ? TimeSpan.TicksPerMillisecond : TimeSpan.TicksPerMicrosecond));
        Put(text, 20, fraction, fractionDigits);
        return 20 + fractionDigits;
    }

    private static void Put(Span<byte> text, int at, int value, int digits)
    {
        for (var i = at + digits - 1; i >= at; i--)
        {
            text[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
