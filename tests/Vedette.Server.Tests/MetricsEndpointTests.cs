using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Vedette.Identity;
using Vedette.Pipeline;
using Vedette.Server.Telemetry;

namespace Vedette.Server.Tests;

/// <summary>
/// /metrics read the way Prometheus reads it: the scrape is parsed by the reference Python client's text-format parser
/// (Debian's python3-prometheus-client), not by a parser written for the test.
/// </summary>
public sealed partial class MetricsEndpointTests
{
    private const string SshFailure = """{"@timestamp":"2026-11-02T09:00:00Z","host":"web01","program":"sshd","message":"Failed password for root from 203.0.113.9 port 4242 ssh2"}""";

    private const string Python = "/usr/bin/python3";

    private static readonly string[] Stages = ["ingest", "normalize", "detect", "enrich", "triage", "store", "respond"];

    [Fact]
    public async Task The_scrape_parses_as_Prometheus_text_and_its_counters_equal_the_pipelines_own()
    {
        await using var server = await TestServer.StartAsync();
        await IngestAsync(server);

        var text = await server.Client(Role.Viewer).GetStringAsync("/metrics");
        var families = Parse(text);
        var stats = server.App.Services.GetRequiredService<EventPipeline>().Stats;

        foreach (var (name, read) in new (string, Func<StageCounters, long>)[] { ("vedette_pipeline_received", s => s.Received), ("vedette_pipeline_sent", s => s.Sent), ("vedette_pipeline_errors", s => s.Errors) })
        {
            var family = Family(families, name, "counter");
            Assert.Equal(Stages.Order(), family.Samples.Select(s => s.Labels["stage"]).Order());
            foreach (var stage in stats.Stages)
            {
                Assert.Equal(read(stage), family.Value(name + "_total", ("stage", stage.Stage)));
            }
        }
        Assert.Equal(60, stats.Normalize.Received);
        var dropped = Family(families, "vedette_pipeline_dropped", "counter");
        // Only the drops the pipeline has a path for, each under its stage.
        Assert.Equal(["normalize/invalid_record", "store/store_failed"], dropped.Samples.Select(s => $"{s.Labels["stage"]}/{s.Labels["reason"]}").Order(StringComparer.Ordinal));
        Assert.Equal(2, dropped.Value("vedette_pipeline_dropped_total", ("stage", "normalize"), ("reason", "invalid_record")));
        Assert.Equal(0, dropped.Value("vedette_pipeline_dropped_total", ("stage", "store"), ("reason", "store_failed")));
        Assert.Equal(stats.BytesRead, Family(families, "vedette_pipeline_read_bytes", "counter").Value("vedette_pipeline_read_bytes_total"));
        Assert.Equal(Stages.Skip(1).Order(), Family(families, "vedette_pipeline_channel_depth", "gauge").Samples.Select(s => s.Labels["stage"]).Order());
        Assert.All(Family(families, "vedette_pipeline_channel_capacity", "gauge").Samples, s => Assert.True(s.Value > 0, $"{s.Name} {s.Value}"));

        var queue = server.Queue;
        Assert.Equal(0, Family(families, "vedette_intake_queued_bytes", "gauge").Value("vedette_intake_queued_bytes"));
        Assert.Equal(queue.CapacityBytes, Family(families, "vedette_intake_capacity_bytes", "gauge").Value("vedette_intake_capacity_bytes"));
        var requests = Family(families, "vedette_intake_requests", "counter");
        Assert.Equal(queue.AdmittedRequests, requests.Value("vedette_intake_requests_total", ("outcome", "admitted")));
        Assert.Equal(3, queue.AdmittedRequests);

        var latency = Family(families, "vedette_intake_duration_seconds", "histogram");
        Assert.Equal(3, latency.Value("vedette_intake_duration_seconds_count", ("outcome", "stored")));
        Assert.Equal(3, latency.Value("vedette_intake_duration_seconds_bucket", ("outcome", "stored"), ("le", "+Inf")));

        // ASP.NET Core's request durations, labelled by route template: the ingest requests above count under one series.
        var http = Family(families, "http_server_request_duration_seconds", "histogram");
        Assert.Equal(3, http.Value("http_server_request_duration_seconds_count", ("http_route", "/api/v1/events"), ("http_request_method", "POST"), ("http_response_status_code", "202")));

        AssertLowCardinality(families);
    }

    [Fact]
    public async Task Without_a_token_the_scrape_is_refused_and_nothing_is_disclosed()
    {
        await using var server = await TestServer.StartAsync();

        var response = await server.Client(null).GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("vedette_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_metricsUrls_the_scrape_is_served_there_without_credentials_and_nowhere_else()
    {
        await using var server = await TestServer.StartAsync(options => options with { MetricsUrls = "http://127.0.0.1:0" });
        await IngestAsync(server);
        var listener = server.App.Services.GetServices<IHostedService>().OfType<MetricsListener>().Single();
        using var anonymous = new HttpClient { BaseAddress = new Uri(listener.Addresses.Single()) };

        var families = Parse(await anonymous.GetStringAsync("/metrics"));
        var stats = server.App.Services.GetRequiredService<EventPipeline>().Stats;

        Assert.Equal(stats.Store.Sent, Family(families, "vedette_pipeline_sent", "counter").Value("vedette_pipeline_sent_total", ("stage", "store")));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/v1/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client(Role.Admin).GetAsync("/metrics")).StatusCode);
    }

    /// <summary>Three requests of 20 lines, two of them not JSON; returns once the respond stage has seen every stored alert.</summary>
    private static async Task IngestAsync(TestServer server)
    {
        for (var request = 0; request < 3; request++)
        {
            var lines = Enumerable.Repeat(SshFailure, 20).ToArray();
            if (request == 1)
            {
                lines[3] = "{not json";
                lines[7] = "[1, 2";
            }
            var response = await server.Client(Role.Analyst).PostAsync("/api/v1/events", new StringContent(string.Join('\n', lines) + "\n", Encoding.UTF8, "application/x-ndjson"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        // A 202 means stored; the respond stage runs after the store, so its counters catch up a moment later.
        var stats = server.App.Services.GetRequiredService<EventPipeline>().Stats;
        var waited = Stopwatch.StartNew();
        while (stats.Respond.Received != stats.Store.Sent && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }
        Assert.Equal(stats.Store.Sent, stats.Respond.Received);
    }

    /// <summary>Every label value of the server's own metrics comes from a closed set; none anywhere is an id or an address.</summary>
    private static void AssertLowCardinality(IReadOnlyList<MetricFamily> families)
    {
        var closed = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal)
        {
            ["stage"] = [.. Stages],
            ["reason"] = [.. DropReasons.All.Select(r => r.ToName())],
            ["outcome"] = ["admitted", "refused", "stored", "failed"],
        };
        foreach (var family in families)
        {
            foreach (var sample in family.Samples)
            {
                foreach (var (label, value) in sample.Labels)
                {
                    Assert.False(Identifier().IsMatch(value), $"{sample.Name} has label {label}=\"{value}\", an id or address");
                    if (family.Name.StartsWith("vedette_", StringComparison.Ordinal) && label != "le" && !label.StartsWith("otel_", StringComparison.Ordinal))
                    {
                        Assert.True(closed.TryGetValue(label, out var allowed) && allowed.Contains(value), $"{sample.Name} has label {label}=\"{value}\" outside its closed set");
                    }
                }
            }
        }
    }

    [GeneratedRegex(@"[0-9a-f]{8}-[0-9a-f]{4}-|[0-9a-f]{32}|\b\d{1,3}(\.\d{1,3}){3}\b|api:", RegexOptions.IgnoreCase)]
    private static partial Regex Identifier();

    private static MetricFamily Family(IReadOnlyList<MetricFamily> families, string name, string type)
    {
        var family = families.SingleOrDefault(f => f.Name == name);
        Assert.True(family is not null, $"no metric family {name} in the scrape; it has {string.Join(", ", families.Select(f => f.Name))}");
        Assert.Equal(type, family.Type);
        return family;
    }

    /// <summary>The scrape as python3-prometheus-client's parser reads it; throws when the parser rejects it.</summary>
    private static IReadOnlyList<MetricFamily> Parse(string text)
    {
        const string script = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            families = [{"name": f.name, "type": f.type, "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]}
                        for f in text_string_to_metric_families(sys.stdin.read())]
            json.dump(families, sys.stdout)
            """;
        // Debian's interpreter, which sees Debian's python3-prometheus-client (a python3 earlier on PATH may not).
        var start = new ProcessStartInfo(Python, ["-c", script]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"{Python} is missing; the /metrics tests parse with Debian's Prometheus client: apt-get install -y python3-prometheus-client", ex);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                process.StandardInput.Write(text);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The parser exited before reading it all: its exit code and error say why.
            }
            var json = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                var error = stderr.Result;
                Assert.Fail(error.Contains("No module named 'prometheus_client'", StringComparison.Ordinal)
                    ? "the /metrics tests parse with Debian's Prometheus client, which is missing: apt-get install -y python3-prometheus-client"
                    : $"the Prometheus parser rejected the scrape: {error}\n{text}");
            }
            using var document = JsonDocument.Parse(json);
            return [.. document.RootElement.EnumerateArray().Select(f => new MetricFamily(
                f.GetProperty("name").GetString()!,
                f.GetProperty("type").GetString()!,
                [.. f.GetProperty("samples").EnumerateArray().Select(s => new Sample(
                    s.GetProperty("name").GetString()!,
                    s.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal),
                    s.GetProperty("value").GetDouble()))]))];
        }
    }

    private sealed record Sample(string Name, Dictionary<string, string> Labels, double Value);

    private sealed record MetricFamily(string Name, string Type, IReadOnlyList<Sample> Samples)
    {
        /// <summary>The one sample of that name whose labels include these.</summary>
        public double Value(string sample, params (string Label, string Value)[] labels)
        {
            var matches = Samples.Where(s => s.Name == sample && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).ToList();
            Assert.True(matches.Count == 1, $"{matches.Count} samples {sample}{{{string.Join(",", labels.Select(l => $"{l.Label}=\"{l.Value}\""))}}} in {Name}");
            return matches[0].Value;
        }
    }
}
