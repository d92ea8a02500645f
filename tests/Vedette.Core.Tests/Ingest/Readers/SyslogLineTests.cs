using System.Buffers;
using System.Text;
using System.Text.Json;
using Vedette.Domain;
using Vedette.Ingest;
using Vedette.Ingest.Readers;

namespace Vedette.Tests.Ingest.Readers;

public sealed class SyslogLineTests
{
    private static string? Convert(string line, int year = 2025)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(buffer);
        if (!SyslogLine.TryWrite(Encoding.UTF8.GetBytes(line), year, null, json, out _))
        {
            return null;
        }
        json.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static JsonElement Parse(string line, int year = 2025) =>
        JsonDocument.Parse(Convert(line, year) ?? throw new Xunit.Sdk.XunitException($"not converted: {line}")).RootElement;

    [Fact]
    public void An_RFC_3164_line_gets_the_configured_year()
    {
        var e = Parse("Dec 10 06:55:46 LabSZ sshd[24200]: Failed password for root from 183.62.140.253 port 39736 ssh2", year: 2019);

        Assert.Equal("2019-12-10T06:55:46+00:00", e.GetProperty("@timestamp").GetString());
        Assert.Equal("LabSZ", e.GetProperty("host").GetString());
        Assert.Equal("sshd", e.GetProperty("program").GetString());
        Assert.Equal(24200, e.GetProperty("pid").GetInt32());
        Assert.Equal("Failed password for root from 183.62.140.253 port 39736 ssh2", e.GetProperty("message").GetString());
    }

    [Fact]
    public void A_priority_a_padded_day_and_a_tag_without_pid_are_understood()
    {
        var e = Parse("<38>Jul  3 04:08:03 combo syslogd 1.4.1: restart.");

        Assert.Equal("2025-07-03T04:08:03+00:00", e.GetProperty("@timestamp").GetString());
        Assert.Equal("syslogd", e.GetProperty("program").GetString());
        Assert.False(e.TryGetProperty("pid", out _));
        Assert.Equal("1.4.1: restart.", e.GetProperty("message").GetString());
    }

    [Fact]
    public void An_RFC_3339_timestamp_as_rsyslog_writes_it_is_kept()
    {
        var e = Parse("2025-03-01T10:00:00.123456+01:00 bastion sshd[77]: Accepted publickey for ops from 10.0.0.5 port 5022 ssh2");

        Assert.Equal("2025-03-01T10:00:00.123456+01:00", e.GetProperty("@timestamp").GetString());
        Assert.Equal("bastion", e.GetProperty("host").GetString());
        Assert.Equal(77, e.GetProperty("pid").GetInt32());
    }

    [Fact]
    public void An_RFC_5424_line_keeps_msgid_and_structured_data()
    {
        var e = Parse("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"App]\"] \uFEFFAn application event");

        Assert.Equal("2003-10-11T22:14:15.003Z", e.GetProperty("@timestamp").GetString());
        Assert.Equal("mymachine.example.com", e.GetProperty("host").GetString());
        Assert.Equal("evntslog", e.GetProperty("program").GetString());
        Assert.False(e.TryGetProperty("pid", out _));
        Assert.Equal("ID47", e.GetProperty("msgid").GetString());
        Assert.Equal("[exampleSDID@32473 iut=\"3\" eventSource=\"App]\"]", e.GetProperty("structured_data").GetString());
        Assert.Equal("An application event", e.GetProperty("message").GetString());
    }

    [Fact]
    public void An_RFC_5424_line_with_nil_values_and_no_message()
    {
        var e = Parse("<34>1 - - su 4242 - -");

        Assert.False(e.TryGetProperty("@timestamp", out _));
        Assert.False(e.TryGetProperty("host", out _));
        Assert.Equal(4242, e.GetProperty("pid").GetInt32());
        Assert.Equal("", e.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("just some text")]
    [InlineData("Feb 30 10:00:00 host prog: no such day")]
    [InlineData("Dec 10 6:55:46 host prog: bad time")]
    [InlineData("Dec 10 06:55:46")]
    [InlineData("<34>1 yesterday host app - - - message")]
    [InlineData("<34>1 2003-10-11T22:14:15Z host app - - [unclosed message")]
    public void Lines_without_a_syslog_header_are_refused(string line) => Assert.Null(Convert(line));

    [Fact]
    public void The_normalizer_decodes_sshd_fields_from_a_converted_line()
    {
        var json = Convert("Dec 10 09:32:20 LabSZ sshd[24680]: Failed password for invalid user admin from 103.99.0.122 port 57190 ssh2")!;
        var record = new RecordNormalizer(TimeProvider.System).Normalize(Encoding.UTF8.GetBytes(json), new RecordRef("auth.log", 1));

        Assert.Equal("linux", record.Event.Source);
        Assert.Equal("103.99.0.122", record.Event.GetText("src_ip"));
        Assert.Equal("admin", record.Event.GetText("user"));
        Assert.Equal("failure", record.Event.GetText("outcome"));
    }

    [Fact]
    public void Without_a_given_year_a_date_after_today_is_last_years()
    {
        var now = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
        string Timestamp(string line)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
            {
                Assert.True(SyslogLine.TryWrite(Encoding.UTF8.GetBytes(line), now.Year, now, json, out _));
            }
            using var document = System.Text.Json.JsonDocument.Parse(buffer.WrittenMemory);
            return document.RootElement.GetProperty("@timestamp").GetString()!;
        }
        Assert.StartsWith("2025-12-10T06:55:46", Timestamp("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186"), StringComparison.Ordinal);
        Assert.StartsWith("2026-11-28T06:55:46", Timestamp("Nov 28 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186"), StringComparison.Ordinal);
    }
}
