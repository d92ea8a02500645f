using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Vedette.Identity;

namespace Vedette.Server.Tests;

public sealed class IngestTests : IAsyncLifetime
{
    private const string SshFailure = """{"@timestamp":"2026-11-02T09:00:00Z","host":"web01","program":"sshd","message":"Failed password for root from 203.0.113.9 port 4242 ssh2"}""";

    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(options => options with { MaxRequestBytes = 64 * 1024 });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static StringContent Ndjson(string text) => new(text, Encoding.UTF8, "application/x-ndjson");

    [Fact]
    public async Task Bad_lines_are_reported_by_line_number_and_the_good_ones_are_kept()
    {
        var body = string.Join('\n',
            SshFailure,
            "{not json",
            "",
            """{"kind":"alert","title":"EDR: credential dumping","severity":"catastrophic"}""",
            """{"kind":"alert","title":"EDR: credential dumping","severity":"high","host":"wks7","observables":[{"type":"host","value":"wks7"}]}""") + "\n";

        var response = await _server.Client(Role.Analyst).PostAsync("/api/v1/events", Ndjson(body));
        var result = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal((4, 2, 2), (result.GetProperty("lines").GetInt32(), result.GetProperty("accepted").GetInt32(), result.GetProperty("rejected").GetInt32()));
        var errors = result.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal([2L, 4L], errors.Select(e => e.GetProperty("line").GetInt64()));
        Assert.Contains("catastrophic", errors[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        // Durable when answered: the external alert of line 5 is in the store now.
        var (_, alerts) = await Json.GetAsync(_server.Client(Role.Viewer), "/api/v1/alerts?rule=external:EDR:%20credential%20dumping");
        var stored = Assert.Single(alerts.GetProperty("items").EnumerateArray());
        var (_, shown) = await Json.GetAsync(_server.Client(Role.Viewer), $"/api/v1/alerts/{stored.GetProperty("id").GetString()}");
        var evidence = shown.GetProperty("evidence")[0];
        Assert.Equal(($"api:{result.GetProperty("id").GetString()}", 5), (evidence.GetProperty("ref").GetString(), evidence.GetProperty("line").GetInt32()));
    }

    [Fact]
    public async Task A_gzip_body_is_decoded_and_an_unknown_encoding_is_refused()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(SshFailure + "\n", 50))));
        }
        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentEncoding.Add("gzip");
        var response = await _server.Client(Role.Analyst).PostAsync("/api/v1/events", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(50, (await Json.ReadAsync(response)).GetProperty("accepted").GetInt32());

        var brotli = new StringContent(SshFailure);
        brotli.Headers.ContentEncoding.Add("br");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await _server.Client(Role.Analyst).PostAsync("/api/v1/events", brotli)).StatusCode);

        // A valid gzip header, then a deflate block of the reserved type: not decodable.
        var broken = new ByteArrayContent([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff, 0x07, 0x00, 0x00, 0x00]);
        broken.Headers.ContentEncoding.Add("gzip");
        Assert.Equal(HttpStatusCode.BadRequest, (await _server.Client(Role.Analyst).PostAsync("/api/v1/events", broken)).StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_cap_is_refused_with_413_whether_sent_plain_chunked_or_as_a_small_gzip_bomb()
    {
        var large = string.Concat(Enumerable.Repeat(SshFailure + "\n", 1000));
        var plain = await _server.Client(Role.Analyst).PostAsync("/api/v1/events", Ndjson(large));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, plain.StatusCode);

        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(large)));
        chunked.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _server.Client(Role.Analyst).SendAsync(request)).StatusCode);

        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(new byte[10 << 20]);
        }
        Assert.True(compressed.Length < 64 * 1024);
        var bomb = new ByteArrayContent(compressed.ToArray());
        bomb.Headers.ContentEncoding.Add("gzip");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _server.Client(Role.Analyst).PostAsync("/api/v1/events", bomb)).StatusCode);
        Assert.Equal(0, _server.Queue.QueuedBytes);
    }

    [Fact]
    public async Task A_full_pipeline_answers_429_with_Retry_After_and_takes_nothing_until_it_drains()
    {
        await using var server = await TestServer.StartAsync(options => options with { IngestQueueBytes = 1, RetryAfterSeconds = 2 });
        var client = server.Client(Role.Analyst);
        server.Queue.Pause();
        var first = client.PostAsync("/api/v1/events", Ndjson(SshFailure + "\n"));
        while (server.Queue.QueuedBytes == 0)
        {
            Assert.False(first.IsCompleted, "the first request finished while the queue was paused");
            await Task.Delay(10);
        }

        var refused = await client.PostAsync("/api/v1/events", Ndjson(SshFailure + "\n"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(1, server.Queue.RefusedRequests);

        server.Queue.Resume();
        Assert.Equal(HttpStatusCode.Accepted, (await first).StatusCode);
        Assert.Equal(0, server.Queue.QueuedBytes);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/v1/events", Ndjson(SshFailure + "\n"))).StatusCode);
    }

    [Fact]
    public async Task Alerts_from_other_tools_arrive_in_Vedette_shape_and_as_Elastic_and_Wazuh_webhooks()
    {
        var analyst = _server.Client(Role.Analyst);
        var (own, ownResult) = await Json.PostAsync(analyst, "/api/v1/alerts", new object[]
        {
            new { title = "EDR: LSASS access", severity = "high", producer = "edr", ruleId = "edr-lsass", host = "wks9", observables = new[] { new { type = "host", value = "wks9" } } },
            new { title = "no severity" },
        });
        Assert.Equal(HttpStatusCode.Accepted, own.StatusCode);
        Assert.Equal((1, 1), (ownResult.GetProperty("accepted").GetInt32(), ownResult.GetProperty("rejected").GetInt32()));
        Assert.Equal(2, ownResult.GetProperty("errors")[0].GetProperty("line").GetInt32());

        var elastic = JsonDocument.Parse("""
            {"alerts": [{"@timestamp": "2026-11-02T10:00:00Z", "kibana.alert.rule.name": "Potential SSH Brute Force", "kibana.alert.rule.rule_id": "abc-123",
              "kibana.alert.severity": "medium", "kibana.alert.reason": "many failures", "host": {"name": "bastion"}, "source": {"ip": "198.51.100.7"},
              "user": {"name": "root"}, "kibana.alert.rule.threat": [{"technique": [{"id": "T1110"}]}]}]}
            """).RootElement;
        var (elasticResponse, _) = await Json.PostAsync(analyst, "/api/v1/alerts/elastic", elastic);
        Assert.Equal(HttpStatusCode.Accepted, elasticResponse.StatusCode);

        var wazuh = JsonDocument.Parse("""
            {"timestamp": "2026-11-02T10:05:00.000+0000", "rule": {"level": 10, "description": "sshd: brute force trying to get access", "id": "5712",
              "mitre": {"id": ["T1110"]}, "groups": ["syslog", "sshd"]}, "agent": {"id": "001", "name": "web02", "ip": "10.0.0.12"},
              "data": {"srcip": "192.0.2.44", "srcuser": "admin"}, "full_log": "Failed password for admin"}
            """).RootElement;
        var (wazuhResponse, _) = await Json.PostAsync(analyst, "/api/v1/alerts/wazuh", wazuh);
        Assert.Equal(HttpStatusCode.Accepted, wazuhResponse.StatusCode);

        var viewer = _server.Client(Role.Viewer);
        var (_, fromElastic) = await Json.GetAsync(viewer, "/api/v1/alerts?rule=elastic:abc-123");
        var e = Assert.Single(fromElastic.GetProperty("items").EnumerateArray());
        Assert.Equal(("Potential SSH Brute Force", "medium", "elastic"), (e.GetProperty("title").GetString(), e.GetProperty("severity").GetString(), e.GetProperty("producer").GetString()));
        Assert.Contains(e.GetProperty("observables").EnumerateArray(), o => o.GetProperty("value").GetString() == "198.51.100.7");
        Assert.Contains(e.GetProperty("tags").EnumerateArray(), t => t.GetString() == "attack.t1110");

        var (_, fromWazuh) = await Json.GetAsync(viewer, "/api/v1/alerts?rule=wazuh:5712");
        var w = Assert.Single(fromWazuh.GetProperty("items").EnumerateArray());
        Assert.Equal("high", w.GetProperty("severity").GetString());
        Assert.Contains(w.GetProperty("observables").EnumerateArray(), o => o.GetProperty("value").GetString() == "192.0.2.44");
        Assert.Contains(w.GetProperty("observables").EnumerateArray(), o => o.GetProperty("type").GetString() == "host" && o.GetProperty("value").GetString() == "web02");
    }

    [Fact]
    public async Task A_revoked_token_fails_on_the_very_next_request()
    {
        var owner = await _server.Identity.FindUserAsync("analyst", CancellationToken.None);
        var token = await _server.IssueTokenAsync(owner!, Role.Analyst);
        var client = _server.ClientWithToken(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/alerts")).StatusCode);
        var record = (await _server.Identity.FindTokenAsync(ApiTokens.Hash(token), CancellationToken.None))!;

        var revoke = await client.DeleteAsync($"/api/v1/tokens/{record.Id}");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/alerts")).StatusCode);
        Assert.Contains(await _server.AuditAsync(), a => a.Action == "token.revoke" && a.Target == $"token/{record.Id}");
    }

    [Fact]
    public async Task An_expired_token_and_a_token_of_a_disabled_user_are_refused()
    {
        var owner = await _server.AddUserAsync("temp", Role.Analyst);
        var expiring = await _server.IssueTokenAsync(owner, Role.Analyst, TimeSpan.FromMilliseconds(1));
        await Task.Delay(20);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.ClientWithToken(expiring).GetAsync("/api/v1/alerts")).StatusCode);

        var token = await _server.IssueTokenAsync(owner, Role.Analyst);
        Assert.Equal(HttpStatusCode.OK, (await _server.ClientWithToken(token).GetAsync("/api/v1/alerts")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.Client(Role.Admin).PostAsync("/api/v1/users/temp/disable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.ClientWithToken(token).GetAsync("/api/v1/alerts")).StatusCode);
    }
}
