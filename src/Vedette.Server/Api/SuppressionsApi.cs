using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Domain;
using Vedette.Server.Auth;
using Vedette.Storage;
using Vedette.Triage;

namespace Vedette.Server.Api;

/// <summary>Suppressions: list, add, lift. A change applies to the running pipeline at once (a new set is swapped in).</summary>
internal static class SuppressionsApi
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapApi("GET", "/api/v1/suppressions", ListAsync);
        routes.MapApi("POST", "/api/v1/suppressions", AddAsync);
        routes.MapApi("DELETE", "/api/v1/suppressions/{id}", RemoveAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, IStore store, TimeProvider time)
    {
        var all = string.Equals(context.Request.Query["all"], "true", StringComparison.OrdinalIgnoreCase);
        var now = time.GetUtcNow();
        var suppressions = (await store.ListSuppressionsAsync(all, context.RequestAborted)).Where(s => all || s.IsActive(now)).ToList();
        return ApiResults.Page(suppressions, null, (writer, s) => Write(writer, s, now));
    }

    private static async Task<IResult> AddAsync(SuppressionRequest request, HttpContext context, IStore store, ActiveSuppressions active, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return (await TryAddAsync(request, context, store, active, now)).Answer(added => ApiResults.Json(writer => Write(writer, added, now), StatusCodes.Status201Created));
    }

    private static async Task<IResult> RemoveAsync(Guid id, HttpContext context, IStore store, ActiveSuppressions active, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return (await TryRemoveAsync(id, context, store, active, now)).Answer(removed => ApiResults.Json(writer => Write(writer, removed, now)));
    }

    /// <summary>Adds a suppression, audits it and swaps the pipeline's set; a request it cannot read is refused (400).</summary>
    public static async Task<Outcome<Suppression>> TryAddAsync(SuppressionRequest request, HttpContext context, IStore store, ActiveSuppressions active, DateTimeOffset now)
    {
        var caller = Caller.From(context);
        Suppression suppression;
        try
        {
            Observable? entity = request.Entity is null ? null : ParseEntity(request.Entity);
            var expires = request.Expires is null ? (DateTimeOffset?)null : Suppression.ParseExpiry(request.Expires, now);
            suppression = Suppression.Create(request.RuleId, entity, request.Fields, expires, request.Reason ?? "", caller.Name, now);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return Refusal.BadRequest(ex.Message);
        }
        await store.AddSuppressionAsync(suppression, context.RequestAborted);
        await store.AppendAuditAsync(caller.Name, "suppression.add", Target(suppression), Json(suppression, now), now, context.RequestAborted);
        await ReloadAsync(store, active, context.RequestAborted);
        return suppression;
    }

    /// <summary>Lifts a suppression, audits it and swaps the pipeline's set; the result is the suppression as lifted.</summary>
    public static async Task<Outcome<Suppression>> TryRemoveAsync(Guid id, HttpContext context, IStore store, ActiveSuppressions active, DateTimeOffset now)
    {
        var caller = Caller.From(context);
        var existing = (await store.ListSuppressionsAsync(includeRemoved: true, context.RequestAborted)).FirstOrDefault(s => s.Id == id);
        if (existing is null)
        {
            return Refusal.NotFound($"no suppression {id}");
        }
        if (!await store.RemoveSuppressionAsync(id, caller.Name, now, context.RequestAborted))
        {
            return Refusal.Conflict($"suppression {id} was already removed by {existing.RemovedBy} at {existing.RemovedAt:u}");
        }
        var removed = existing with { RemovedAt = now, RemovedBy = caller.Name };
        await store.AppendAuditAsync(caller.Name, "suppression.remove", Target(removed), Json(removed, now), now, context.RequestAborted);
        await ReloadAsync(store, active, context.RequestAborted);
        return removed;
    }

    /// <summary>The pipeline reads suppressions without locks from the set swapped in here.</summary>
    public static async Task ReloadAsync(IStore store, ActiveSuppressions active, CancellationToken cancellationToken) =>
        active.Swap(new SuppressionSet(await store.ListSuppressionsAsync(includeRemoved: false, cancellationToken)));

    public static string Target(Suppression suppression) => $"suppression/{suppression.Id}";

    public static Observable ParseEntity(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !ObservableTypes.TryParse(text[..colon], out _))
        {
            throw new FormatException($"entity must be TYPE:VALUE (host:wks01.corp.example, user:svc_backup, ipv4:10.9.0.5, ...), not '{text}'");
        }
        return ObservableTypes.TryParseValue(text[..colon], text[(colon + 1)..], out var entity)
            ? entity
            : throw new FormatException($"entity: '{text[(colon + 1)..]}' is not a valid {text[..colon]}");
    }

    public static string Json(Suppression suppression, DateTimeOffset now)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, suppression, now);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void Write(Utf8JsonWriter writer, Suppression suppression, DateTimeOffset now)
    {
        writer.WriteStartObject();
        writer.WriteString("id", suppression.Id);
        writer.WriteString("state", suppression.RemovedAt is not null ? "removed" : suppression.IsActive(now) ? "active" : "expired");
        writer.WriteString("ruleId", suppression.RuleId);
        if (suppression.Entity is { } entity)
        {
            writer.WriteString("entity", $"{ObservableTypes.ToName(entity.Type)}:{entity.Value}");
        }
        else
        {
            writer.WriteNull("entity");
        }
        writer.WriteStartObject("fields");
        foreach (var (name, value) in suppression.Fields)
        {
            writer.WriteString(name, value);
        }
        writer.WriteEndObject();
        WriteTime(writer, "expiresAt", suppression.ExpiresAt);
        writer.WriteString("reason", suppression.Reason);
        writer.WriteString("author", suppression.Author);
        writer.WriteString("createdAt", suppression.CreatedAt);
        WriteTime(writer, "removedAt", suppression.RemovedAt);
        writer.WriteString("removedBy", suppression.RemovedBy);
        writer.WriteNumber("hits", suppression.Hits);
        writer.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            writer.WriteString(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
