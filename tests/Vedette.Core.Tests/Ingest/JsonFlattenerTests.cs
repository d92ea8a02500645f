using System.Text;
using Vedette.Domain;
using Vedette.Ingest;

namespace Vedette.Tests.Ingest;

/// <summary>
/// The flat scanner must be indistinguishable from the Utf8JsonReader path it shortcuts: same fields, same values,
/// same errors. Each case is read both ways, by separate flatteners so their name caches differ too.
/// </summary>
public sealed class JsonFlattenerTests
{
    private const string Sample =
        """{"@timestamp":"2020-09-04T19:36:27.000Z","EventID":4688,"Channel":"Security","Hostname":"WORKSTATION5.theshire.local","NewProcessName":"C:\\Windows\\System32\\cmd.exe","CommandLine":"cmd.exe /c \"echo hi\"","Elevated":true,"Parent":null,"Rate":-1.5e3,"tags":["mordorDataset",2],"Note":"caf\u00e9 ☕"}""";

    private static string Describe(Func<FieldTable> read)
    {
        try
        {
            var table = read();
            var parts = new List<string>();
            for (var i = 0; i < table.Count; i++)
            {
                string value;
                try
                {
                    var field = table.ValueAt(i);
                    value = $"{field.Kind}:{string.Join("\u0001", field.Items)}";
                }
                catch (InvalidOperationException ex)
                {
                    value = "undecodable: " + ex.Message;
                }
                parts.Add($"{table.NameAt(i)}={value}");
            }
            return string.Join("\n", parts);
        }
        catch (FormatException ex)
        {
            return "error: " + ex.Message;
        }
    }

    private static void AssertSameBothWays(byte[] json, JsonFlattener flat, JsonFlattener reader) =>
        Assert.Equal(Describe(() => reader.ReadWithReader(json)), Describe(() => flat.Read(json)));

    private static void AssertSameBothWays(string json) => AssertSameBothWays(Encoding.UTF8.GetBytes(json), new JsonFlattener(), new JsonFlattener());

    [Theory]
    [InlineData(Sample)]
    [InlineData("""{"a":"say \"hi\" \/ \\ \b\f\n\r\t end","b":"C:\\Users\\x"}""")]
    [InlineData("""{"raw":"é漢😀","pair":"\ud83d\ude00","bmp":"\u00E9\u6F22","lone":"\ud800","lowFirst":"\udc00x"}""")]
    [InlineData("""{"n0":0,"n1":-0,"n2":12.25,"n3":1.5e10,"n4":-12.25E-3,"n5":1E+2,"n6":123456789012345678901234567890}""")]
    [InlineData("""{"t":true,"f":false,"z":null,"empty":"","list":[],"mixed":[1,"two",null,true,{"x":[3]}]}""")]
    [InlineData("  {\r\n\t\"a\" :\t\"x\" ,\n \"b\": 1 }\r\n  ")]
    [InlineData("{}")]
    [InlineData(" { } ")]
    [InlineData("""{"same":1,"same":2}""")]
    public void Well_formed_records_read_the_same_both_ways(string json) => AssertSameBothWays(json);

    [Theory]
    [InlineData("""{"Event":{"System":{"EventID":1}},"x":"y"}""")]
    [InlineData("""{"x":"y","Event":{"EventData":{"Image":"C:\\x.exe","Tags":["a","b"]}}}""")]
    [InlineData("""{"a\u0062":1,"c":2}""")]
    [InlineData("""{"a\\b":1}""")]
    public void Nested_or_unusual_records_fall_back_to_the_reader_with_dotted_names(string json) => AssertSameBothWays(json);

    [Theory]
    [InlineData(Sample)]
    [InlineData("""{"a":"\ud800","b":[[1]],"c":-0.5E+7}""")]
    public void Flat_records_take_the_scanner_not_the_reader(string json) => Assert.True(new JsonFlattener().TryReadFlat(Encoding.UTF8.GetBytes(json)));

    /// <summary>
    /// The scanner walks the stop bits a 64-byte word at a time, clearing each escape's second character: with the
    /// escape placed at every offset around the words' edges, the record must still take the scanner and read as
    /// the reader reads it.
    /// </summary>
    [Theory]
    [InlineData(@"\\")]
    [InlineData(@"\""")]
    [InlineData(@"\u00e9")]
    [InlineData(@"\n")]
    [InlineData(@"\\\\\""")]
    public void Escapes_across_the_stop_words_edges_take_the_scanner(string escape)
    {
        for (var pad = 0; pad < 140; pad++)
        {
            var json = $$"""{"a":"{{new string('x', pad)}}{{escape}}z","b":"{{escape}}"}""";
            var bytes = Encoding.UTF8.GetBytes(json);
            Assert.True(new JsonFlattener().TryReadFlat(bytes), json);
            AssertSameBothWays(bytes, new JsonFlattener(), new JsonFlattener());
        }
    }

    [Fact]
    public void A_nested_record_is_flattened_by_the_fallback()
    {
        var fields = new JsonFlattener().Flatten("""{"a":"x","Event":{"System":{"EventID":1}}}"""u8);
        Assert.Equal("1", fields["Event.System.EventID"].Text);
        Assert.Equal("x", fields["a"].Text);
    }

    [Fact]
    public void Escaped_values_decode_to_their_characters()
    {
        var fields = new JsonFlattener().Flatten(Encoding.UTF8.GetBytes(Sample));
        Assert.Equal(@"C:\Windows\System32\cmd.exe", fields["NewProcessName"].Text);
        Assert.Equal("cmd.exe /c \"echo hi\"", fields["CommandLine"].Text);
        Assert.Equal("café ☕", fields["Note"].Text);
        Assert.Equal(FieldKind.Number, fields["Rate"].Kind);
        Assert.Equal("-1.5e3", fields["Rate"].Text);
        Assert.Equal(["mordorDataset", "2"], fields["tags"].Items);
        Assert.True(fields["Parent"].IsNull);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("[1,2]")]
    [InlineData("{")]
    [InlineData("{\"a\"")]
    [InlineData("{\"a\":")]
    [InlineData("{\"a\":1")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":1 \"b\":2}")]
    [InlineData("{\"a\":1} {\"b\":2}")]
    [InlineData("{\"a\":1}x")]
    [InlineData("{\"a\":\"unterminated}")]
    [InlineData("{\"a\":\"bad \\x escape\"}")]
    [InlineData("{\"a\":\"bad \\u12G4 escape\"}")]
    [InlineData("{\"a\":\"short \\u12\"}")]
    [InlineData("{\"a\":\"tab\tinside\"}")]
    [InlineData("{\"a\":01}")]
    [InlineData("{\"a\":1.}")]
    [InlineData("{\"a\":.5}")]
    [InlineData("{\"a\":-}")]
    [InlineData("{\"a\":1e}")]
    [InlineData("{\"a\":+1}")]
    [InlineData("{\"a\":NaN}")]
    [InlineData("{\"a\":tru}")]
    [InlineData("{\"a\":nul}")]
    [InlineData("{\"a\":truex}")]
    [InlineData("{\"a\":[1,}")]
    [InlineData("{\"a\":[1,2}")]
    [InlineData("{'a':1}")]
    [InlineData("{\"a\":1/*c*/}")]
    [InlineData("{a:1}")]
    public void Malformed_records_fail_with_the_readers_message(string json)
    {
        AssertSameBothWays(json);
        Assert.StartsWith("error: ", Describe(() => new JsonFlattener().Read(Encoding.UTF8.GetBytes(json))), StringComparison.Ordinal);
    }

    [Fact]
    public void Arrays_nested_deeper_than_the_limit_are_refused_as_before()
    {
        AssertSameBothWays("{\"a\":" + new string('[', 63) + new string(']', 63) + "}");
        AssertSameBothWays("{\"a\":" + new string('[', 64) + new string(']', 64) + "}");
        AssertSameBothWays("{\"a\":" + new string('[', 65) + new string(']', 65) + "}");
    }

    [Fact]
    public void Every_truncation_and_single_byte_change_of_a_record_reads_the_same_both_ways()
    {
        var json = Encoding.UTF8.GetBytes(Sample);
        var flat = new JsonFlattener();
        var reader = new JsonFlattener();
        byte[] replacements = [(byte)'"', (byte)'\\', (byte)'{', (byte)'[', (byte)']', (byte)',', (byte)':', (byte)'}', 0x01, (byte)'u', (byte)'0', (byte)'-', (byte)'e', (byte)' ', (byte)'x'];
        for (var length = 0; length <= json.Length; length++)
        {
            AssertSameBothWays(json[..length], flat, reader);
        }
        for (var position = 0; position < json.Length; position++)
        {
            foreach (var replacement in replacements)
            {
                var changed = (byte[])json.Clone();
                changed[position] = replacement;
                AssertSameBothWays(changed, flat, reader);
            }
        }
    }

    [Fact]
    public void Field_names_are_interned_like_the_names_rules_use()
    {
        var flattener = new JsonFlattener();
        for (var round = 0; round < 2; round++)
        {
            var table = flattener.Read("""{"CommandLine":"x","ProcessId":"1"}"""u8);
            Assert.True(table.TryGet(string.Intern("CommandLine"), interned: true, out var value));
            Assert.Equal("x", value.Text);
        }
    }
    /// <summary>A literal search may read a string as written only when backslash and quote are its only escapes (a number always), and not once it is decoded.</summary>
    [Fact]
    public void Strings_go_to_a_literal_search_as_written_only_when_their_escapes_are_backslash_and_quote()
    {
        var table = new JsonFlattener().Read("""{"Path":"C:\\Windows\\cmd.exe","Quote":"say \"hi\"","Tab":"a\tb","Slash":"a\/b","Plain":"abc","Id":4688,"Short":"ab"}"""u8);
        string Written(string name) =>
            table.TryGetAsWritten(string.Intern(name), minWritten: 3, out _, out var written) ? Encoding.UTF8.GetString(written) : "(absent)";
        Assert.Equal(@"C:\\Windows\\cmd.exe", Written("Path"));
        Assert.Equal(@"say \""hi\""", Written("Quote"));
        Assert.Equal("abc", Written("Plain"));
        Assert.Equal("(absent)", Written("Missing"));
        Assert.Equal("4688", Written("Id"));
        foreach (var (name, text) in new[] { ("Tab", "a\tb"), ("Slash", "a/b"), ("Short", "ab") })
        {
            Assert.True(table.TryGetAsWritten(string.Intern(name), minWritten: 3, out var value, out var written));
            Assert.True(written.IsEmpty, name);
            Assert.Equal(text, value.Text);
        }
        // Through the reader (a nested record), which does not say which escapes a string holds.
        var nested = new JsonFlattener().Read("""{"Event":{"EventData":{"Path":"C:\\x\\y.exe","Tab":"a\tb"}}}"""u8);
        Assert.True(nested.TryGetAsWritten(string.Intern("Event.EventData.Path"), minWritten: 3, out _, out var nestedPath));
        Assert.Equal(@"C:\\x\\y.exe", Encoding.UTF8.GetString(nestedPath));
        Assert.True(nested.TryGetAsWritten(string.Intern("Event.EventData.Tab"), minWritten: 3, out var tab, out var nestedTab));
        Assert.True(nestedTab.IsEmpty);
        Assert.Equal("a\tb", tab.Text);
        Assert.True(table.TryGet("Path", out _));
        Assert.True(table.TryGetAsWritten(string.Intern("Path"), minWritten: 3, out var decoded, out var after));
        Assert.True(after.IsEmpty, "a decoded value is searched decoded");
        Assert.Equal(@"C:\Windows\cmd.exe", decoded.Text);
    }

    /// <summary>The hand-written unescaping decodes exactly what Utf8JsonReader.GetString decodes, and fails where it fails.</summary>
    [Fact]
    public void Escaped_strings_decode_exactly_as_the_reader_decodes_them()
    {
        string[] pieces =
        [
            "a", "C:", "\\\\", "\\\"", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u0041", "\\u00e9", "\\u20AC", "\\uD83D\\uDE00",
            "\\uD83D", "\\uDE00", "\\uD83Dx", "\\uD83D\\u0041", "é", "☕", "😀", " ", "\\u0000", "\\uFFFF",
        ];
        var random = new Random(20261129);
        for (var round = 0; round < 5_000; round++)
        {
            var text = new StringBuilder("\"");
            var count = random.Next(1, round % 50 == 0 ? 200 : 8);
            for (var i = 0; i < count; i++)
            {
                text.Append(pieces[random.Next(pieces.Length)]);
            }
            text.Append('"');
            var token = Encoding.UTF8.GetBytes(text.ToString());
            Assert.Equal(ReaderDecodes(token), Outcome(() => FieldTable.Unescape(token)));
        }
    }

    private static string ReaderDecodes(byte[] token) => Outcome(() =>
    {
        var reader = new System.Text.Json.Utf8JsonReader(token);
        reader.Read();
        return reader.GetString()!;
    });

    private static string Outcome(Func<string> decode)
    {
        try
        {
            return "ok:" + decode();
        }
        catch (InvalidOperationException ex)
        {
            return "throws:" + ex.GetType().Name;
        }
    }
    /// <summary>
    /// The scanner's name cache tells names apart by length and their first and last eight bytes, and compares the
    /// rest only beyond sixteen: names that differ only in the middle, only in length, or collide in the cache must
    /// still come out as the reader names them, record after record.
    /// </summary>
    [Fact]
    public void Names_alike_at_both_ends_or_colliding_in_the_cache_stay_distinct()
    {
        var flat = new JsonFlattener();
        var reader = new JsonFlattener();
        string[] lookalikes = ["aaaaaaaaXaaaaaaaa", "aaaaaaaaYaaaaaaaa", "aaaaaaaaXYaaaaaaaa", "a", "aa", "aaaaaaaa", "aaaaaaaaa", "Image", "image", "ImageLoaded"];
        var random = new Random(3);
        for (var round = 0; round < 400; round++)
        {
            var names = lookalikes.Concat(Enumerable.Range(0, 40).Select(_ => "f" + random.Next(5_000))).OrderBy(_ => random.Next()).Distinct().Take(30);
            var json = "{" + string.Join(",", names.Select((name, i) => $"\"{name}\":{i}")) + "}";
            AssertSameBothWays(Encoding.UTF8.GetBytes(json), flat, reader);
        }
    }

    /// <summary>
    /// The scanner guesses each name from the one that followed the previous name last time; records whose names
    /// come in changing orders, with names that extend one another, read the same as through the reader.
    /// </summary>
    [Fact]
    public void Names_in_changing_orders_read_the_same_both_ways()
    {
        string[] pool = ["Image", "ImageLoaded", "a", "ab", "abc", "EventID", "Event", "x\u00e9", "CommandLine", "Command", "é"];
        var random = new Random(11);
        var flat = new JsonFlattener();
        var reader = new JsonFlattener();
        var order = pool.ToList();
        for (var round = 0; round < 2_000; round++)
        {
            // Mostly the previous order, as records of one kind are; now and then a swap, a drop or a new shuffle.
            switch (random.Next(4))
            {
                case 0:
                    order = [.. pool.OrderBy(_ => random.Next()).Take(random.Next(1, pool.Length + 1))];
                    break;
                case 1 when order.Count > 1:
                    var (i, j) = (random.Next(order.Count), random.Next(order.Count));
                    (order[i], order[j]) = (order[j], order[i]);
                    break;
            }
            var json = "{" + string.Join(",", order.Select(name => $"\"{name}\":{random.Next(100)}")) + "}";
            AssertSameBothWays(Encoding.UTF8.GetBytes(json), flat, reader);
        }
    }

    /// <summary>A look-up starts where the name was last found; wherever the name sits now, or if it is gone, the answer is the table's.</summary>
    [Fact]
    public void A_lookup_hint_from_another_record_never_changes_the_answer()
    {
        var flattener = new JsonFlattener();
        var name = string.Intern("Image");
        var hint = -1;
        foreach (var (json, expected) in new[]
        {
            ("""{"a":1,"Image":"first"}""", "first"),
            ("""{"Image":"second","a":1}""", "second"),
            ("""{"b":2,"a":1}""", null),
            ("""{"a":1,"b":2,"Image":"third"}""", "third"),
            ("""{"a":1,"b":2,"Image":"fourth"}""", "fourth"),
        })
        {
            var table = flattener.Read(Encoding.UTF8.GetBytes(json));
            var found = table.TryGet(name, interned: true, ref hint, out var value);
            Assert.Equal(expected, found ? value.Text : null);
        }
        Assert.Equal(2, hint);
    }
}
