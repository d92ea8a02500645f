using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace Vedette.Ingest.Readers;

/// <summary>
/// Turns one syslog text line into the syslog-in-JSON shape the normalizer reads:
/// {"@timestamp", "host", "program", "pid", "message"}. Understands RFC 3164 ("Dec 10 06:55:46 LabSZ sshd[24200]: ...",
/// with or without a &lt;PRI&gt;, or with an RFC 3339 timestamp as rsyslog writes it) and RFC 5424
/// ("&lt;34&gt;1 2003-10-11T22:14:15.003Z host app 1234 ID47 [sd] message", adding "msgid" and "structured_data").
/// The line must be valid UTF-8.
/// </summary>
internal static class SyslogLine
{
    private static readonly byte[][] Months =
        [.. new[] { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" }.Select(Encoding.ASCII.GetBytes)];

    /// <summary>Whether a line has a syslog header (checked against a leap year, so that Feb 29 passes).</summary>
    public static bool IsSyslog(ReadOnlySpan<byte> line)
    {
        using var json = new Utf8JsonWriter(Stream.Null);
        return System.Text.Unicode.Utf8.IsValid(line) && TryWrite(line, 2024, null, json, out _);
    }

    /// <summary>Writes the line as one JSON object; false, writing nothing, when it has no syslog header.</summary>
    public static bool TryWrite(ReadOnlySpan<byte> line, int year, DateTimeOffset? notAfter, Utf8JsonWriter json, [NotNullWhen(false)] out string? problem)
    {
        var rest = line;
        if (SkipPriority(ref rest) && rest.StartsWith("1 "u8))
        {
            return TryWrite5424(rest[2..], json, out problem);
        }
        return TryWrite3164(rest, year, notAfter, json, out problem);
    }

    private static bool TryWrite3164(ReadOnlySpan<byte> rest, int year, DateTimeOffset? notAfter, Utf8JsonWriter json, [NotNullWhen(false)] out string? problem)
    {
        DateTimeOffset? classic = null;
        string? iso = null;
        if (TryClassicTimestamp(ref rest, year, notAfter, out var timestamp, out problem))
        {
            classic = timestamp;
        }
        else if (problem is null && TryIsoTimestamp(ref rest, out var text))
        {
            iso = text;
        }
        else
        {
            problem ??= "not a syslog line: no 'Mmm dd hh:mm:ss' or RFC 3339 timestamp at the start";
            return false;
        }
        var host = Token(ref rest);
        if (host.IsEmpty)
        {
            problem = "not a syslog line: no host after the timestamp";
            return false;
        }

        json.WriteStartObject();
        if (classic is { } at)
        {
            json.WriteString("@timestamp"u8, at);
        }
        else
        {
            json.WriteString("@timestamp"u8, iso);
        }
        json.WriteString("host"u8, host);
        WriteTagAndMessage(rest, json);
        json.WriteEndObject();
        return true;
    }

    /// <summary>TAG[PID]: MESSAGE, where the tag ends at a space, '[' or ':'; a line without a tag is all message.</summary>
    private static void WriteTagAndMessage(ReadOnlySpan<byte> rest, Utf8JsonWriter json)
    {
        var end = rest.IndexOfAny(" [:"u8);
        var tag = end < 0 ? rest : rest[..end];
        if (!tag.IsEmpty)
        {
            json.WriteString("program"u8, tag);
            rest = rest[tag.Length..];
            if (rest.StartsWith("["u8) && rest.IndexOf((byte)']') is var close and > 0)
            {
                WritePid(rest[1..close], json);
                rest = rest[(close + 1)..];
            }
            if (rest.StartsWith(":"u8))
            {
                rest = rest[1..];
            }
        }
        if (rest.StartsWith(" "u8))
        {
            rest = rest[1..];
        }
        json.WriteString("message"u8, rest);
    }

    private static bool TryWrite5424(ReadOnlySpan<byte> rest, Utf8JsonWriter json, [NotNullWhen(false)] out string? problem)
    {
        var timestamp = Token(ref rest);
        var host = Token(ref rest);
        var app = Token(ref rest);
        var procId = Token(ref rest);
        var msgId = Token(ref rest);
        if (msgId.IsEmpty)
        {
            problem = "RFC 5424 line without TIMESTAMP HOSTNAME APP-NAME PROCID MSGID";
            return false;
        }
        string? timestampText = null;
        if (!IsNil(timestamp))
        {
            timestampText = Encoding.UTF8.GetString(timestamp);
            if (!Timestamps.TryParse(timestampText, out _))
            {
                problem = $"RFC 5424 timestamp '{RecordNormalizer.Shorten(timestampText)}' is not RFC 3339";
                return false;
            }
        }
        if (!TryStructuredData(ref rest, out var structuredData))
        {
            problem = "RFC 5424 structured data is not '-' or a closed [element]";
            return false;
        }
        if (rest.StartsWith(" "u8))
        {
            rest = rest[1..];
        }
        if (rest.StartsWith("\uFEFF"u8))
        {
            rest = rest[3..];
        }

        json.WriteStartObject();
        if (timestampText is not null)
        {
            json.WriteString("@timestamp"u8, timestampText);
        }
        WriteUnlessNil(json, "host"u8, host);
        WriteUnlessNil(json, "program"u8, app);
        if (!IsNil(procId))
        {
            WritePid(procId, json);
        }
        WriteUnlessNil(json, "msgid"u8, msgId);
        if (!structuredData.IsEmpty)
        {
            json.WriteString("structured_data"u8, structuredData);
        }
        json.WriteString("message"u8, rest);
        json.WriteEndObject();
        problem = null;
        return true;
    }

    private static bool SkipPriority(ref ReadOnlySpan<byte> rest)
    {
        if (!rest.StartsWith("<"u8))
        {
            return false;
        }
        var close = rest.IndexOf((byte)'>');
        if (close is < 2 or > 4 || rest[1..close].IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            return false;
        }
        rest = rest[(close + 1)..];
        return true;
    }

    /// <summary>"Mmm dd hh:mm:ss " (the day space-padded or not); false with no problem when the line does not start with a month.</summary>
    private static bool TryClassicTimestamp(ref ReadOnlySpan<byte> rest, int year, DateTimeOffset? notAfter, out DateTimeOffset timestamp, out string? problem)
    {
        timestamp = default;
        problem = null;
        var month = rest.Length > 4 && rest[3] == (byte)' ' ? MonthOf(rest[..3]) : 0;
        if (month == 0)
        {
            return false;
        }
        var after = rest[4..].TrimStart((byte)' ');
        var daySpace = after.IndexOf((byte)' ');
        if (daySpace is < 1 or > 2 || !TryNumber(after[..daySpace], out var day) || after.Length < daySpace + 9)
        {
            problem = "not a syslog line: bad day or time after the month";
            return false;
        }
        if (after.Length > daySpace + 9 && after[daySpace + 9] != (byte)' ')
        {
            problem = "not a syslog line: no space after the time";
            return false;
        }
        var time = after.Slice(daySpace + 1, 8);
        if (time[2] != (byte)':' || time[5] != (byte)':' || !TryNumber(time[..2], out var hour) || !TryNumber(time[3..5], out var minute) || !TryNumber(time[6..], out var second))
        {
            problem = "not a syslog line: the time is not hh:mm:ss";
            return false;
        }
        if (day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            problem = $"not a valid date or time in {year}: {Encoding.ASCII.GetString(rest[..3])} {day} {hour:00}:{minute:00}:{second:00}";
            return false;
        }
        timestamp = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
        if (notAfter is { } limit && timestamp > limit.AddDays(1) && (month != 2 || day != 29 || DateTime.IsLeapYear(year - 1)))
        {
            timestamp = timestamp.AddYears(-1);
        }
        rest = after[(daySpace + 9)..].TrimStart((byte)' ');
        return true;
    }

    private static bool TryIsoTimestamp(ref ReadOnlySpan<byte> rest, [NotNullWhen(true)] out string? text)
    {
        text = null;
        var end = rest.IndexOf((byte)' ');
        if (end < 10 || rest[4] != (byte)'-' || rest[..4].IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            return false;
        }
        var candidate = Encoding.UTF8.GetString(rest[..end]);
        if (!Timestamps.TryParse(candidate, out _))
        {
            return false;
        }
        text = candidate;
        rest = rest[(end + 1)..];
        return true;
    }

    private static bool TryStructuredData(ref ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> structuredData)
    {
        structuredData = default;
        if (rest.StartsWith("-"u8))
        {
            rest = rest[1..];
            return true;
        }
        var length = 0;
        while (length < rest.Length && rest[length] == (byte)'[')
        {
            // PARAM-VALUEs are quoted and may escape '"', '\' and ']'.
            var quoted = false;
            var i = length + 1;
            for (; i < rest.Length; i++)
            {
                var b = rest[i];
                if (quoted && b == (byte)'\\')
                {
                    i++;
                }
                else if (b == (byte)'"')
                {
                    quoted = !quoted;
                }
                else if (!quoted && b == (byte)']')
                {
                    break;
                }
            }
            if (i >= rest.Length)
            {
                return false;
            }
            length = i + 1;
        }
        structuredData = rest[..length];
        rest = rest[length..];
        return length > 0;
    }

    private static ReadOnlySpan<byte> Token(ref ReadOnlySpan<byte> rest)
    {
        var end = rest.IndexOf((byte)' ');
        var token = end < 0 ? rest : rest[..end];
        rest = end < 0 ? [] : rest[(end + 1)..];
        return token;
    }

    private static void WritePid(ReadOnlySpan<byte> pid, Utf8JsonWriter json)
    {
        if (pid.Length is > 0 and <= 9 && TryNumber(pid, out var number))
        {
            json.WriteNumber("pid"u8, number);
        }
        else
        {
            json.WriteString("pid"u8, pid);
        }
    }

    private static void WriteUnlessNil(Utf8JsonWriter json, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (!IsNil(value))
        {
            json.WriteString(name, value);
        }
    }

    private static bool IsNil(ReadOnlySpan<byte> value) => value.IsEmpty || value.SequenceEqual("-"u8);

    private static int MonthOf(ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < Months.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(name, Months[i]))
            {
                return i + 1;
            }
        }
        return 0;
    }

    private static bool TryNumber(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 9)
        {
            return false;
        }
        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
            value = (value * 10) + (b - '0');
        }
        return true;
    }
}
