using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Vedette.Ingest;
using Vedette.Ingest.Readers;
using Vedette.Pipeline;

namespace Vedette.Tests.Ingest.Readers;

/// <summary>Every input format, read from the real third-party files in place, with the record counts their sources state.</summary>
public sealed class InputSourceTests
{
    private static readonly InputOptions Options = new() { SyslogYear = 2025 };

    [Fact]
    public async Task OpenSSH_syslog_gives_one_syslog_in_JSON_record_per_line()
    {
        var path = SharedData.Path("linux-auth", "OpenSSH", "OpenSSH_2k.log");
        var (records, errors) = await Records.ReadAsync(path);

        Assert.Equal(0, errors.Count);
        Assert.Equal(2000, records.Count);
        Assert.Equal(Enumerable.Range(1, 2000).Select(i => (long)i), records.Select(r => r.Ref.Line));
        using var first = JsonDocument.Parse(records[0].Json);
        Assert.Equal("2025-12-10T06:55:46+00:00", first.RootElement.GetProperty("@timestamp").GetString());
        Assert.Equal("LabSZ", first.RootElement.GetProperty("host").GetString());
        Assert.Equal("sshd", first.RootElement.GetProperty("program").GetString());
        Assert.Equal(24200, first.RootElement.GetProperty("pid").GetInt32());
        Assert.StartsWith("reverse mapping checking getaddrinfo for ns.marryaldkfaczcz.com", first.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Linux_syslog_with_tags_like_sshd_pam_unix_and_tagless_lines_reads_every_line()
    {
        var (records, errors) = await Records.ReadAsync(SharedData.Path("linux-auth", "Linux", "Linux_2k.log"));

        Assert.Equal(0, errors.Count);
        Assert.Equal(2000, records.Count);
        using var first = JsonDocument.Parse(records[0].Json);
        Assert.Equal("sshd(pam_unix)", first.RootElement.GetProperty("program").GetString());
        Assert.Equal(19939, first.RootElement.GetProperty("pid").GetInt32());
    }

    [Theory]
    [InlineData("credential_access/host/cmd_lsass_memory_dumpert_syscalls.zip")]
    [InlineData("defense_evasion/host/cmd_psh_stop_netprofm_eventlog_before_reboot.zip")]
    [InlineData("discovery/host/cmd_seatbelt_group_user.zip")]
    public async Task An_OTRF_zip_gives_the_event_count_of_its_index_and_skips_macOS_metadata(string file)
    {
        var expected = OtrfEvents("windows/" + file);
        var (records, errors) = await Records.ReadAsync(SharedData.Path("winlogs", "otrf", "windows", file));

        Assert.Equal(0, errors.Count);
        Assert.Equal(expected, records.Count);
        Assert.All(records, r => Assert.Contains(".zip/", r.Ref.Origin, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concatenated_pretty_printed_objects_are_one_record_each_referenced_by_their_first_line()
    {
        var path = Directory.GetFiles(SharedData.Path("sigma-regression", "regression_data", "rules", "windows", "file", "file_event", "file_event_win_cred_dump_tools_dropped_files"), "*.json").Single();
        var (records, errors) = await Records.ReadAsync(path);

        Assert.Equal(0, errors.Count);
        Assert.Equal(ConcatenatedObjects(path).Count, records.Count);
        Assert.Equal(6, records.Count);
        Assert.Equal(1, records[0].Ref.Line);
        var lines = File.ReadAllLines(path);
        Assert.All(records, r => Assert.Equal("{", lines[r.Ref.Line - 1]));
        Assert.All(records, r => Assert.True(JsonDocument.Parse(r.Json).RootElement.TryGetProperty("Event", out _)));
    }

    [Fact]
    public async Task A_folder_is_read_recursively_in_order_taking_the_JSON_and_leaving_rules_and_EVTX()
    {
        var folder = SharedData.Path("sigma-regression", "regression_data");
        var jsonFiles = Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var (records, errors) = await Records.ReadAsync(folder);

        Assert.Equal(0, errors.Count);
        Assert.Equal(jsonFiles.Sum(f => ConcatenatedObjects(f).Count), records.Count);
        Assert.Equal(jsonFiles, records.Select(r => r.Ref.Origin).Distinct());
    }

    [Fact]
    public async Task Files_in_a_folder_that_are_not_logs_by_content_are_passed_over_without_an_error()
    {
        var folder = SharedData.Path("linux-auth");
        var source = new InputSource([folder], Options);
        var errors = new ErrorReport();
        long records = 0;
        await foreach (var batch in source.ReadAsync(errors, CancellationToken.None))
        {
            records += batch.Count;
            batch.Dispose();
        }

        Assert.Equal(0, errors.Count);
        Assert.Equal(4000, records);
        Assert.Equal(["CITATION", "LICENSE"], source.Skipped.Select(s => Path.GetFileName(s[..s.IndexOf(':', StringComparison.Ordinal)])));
        Assert.All(source.Skipped, s => Assert.EndsWith("text whose first line is neither JSON nor syslog; skipped", s, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_named_explicitly_that_is_not_a_log_is_an_error()
    {
        var (records, errors) = await Records.ReadAsync(SharedData.Path("linux-auth", "LICENSE"));

        Assert.Empty(records);
        Assert.Contains("neither JSON nor syslog", Assert.Single(errors.Kept).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_JSON_array_of_objects_gives_its_elements()
    {
        using var folder = new TempFolder();
        var path = folder.Write("array.json", "[\n  {\"a\": 1},\n  {\"b\": {\"c\": [1, 2]}},\n  {\"d\": \"]\"}\n]\n");
        var (records, errors) = await Records.ReadAsync(path);

        Assert.Equal(0, errors.Count);
        Assert.Equal(["{\"a\": 1}", "{\"b\": {\"c\": [1, 2]}}", "{\"d\": \"]\"}"], records.Select(r => r.Json));
        Assert.Equal([2L, 3L, 4L], records.Select(r => r.Ref.Line));
    }

    [Fact]
    public async Task A_malformed_line_in_the_middle_of_NDJSON_is_reported_and_the_rest_is_read()
    {
        using var folder = new TempFolder();
        var path = folder.Write("events.ndjson", "{\"n\":1}\n{\"n\":2,\n\n{\"n\":4}\n[1,2]\n{\"n\":6} {\"n\":7}\n{\"n\":8}\n");
        var (records, errors) = await Records.ReadAsync(path);

        Assert.Equal([1L, 4L, 7L], records.Select(r => r.Ref.Line));
        Assert.Equal(["events.ndjson:2", "events.ndjson:5", "events.ndjson:6"], errors.Kept.Select(e => Path.GetFileName(e.Ref.ToString())));
        Assert.Contains("malformed JSON at line 2", errors.Kept.First().Message, StringComparison.Ordinal);
        Assert.Contains("expected a JSON object, found an array", errors.Kept.ElementAt(1).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_pretty_printed_record_is_reported_and_reading_resumes_at_the_next_top_level_object()
    {
        using var folder = new TempFolder();
        var path = folder.Write("events.json", "{\n  \"n\": 1\n}\n{\n  \"n\": 2,\n  oops\n}\n{\n  \"n\": 3\n}\n");
        var (records, errors) = await Records.ReadAsync(path);

        Assert.Equal([1L, 8L], records.Select(r => r.Ref.Line));
        var error = Assert.Single(errors.Kept);
        Assert.Equal(4, error.Ref.Line);
        Assert.Contains("malformed JSON at line 6", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Records_over_the_size_or_depth_cap_are_reported_and_skipped_and_the_next_ones_read(bool pretty)
    {
        using var folder = new TempFolder();
        var huge = "{\"pad\":\"" + new string('x', (1 << 20) + 10) + "\",\"tricky\":\"}{\"}";
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 65)) + "1" + new string('}', 65);
        var fine = string.Concat(Enumerable.Repeat("{\"a\":", 64)) + "1" + new string('}', 64);
        string[] values = ["{\"n\":1}", huge, "{\"n\":3}", deep, "{\"n\":5}", fine];
        var path = folder.Write("caps.json", pretty ? string.Join("\n", values.Select(v => v.Replace("{\"n\"", "{\n \"n\"", StringComparison.Ordinal))) : string.Join("\n", values));
        var (records, errors) = await Records.ReadAsync(path);

        Assert.Equal(4, records.Count);
        Assert.Equal(["{\"n\":1}", "{\"n\":3}", "{\"n\":5}"], records.Take(3).Select(r => r.Json.Replace("\n ", "", StringComparison.Ordinal)));
        Assert.Equal(2, errors.Count);
        Assert.Contains("longer than the maximum of 1048576 bytes", errors.Kept.First().Message, StringComparison.Ordinal);
        Assert.Contains("nested deeper than 64 levels", errors.Kept.Last().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_zip_bomb_is_refused_with_a_clear_error_and_the_other_entries_are_read()
    {
        using var folder = new TempFolder();
        var path = folder.File("bomb.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (var bomb = zip.CreateEntry("a-bomb.json", CompressionLevel.SmallestSize).Open())
            {
                bomb.Write(new byte[8 << 20]);
            }
            using var fine = new StreamWriter(zip.CreateEntry("b-fine.ndjson").Open());
            fine.Write("{\"n\":1}\n{\"n\":2}\n");
        }
        var (records, errors) = await Records.ReadAsync(path);

        Assert.Equal(2, records.Count);
        var error = Assert.Single(errors.Kept);
        Assert.EndsWith("bomb.zip/a-bomb.json", error.Ref.Origin, StringComparison.Ordinal);
        Assert.Contains("over the maximum ratio of 200:1 (a zip bomb?); refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_zip_entry_over_the_size_cap_is_refused()
    {
        using var folder = new TempFolder();
        var path = folder.File("big.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var entry = new StreamWriter(zip.CreateEntry("big.ndjson").Open());
            entry.Write(string.Join("\n", Enumerable.Range(0, 100).Select(i => $"{{\"n\":{i}}}")));
        }
        var (records, errors) = await Records.ReadAsync(path, Options with { MaxEntryBytes = 100 });

        Assert.Empty(records);
        Assert.Contains("decompressed, over the maximum of 100; refused", Assert.Single(errors.Kept).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binary_files_and_missing_paths_are_one_error_each()
    {
        var evtx = Directory.GetFiles(SharedData.Path("sigma-regression", "regression_data"), "*.evtx", SearchOption.AllDirectories)[0];
        var (records, errors) = await Records.ReadAsync([evtx, "/no/such/file.json"], Options);

        Assert.Empty(records);
        Assert.Equal(2, errors.Count);
        Assert.Contains("binary content", errors.Kept.First().Message, StringComparison.Ordinal);
        Assert.Equal("no such file or folder", errors.Kept.Last().Message);
    }

    [Fact]
    public async Task Progress_reaches_the_length_of_the_input()
    {
        var path = SharedData.Path("linux-auth", "OpenSSH", "OpenSSH_2k.log");
        var source = new InputSource([path], Options);
        await foreach (var batch in source.ReadAsync(new ErrorReport(), CancellationToken.None))
        {
            batch.Dispose();
        }
        Assert.Equal(new FileInfo(path).Length, source.Length);
        Assert.Equal(source.Length, source.Progress.Bytes);
    }

    private static int OtrfEvents(string file)
    {
        var rows = File.ReadLines(SharedData.Path("winlogs", "otrf", "INDEX.tsv")).Select(l => l.Split('\t')).ToList();
        var events = Array.IndexOf(rows[0], "events");
        return int.Parse(rows.Single(r => r[0] == file)[events], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The oracle: System.Text.Json's own multi-value reading, as SigmaHQ's renderings are meant to be read.</summary>
    private static List<string> ConcatenatedObjects(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var objects = new List<string>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            objects.Add(Encoding.UTF8.GetString(bytes, start, (int)reader.BytesConsumed - start));
        }
        return objects;
    }
}
