using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Storage;

namespace Vedette.Server.Api;

/// <summary>GET /api/v1/audit?after=SEQ&amp;limit=N: the hash-chained audit log, oldest first.</summary>
internal static class AuditApi
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapApi("GET", "/api/v1/audit", ReadAsync);

    private static async Task<IResult> ReadAsync(HttpContext context, IStore store)
    {
        var query = context.Request.Query;
        long after = 0;
        if (Filters.Text(query["after"]) is { } text && !long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out after))
        {
            return ApiResults.BadRequest($"after must be an audit sequence number, not '{text}'");
        }
        int limit;
        try
        {
            limit = Filters.Limit(query["limit"]);
        }
        catch (FormatException ex)
        {
            return ApiResults.BadRequest(ex.Message);
        }
        var entries = await store.ReadAuditAsync(after, limit, context.RequestAborted);
        var next = entries.Count == limit ? entries[^1].Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return ApiResults.Page(entries, next, (writer, entry) =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("sequence", entry.Sequence);
            writer.WriteString("at", entry.At);
            writer.WriteString("actor", entry.Actor);
            writer.WriteString("action", entry.Action);
            writer.WriteString("target", entry.Target);
            writer.WriteString("details", entry.Details);
            writer.WriteString("hash", entry.Hash);
            writer.WriteEndObject();
        });
    }
}
