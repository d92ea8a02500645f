using System.Text;
using System.Text.Json;
using Vedette.Domain;
using Vedette.Serialization;
using Vedette.Storage;

namespace Vedette.Cases;

/// <summary>What placing or releasing a hold came to, with the sentence to show when nothing changed.</summary>
public sealed record HoldOutcome(HoldResult Result, string? Refusal, Incident? Incident);

/// <summary>
/// Placing and releasing legal holds with their audit entries: the API and the CLI do the same steps and refuse with
/// the same words.
/// </summary>
public static class LegalHolds
{
    public const int MaxReasonLength = 4000;

    public static async Task<HoldOutcome> PlaceAsync(IStore store, Guid incidentId, string by, string? reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > MaxReasonLength)
        {
            // A hold is kept for a legal reason; one nobody can explain later cannot be reviewed or released safely.
            throw new ArgumentException($"a legal hold needs a reason of 1 to {MaxReasonLength} characters", nameof(reason));
        }
        var result = await store.PlaceHoldAsync(incidentId, new LegalHold(by, at, reason), cancellationToken);
        var incident = await store.GetIncidentAsync(incidentId, cancellationToken);
        if (result != HoldResult.Done)
        {
            return new HoldOutcome(result, Refusal(result, incidentId, incident), incident);
        }
        await store.AppendAuditAsync(by, "incident.hold", $"incident/{incidentId}", Details(reason, null), at, cancellationToken);
        return new HoldOutcome(result, null, incident);
    }

    public static async Task<HoldOutcome> ReleaseAsync(IStore store, Guid incidentId, string by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var held = (await store.GetIncidentAsync(incidentId, cancellationToken))?.Hold;
        var result = await store.ReleaseHoldAsync(incidentId, cancellationToken);
        var incident = await store.GetIncidentAsync(incidentId, cancellationToken);
        if (result != HoldResult.Done)
        {
            return new HoldOutcome(result, Refusal(result, incidentId, incident), incident);
        }
        // The released hold goes into the entry: once released, the incident no longer says who held it or why.
        await store.AppendAuditAsync(by, "incident.release", $"incident/{incidentId}", Details(held?.Reason, held), at, cancellationToken);
        return new HoldOutcome(result, null, incident);
    }

    private static string Refusal(HoldResult result, Guid id, Incident? incident) => result switch
    {
        HoldResult.NotFound => $"no incident {id}",
        HoldResult.AlreadyHeld when incident?.Hold is { } hold => $"incident {id} is already under legal hold, placed by {hold.By} at {hold.At:u} ({hold.Reason}): release it first to change it",
        HoldResult.AlreadyHeld => $"incident {id} is already under legal hold",
        HoldResult.NotHeld => $"incident {id} is not under legal hold",
        HoldResult.Merged => $"incident {id} was merged into incident {incident?.MergedInto}: its alerts are there, hold that one",
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, "not a refusal"),
    };

    private static string Details(string? reason, LegalHold? released)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, DomainJson.WriterOptions(indented: false)))
        {
            writer.WriteStartObject();
            if (reason is not null)
            {
                writer.WriteString("reason", reason);
            }
            if (released is not null)
            {
                writer.WriteString("heldBy", released.By);
                JsonFields.WriteTime(writer, "heldAt"u8, released.At);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
