using System.Text.Json;
using Vedette.Domain;

namespace Vedette.Serialization;

public static partial class DomainJson
{
    public static void WriteIncident(Utf8JsonWriter writer, Incident incident)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, incident.Id);
        writer.WriteString("title"u8, incident.Title);
        writer.WriteString("severity"u8, incident.Severity.ToName());
        writer.WriteNumber("score"u8, incident.Score);
        WriteRisk(writer, incident.Risk);
        JsonFields.WriteTime(writer, "dueAt"u8, incident.DueAt);
        if (incident.MergedInto is { } mergedInto)
        {
            writer.WriteString("mergedInto"u8, mergedInto);
        }
        if (incident.Hold is { } hold)
        {
            writer.WriteStartObject("hold"u8);
            writer.WriteString("by"u8, hold.By);
            JsonFields.WriteTime(writer, "at"u8, hold.At);
            writer.WriteString("reason"u8, hold.Reason);
            writer.WriteEndObject();
        }
        WriteWorkflow(writer, incident);
        JsonFields.WriteTime(writer, "createdAt"u8, incident.CreatedAt);
        JsonFields.WriteTime(writer, "firstSeen"u8, incident.FirstSeen);
        JsonFields.WriteTime(writer, "lastSeen"u8, incident.LastSeen);
        writer.WriteStartArray("alertIds"u8);
        foreach (var alertId in incident.AlertIds)
        {
            writer.WriteStringValue(alertId);
        }
        writer.WriteEndArray();
        WriteStrings(writer, "ruleIds"u8, incident.RuleIds);
        WriteObservables(writer, "entities"u8, incident.Entities);
        writer.WriteStartArray("grouping"u8);
        foreach (var reason in incident.Grouping)
        {
            writer.WriteStartObject();
            writer.WriteString("alertId"u8, reason.AlertId);
            if (reason.Via is { } via)
            {
                writer.WriteStartObject("via"u8);
                WriteObservable(writer, via);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNull("via"u8);
            }
            writer.WriteString("explanation"u8, reason.Explanation);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        WriteTransitions(writer, incident.Transitions);
        writer.WriteEndObject();
    }

    public static Incident ReadIncident(JsonElement json)
    {
        var incident = new Incident(
            JsonFields.Guid(json, "id"u8), JsonFields.Time(json, "createdAt"u8), JsonFields.String(json, "title"u8), JsonFields.Time(json, "firstSeen"u8))
        {
            Severity = ReadSeverity(json),
            Score = JsonFields.Int32(json, "score"u8),
            LastSeen = JsonFields.Time(json, "lastSeen"u8),
            Risk = ReadRisk(json),
            MergedInto = JsonFields.OptionalGuid(json, "mergedInto"u8),
        };
        // Incidents stored before SLAs existed have no due time: their creation time puts them first among equals.
        incident.DueAt = JsonFields.IsAbsent(json, "dueAt"u8, out _) ? incident.CreatedAt : JsonFields.Time(json, "dueAt"u8);
        foreach (var alertId in JsonFields.Array(json, "alertIds"u8))
        {
            incident.AlertIds.Add(alertId.ValueKind == JsonValueKind.String && alertId.TryGetGuid(out var id) ? id : throw JsonFields.Invalid("alertIds"u8, alertId.GetRawText()));
        }
        if (!JsonFields.IsAbsent(json, "hold"u8, out var hold))
        {
            incident.Hold = new LegalHold(JsonFields.String(hold, "by"u8), JsonFields.Time(hold, "at"u8), JsonFields.String(hold, "reason"u8));
        }
        ReadStrings(json, "ruleIds"u8, incident.RuleIds);
        ReadObservables(json, "entities"u8, incident.Entities);
        foreach (var reason in JsonFields.Array(json, "grouping"u8))
        {
            Observable? via = JsonFields.IsAbsent(reason, "via"u8, out var viaJson) ? null : ReadObservable(viaJson);
            incident.Grouping.Add(new GroupingReason(JsonFields.Guid(reason, "alertId"u8), via, JsonFields.String(reason, "explanation"u8)));
        }
        ReadWorkflow(json, incident);
        return incident;
    }
}
