using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Detection;
using Vedette.Detection.Rules;
using Vedette.Domain;
using Vedette.Server.Auth;
using Vedette.Storage;
using Vedette.Triage;

namespace Vedette.Server.Api;

/// <summary>
/// The loaded rules and their status. Disabling a rule in a running server silences its alerts through a rule-wide
/// suppression (the pipeline's rule set stays compiled as loaded): they are still stored and counted, but join no
/// incident, and the suppression records who disabled it and why. Enabling lifts every rule-wide suppression of it.
/// </summary>
internal static class RulesApi
{
    private const string DisabledPrefix = "rule disabled";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapApi("GET", "/api/v1/rules", ListAsync);
        routes.MapApi("GET", "/api/v1/rules/{id}", ShowAsync);
        routes.MapApi("PUT", "/api/v1/rules/{id}/status", SetStatusAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, RuleSet rules, IStore store, TimeProvider time)
    {
        var disabled = await DisabledAsync(store, time.GetUtcNow(), context.RequestAborted);
        var listed = Ordered(rules);
        return ApiResults.Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("items");
            foreach (var rule in listed)
            {
                Write(writer, rule, disabled);
            }
            writer.WriteEndArray();
            writer.WriteNull("next");
            writer.WriteNumber("failedToLoad", rules.Errors.Count);
            writer.WriteStartArray("failed");
            foreach (var error in rules.Errors)
            {
                WriteFailure(writer, error);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static async Task<IResult> ShowAsync(string id, HttpContext context, RuleSet rules, IStore store, TimeProvider time)
    {
        if (Find(rules, id) is not { } rule)
        {
            return ApiResults.NotFound($"no rule {id}");
        }
        var disabled = await DisabledAsync(store, time.GetUtcNow(), context.RequestAborted);
        return ApiResults.Json(writer => Write(writer, rule, disabled));
    }

    private static async Task<IResult> SetStatusAsync(string id, RuleStatusRequest request, HttpContext context, RuleSet rules, IStore store, ActiveSuppressions active, TimeProvider time)
    {
        var outcome = await TrySetStatusAsync(id, request, context, rules, store, active, time);
        if (outcome.Value is not { } rule)
        {
            return outcome.Refused!.ToProblem();
        }
        var disabled = await DisabledAsync(store, time.GetUtcNow(), context.RequestAborted);
        return ApiResults.Json(writer => Write(writer, rule, disabled));
    }

    /// <summary>
    /// Disables a rule (a rule-wide suppression recording who and why) or enables it (every such suppression lifted);
    /// audited, and the pipeline's suppression set swapped. Asking for the status a rule has already changes nothing.
    /// </summary>
    public static async Task<Outcome<LoadedRule>> TrySetStatusAsync(string id, RuleStatusRequest request, HttpContext context, RuleSet rules, IStore store, ActiveSuppressions active, TimeProvider time)
    {
        if (Find(rules, id) is not { } rule)
        {
            return Refusal.NotFound($"no rule {id}");
        }
        var enable = request.Status?.ToLowerInvariant() switch
        {
            "enabled" => true,
            "disabled" => false,
            _ => (bool?)null,
        };
        if (enable is null)
        {
            return Refusal.BadRequest($"status must be enabled or disabled, not '{request.Status}'");
        }
        var caller = Caller.From(context);
        var now = time.GetUtcNow();
        var ct = context.RequestAborted;
        var current = (await DisabledAsync(store, now, ct)).GetValueOrDefault(rule.Meta.Id) ?? [];
        if (enable.Value)
        {
            foreach (var suppression in current)
            {
                await store.RemoveSuppressionAsync(suppression.Id, caller.Name, now, ct);
            }
            if (current.Count > 0)
            {
                await store.AppendAuditAsync(caller.Name, "rule.enable", $"rule/{rule.Meta.Id}", WorkItemActions.Details(("reason", request.Reason)), now, ct);
            }
        }
        else if (current.Count == 0)
        {
            var reason = string.IsNullOrWhiteSpace(request.Reason) ? DisabledPrefix : $"{DisabledPrefix}: {request.Reason.Trim()}";
            var suppression = Suppression.Create(rule.Meta.Id, null, null, null, reason, caller.Name, now);
            await store.AddSuppressionAsync(suppression, ct);
            await store.AppendAuditAsync(caller.Name, "rule.disable", $"rule/{rule.Meta.Id}",
                WorkItemActions.Details(("reason", request.Reason), ("suppression", suppression.Id)), now, ct);
        }
        await SuppressionsApi.ReloadAsync(store, active, ct);
        return rule;
    }

    /// <summary>The loaded rules in the order every listing shows them: by title, then id.</summary>
    public static List<LoadedRule> Ordered(RuleSet rules) =>
        rules.Rules.OrderBy(r => r.Meta.Title, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Meta.Id, StringComparer.Ordinal).ToList();

    private static LoadedRule? Find(RuleSet rules, string id) =>
        rules.Rules.FirstOrDefault(r => string.Equals(r.Meta.Id, id, StringComparison.OrdinalIgnoreCase) || string.Equals(r.Meta.Name, id, StringComparison.Ordinal));

    /// <summary>Active suppressions that silence a whole rule (no entity, no fields), by rule id.</summary>
    public static async Task<Dictionary<string, List<Suppression>>> DisabledAsync(IStore store, DateTimeOffset now, CancellationToken ct)
    {
        var disabled = new Dictionary<string, List<Suppression>>(StringComparer.Ordinal);
        foreach (var suppression in await store.ListSuppressionsAsync(includeRemoved: false, ct))
        {
            if (suppression is { RuleId: { } ruleId, Entity: null, Fields.Count: 0 } && suppression.IsActive(now))
            {
                if (!disabled.TryGetValue(ruleId, out var list))
                {
                    disabled[ruleId] = list = [];
                }
                list.Add(suppression);
            }
        }
        return disabled;
    }

    /// <summary>A rule that failed to load: where (file and line; 0 when the whole file failed) and why.</summary>
    private static void WriteFailure(Utf8JsonWriter writer, RuleLoadError error)
    {
        writer.WriteStartObject();
        writer.WriteString("file", error.Source.File);
        writer.WriteNumber("line", error.Source.Line);
        writer.WriteString("ruleId", error.RuleId);
        writer.WriteString("reason", error.Reason);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, LoadedRule rule, Dictionary<string, List<Suppression>> disabled)
    {
        writer.WriteStartObject();
        writer.WriteString("id", rule.Meta.Id);
        writer.WriteString("name", rule.Meta.Name);
        writer.WriteString("title", rule.Meta.Title);
        writer.WriteString("level", rule.Meta.Level?.ToName());
        writer.WriteString("sigmaStatus", rule.Meta.Status);
        writer.WriteString("logsource", rule.LogSource?.ToString());
        writer.WriteBoolean("correlation", rule.IsCorrelation);
        writer.WriteBoolean("generatesAlerts", rule.GeneratesAlerts);
        writer.WriteStartArray("tags");
        foreach (var tag in rule.Meta.Tags)
        {
            writer.WriteStringValue(tag);
        }
        writer.WriteEndArray();
        var silencedBy = disabled.GetValueOrDefault(rule.Meta.Id);
        writer.WriteString("status", silencedBy is { Count: > 0 } ? "disabled" : "enabled");
        writer.WriteStartArray("disabledBy");
        foreach (var suppression in silencedBy ?? [])
        {
            writer.WriteStartObject();
            writer.WriteString("suppression", suppression.Id);
            writer.WriteString("author", suppression.Author);
            writer.WriteString("reason", suppression.Reason);
            writer.WriteString("at", suppression.CreatedAt);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
