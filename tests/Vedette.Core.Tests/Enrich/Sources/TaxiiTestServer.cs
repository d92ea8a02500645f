using System.Globalization;
using System.Text.Json;

namespace Vedette.Tests.Enrich.Sources;

/// <summary>
/// A TAXII 2.1 server on loopback: discovery, one API root with one collection of STIX indicators, and the objects
/// endpoint with added_after, limit and next, as the specification describes them.
/// </summary>
public sealed class TaxiiTestServer : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly List<(DateTimeOffset Added, string Id, string Json)> _objects = [];
    private readonly Lock _lock = new();

    public TaxiiTestServer(bool pagesWithNext = true)
    {
        PagesWithNext = pagesWithNext;
        Http = new LoopbackServer(Handle);
    }

    /// <summary>False: a server that says "more" but gives no next token (clients page by date added).</summary>
    public bool PagesWithNext { get; }

    public LoopbackServer Http { get; }

    public string ApiRoot => Http.Url("/api1/");

    public string Collection => Http.Url("/api1/collections/c1/");

    /// <summary>Adds indicators, each added one second after the last; returns their ids.</summary>
    public IReadOnlyList<string> Add(int count)
    {
        lock (_lock)
        {
            var ids = new List<string>();
            for (var i = 0; i < count; i++)
            {
                var n = _objects.Count + 1;
                var id = $"indicator--00000000-0000-4000-8000-{n:D12}";
                var json = JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["type"] = "indicator",
                    ["spec_version"] = "2.1",
                    ["id"] = id,
                    ["created"] = "2026-01-01T00:00:00.000Z",
                    ["modified"] = "2026-01-01T00:00:00.000Z",
                    ["pattern"] = $"[ipv4-addr:value = '203.0.113.{n}']",
                    ["pattern_type"] = "stix",
                    ["valid_from"] = "2026-01-01T00:00:00Z",
                });
                _objects.Add((Start.AddSeconds(n), id, json));
                ids.Add(id);
            }
            return ids;
        }
    }

    public ValueTask DisposeAsync() => Http.DisposeAsync();

    private LoopbackResponse Handle(LoopbackRequest request)
    {
        if (request.Header("Accept")?.Contains("application/taxii+json;version=2.1", StringComparison.Ordinal) != true)
        {
            return LoopbackResponse.Empty(406);
        }
        return request.Path switch
        {
            "/taxii2/" => Json(new { title = "Test TAXII", @default = ApiRoot, api_roots = new[] { ApiRoot } }),
            "/api1/collections/" => Json(new
            {
                collections = new[]
                {
                    new { id = "c1", title = "Indicators", can_read = true, can_write = false, media_types = new[] { "application/stix+json;version=2.1" } },
                },
            }),
            "/api1/collections/c1/objects/" => Objects(request),
            _ => LoopbackResponse.Empty(404),
        };
    }

    private LoopbackResponse Objects(LoopbackRequest request)
    {
        var after = request.Query("added_after") is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture) : DateTimeOffset.MinValue;
        var limit = int.Parse(request.Query("limit") ?? "100", CultureInfo.InvariantCulture);
        var offset = request.Query("next") is { } next ? int.Parse(next[1..], CultureInfo.InvariantCulture) : 0;
        List<(DateTimeOffset Added, string Id, string Json)> matching;
        lock (_lock)
        {
            matching = [.. _objects.Where(item => item.Added > after)];
        }
        var page = matching.Skip(offset).Take(limit).ToList();
        if (page.Count == 0)
        {
            return LoopbackResponse.Text("{}").With("Content-Type", "application/taxii+json;version=2.1");
        }
        var more = offset + page.Count < matching.Count;
        var nextToken = more && PagesWithNext ? $",\"next\":\"p{offset + page.Count}\"" : "";
        var body = $"{{\"more\":{(more ? "true" : "false")}{nextToken},\"objects\":[{string.Join(',', page.Select(item => item.Json))}]}}";
        return LoopbackResponse.Text(body)
            .With("Content-Type", "application/taxii+json;version=2.1")
            .With("X-TAXII-Date-Added-First", Stamp(page[0].Added))
            .With("X-TAXII-Date-Added-Last", Stamp(page[^1].Added));
    }

    private static LoopbackResponse Json(object value) =>
        LoopbackResponse.Text(JsonSerializer.Serialize(value)).With("Content-Type", "application/taxii+json;version=2.1");

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
