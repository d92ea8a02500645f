using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Domain;
using Vedette.Enrich.Intel;

namespace Vedette.Server.Api;

/// <summary>GET /api/v1/intel/lookup?value=…: what the feeds know about values, from the snapshot the pipeline uses.</summary>
internal static class IntelApi
{
    public const int MaxValues = 100;

    public static void Map(IEndpointRouteBuilder routes) => routes.MapApi("GET", "/api/v1/intel/lookup", Lookup);

    private static IResult Lookup(HttpContext context, IntelService intel, TimeProvider time)
    {
        var values = context.Request.Query["value"].Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList();
        if (values.Count is 0 or > MaxValues)
        {
            return ApiResults.BadRequest($"give 1 to {MaxValues} values: ?value=1.2.3.4&value=evil.example");
        }
        var now = time.GetUtcNow();
        var snapshot = intel.Current;
        return ApiResults.Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("items");
            foreach (var value in values)
            {
                var observable = ObservableTypes.ParseQuery(value);
                writer.WriteStartObject();
                writer.WriteString("value", value);
                writer.WriteString("type", observable is { } o ? ObservableTypes.ToName(o.Type) : null);
                if (observable is null)
                {
                    writer.WriteString("error", "not an address, network, domain, URL, hash, e-mail address or ASN");
                }
                writer.WriteStartArray("matches");
                foreach (var match in observable is { } parsed ? snapshot.MatchAll(parsed, now) : [])
                {
                    writer.WriteStartObject();
                    writer.WriteString("indicator", match.Indicator.Value);
                    writer.WriteString("type", IntelMatch.TypeName(match.Indicator));
                    writer.WriteString("reason", IntelMatch.ReasonName(match.Reason));
                    writer.WriteNumber("score", match.Score);
                    writer.WriteStartArray("feeds");
                    foreach (var feed in match.Feeds)
                    {
                        writer.WriteStringValue(feed);
                    }
                    writer.WriteEndArray();
                    writer.WriteStartArray("tags");
                    foreach (var tag in match.Tags)
                    {
                        writer.WriteStringValue(tag);
                    }
                    writer.WriteEndArray();
                    writer.WriteString("firstSeen", match.FirstSeen);
                    writer.WriteString("lastSeen", match.LastSeen);
                    if (match.ExpiresAt is { } expires)
                    {
                        writer.WriteString("expiresAt", expires);
                    }
                    else
                    {
                        writer.WriteNull("expiresAt");
                    }
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteNull("next");
            writer.WriteNumber("indicators", snapshot.Count);
            writer.WriteEndObject();
        });
    }
}
