using System.Text.Json;
using Vedette.Domain;

namespace Vedette.Serialization;

public static partial class DomainJson
{
    /// <summary>Writes an alert as one JSON object; evidence is optional because lists and the store's document leave it out.</summary>
    public static void WriteAlert(Utf8JsonWriter writer, Alert alert, bool includeEvidence)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, alert.Id);
        writer.WriteString("ruleId"u8, alert.RuleId);
        writer.WriteString("title"u8, alert.Title);
        writer.WriteString("origin"u8, OriginName(alert.Origin));
        writer.WriteString("severity"u8, alert.Severity.ToName());
        writer.WriteString("producer"u8, alert.Producer);
        writer.WriteString("description"u8, alert.Description);
        JsonFields.WriteTime(writer, "createdAt"u8, alert.CreatedAt);
        JsonFields.WriteTime(writer, "firstSeen"u8, alert.FirstSeen);
        JsonFields.WriteTime(writer, "lastSeen"u8, alert.LastSeen);
        writer.WriteNumber("eventCount"u8, alert.EventCount);
        WriteStrings(writer, "tags"u8, alert.Tags);
        WriteObservables(writer, "observables"u8, alert.Observables);
        WriteIntelHits(writer, alert.IntelHits);
        WriteMap(writer, "groupBy"u8, alert.GroupBy);
        WriteMap(writer, "context"u8, alert.Context);
        WriteRisk(writer, alert.Risk);
        if (alert.IncidentId is { } incidentId)
        {
            writer.WriteString("incidentId"u8, incidentId);
        }
        else
        {
            writer.WriteNull("incidentId"u8);
        }
        if (alert.SuppressedBy is { } suppressedBy)
        {
            writer.WriteString("suppressedBy"u8, suppressedBy);
        }
        WriteWorkflow(writer, alert);
        WriteTransitions(writer, alert.Transitions);
        if (includeEvidence)
        {
            WriteEvidence(writer, alert.Evidence);
        }
        writer.WriteEndObject();
    }

    /// <summary>Reads an alert written by <see cref="WriteAlert"/>; evidence is read when the document has it.</summary>
    public static Alert ReadAlert(JsonElement json)
    {
        var alert = new Alert(
            JsonFields.Guid(json, "id"u8),
            JsonFields.Time(json, "createdAt"u8),
            JsonFields.String(json, "ruleId"u8),
            JsonFields.String(json, "title"u8),
            ReadSeverity(json),
            ReadOrigin(json),
            JsonFields.Time(json, "firstSeen"u8),
            JsonFields.Time(json, "lastSeen"u8))
        {
            Producer = JsonFields.OptionalString(json, "producer"u8),
            Description = JsonFields.OptionalString(json, "description"u8),
            EventCount = JsonFields.Int32(json, "eventCount"u8),
            IncidentId = JsonFields.OptionalGuid(json, "incidentId"u8),
            SuppressedBy = JsonFields.OptionalGuid(json, "suppressedBy"u8),
            Risk = ReadRisk(json),
        };
        ReadStrings(json, "tags"u8, alert.Tags);
        ReadObservables(json, "observables"u8, alert.Observables);
        foreach (var hit in JsonFields.Array(json, "intelHits"u8))
        {
            alert.IntelHits.Add(new IntelHit(
                ReadObservable(hit), JsonFields.String(hit, "indicator"u8), JsonFields.String(hit, "feed"u8), JsonFields.Int32(hit, "score"u8), JsonFields.String(hit, "match"u8)));
        }
        ReadMap(json, "groupBy"u8, alert.GroupBy);
        ReadMap(json, "context"u8, alert.Context);
        foreach (var e in JsonFields.Array(json, "evidence"u8))
        {
            alert.Evidence.Add(ReadEvidence(e));
        }
        ReadWorkflow(json, alert);
        return alert;
    }

    /// <summary>One evidence event; the event itself is embedded as a JSON object, not as a string holding JSON.</summary>
    public static void WriteEvidence(Utf8JsonWriter writer, EvidenceEvent evidence)
    {
        writer.WriteStartObject();
        writer.WriteString("ref"u8, evidence.Ref.Origin);
        writer.WriteNumber("line"u8, evidence.Ref.Line);
        JsonFields.WriteTime(writer, "timestamp"u8, evidence.Timestamp);
        writer.WritePropertyName("event"u8);
        try
        {
            writer.WriteRawValue(evidence.Json);
        }
        catch (JsonException ex)
        {
            throw new JsonException($"evidence {evidence.Ref}: the event is not valid JSON", ex);
        }
        writer.WriteEndObject();
    }

    public static EvidenceEvent ReadEvidence(JsonElement json)
    {
        var line = JsonFields.Required(json, "line"u8);
        return new EvidenceEvent(
            new RecordRef(JsonFields.String(json, "ref"u8), line.TryGetInt64(out var number) ? number : throw JsonFields.Invalid("line"u8, line.GetRawText())),
            JsonFields.Time(json, "timestamp"u8),
            JsonFields.Required(json, "event"u8).GetRawText());
    }

    private static void WriteEvidence(Utf8JsonWriter writer, List<EvidenceEvent> evidence)
    {
        writer.WriteStartArray("evidence"u8);
        foreach (var e in evidence)
        {
            WriteEvidence(writer, e);
        }
        writer.WriteEndArray();
    }

    private static void WriteIntelHits(Utf8JsonWriter writer, List<IntelHit> hits)
    {
        writer.WriteStartArray("intelHits"u8);
        foreach (var hit in hits)
        {
            writer.WriteStartObject();
            WriteObservable(writer, hit.Observable);
            writer.WriteString("indicator"u8, hit.Indicator);
            writer.WriteString("feed"u8, hit.Feed);
            writer.WriteNumber("score"u8, hit.Score);
            writer.WriteString("match"u8, hit.Match);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void WriteMap(Utf8JsonWriter writer, ReadOnlySpan<byte> name, Dictionary<string, string> map)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            writer.WriteString(key, value);
        }
        writer.WriteEndObject();
    }

    private static void ReadMap(JsonElement json, ReadOnlySpan<byte> name, Dictionary<string, string> into)
    {
        if (JsonFields.IsAbsent(json, name, out var map))
        {
            return;
        }
        foreach (var entry in map.EnumerateObject())
        {
            into[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : throw JsonFields.Invalid(name, entry.Value.GetRawText());
        }
    }

    private static void WriteRisk(Utf8JsonWriter writer, RiskScore? risk)
    {
        if (risk is null)
        {
            writer.WriteNull("risk"u8);
            return;
        }
        writer.WriteStartObject("risk"u8);
        writer.WriteNumber("total"u8, risk.Total);
        writer.WriteStartArray("parts"u8);
        foreach (var part in risk.Parts)
        {
            writer.WriteStartObject();
            writer.WriteString("factor"u8, part.Factor);
            writer.WriteNumber("points"u8, part.Points);
            writer.WriteString("reason"u8, part.Reason);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static RiskScore? ReadRisk(JsonElement json)
    {
        if (JsonFields.IsAbsent(json, "risk"u8, out var risk))
        {
            return null;
        }
        var parts = new List<ScorePart>();
        foreach (var part in JsonFields.Array(risk, "parts"u8))
        {
            parts.Add(new ScorePart(JsonFields.String(part, "factor"u8), JsonFields.Int32(part, "points"u8), JsonFields.String(part, "reason"u8)));
        }
        return new RiskScore(JsonFields.Int32(risk, "total"u8), parts);
    }

    /// <summary>The name an origin has in JSON (the domain has no text form of its own for it).</summary>
    public static string OriginName(AlertOrigin origin) => origin switch
    {
        AlertOrigin.Rule => "rule",
        AlertOrigin.Correlation => "correlation",
        AlertOrigin.Indicator => "indicator",
        AlertOrigin.External => "external",
        _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, null),
    };

    private static AlertOrigin ReadOrigin(JsonElement json)
    {
        var name = JsonFields.String(json, "origin"u8);
        return name switch
        {
            "rule" => AlertOrigin.Rule,
            "correlation" => AlertOrigin.Correlation,
            "indicator" => AlertOrigin.Indicator,
            "external" => AlertOrigin.External,
            _ => throw JsonFields.Invalid("origin"u8, name),
        };
    }
}
