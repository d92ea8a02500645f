using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Cases;
using Vedette.Serialization;
using Vedette.Server.Auth;
using Vedette.Storage;

namespace Vedette.Server.Api;

/// <summary>The body of POST /api/v1/incidents/{id}/hold.</summary>
public sealed record HoldRequest(string? Reason);

/// <summary>Legal hold on incidents: retention keeps a held incident and its alerts until the hold is released.</summary>
internal static class HoldApi
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapApi("POST", "/api/v1/incidents/{id}/hold", PlaceAsync);
        routes.MapApi("DELETE", "/api/v1/incidents/{id}/hold", ReleaseAsync);
    }

    private static async Task<IResult> PlaceAsync(Guid id, HoldRequest request, HttpContext context, IStore store, TimeProvider time)
    {
        try
        {
            return Answer(await LegalHolds.PlaceAsync(store, id, Caller.From(context).Name, request.Reason, time.GetUtcNow(), context.RequestAborted));
        }
        catch (ArgumentException ex)
        {
            return ApiResults.BadRequest(ex.Message);
        }
    }

    private static async Task<IResult> ReleaseAsync(Guid id, HttpContext context, IStore store, TimeProvider time) =>
        Answer(await LegalHolds.ReleaseAsync(store, id, Caller.From(context).Name, time.GetUtcNow(), context.RequestAborted));

    private static IResult Answer(HoldOutcome outcome) => outcome switch
    {
        { Result: HoldResult.Done, Incident: { } incident } => ApiResults.Json(writer => DomainJson.WriteIncident(writer, incident)),
        { Result: HoldResult.NotFound } or { Incident: null } => ApiResults.NotFound(outcome.Refusal ?? "the incident is gone"),
        _ => ApiResults.Conflict(outcome.Refusal!),
    };
}
