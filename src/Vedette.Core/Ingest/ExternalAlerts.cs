using System.Text.Json;
using Vedette.Domain;

namespace Vedette.Ingest;

/// <summary>Maps detections made by other tools (Suricata, and anything that speaks Vedette's alert shape) to alerts.</summary>
public static class ExternalAlerts
{
    /// <summary>Suricata's alert.severity: 1 is the most severe; values past 3 are informational signatures.</summary>
    public static Severity FromSuricataSeverity(int severity) => severity switch
    {
        1 => Severity.High,
        2 => Severity.Medium,
        3 => Severity.Low,
        _ => Severity.Informational,
    };

    internal static Alert FromEve(Event e, TimeProvider time)
    {
        var gid = e.GetText("alert.gid") ?? "1";
        var sid = e.GetText("alert.signature_id") ?? throw new FormatException("EVE alert without alert.signature_id");
        var signature = e.GetText("alert.signature") ?? $"Suricata signature {sid}";
        if (!int.TryParse(e.GetText("alert.severity"), out var level))
        {
            throw new FormatException($"EVE alert severity '{e.GetText("alert.severity")}' is not a number");
        }
        var alert = new Alert(Ids.New(time), time.GetUtcNow(), $"suricata:{gid}:{sid}", signature, FromSuricataSeverity(level), AlertOrigin.External, e.Timestamp, e.Timestamp)
        {
            Producer = "suricata",
            Description = e.GetText("alert.category"),
        };
        AddIp(alert, e.GetText("src_ip"));
        AddIp(alert, e.GetText("dest_ip"));
        if (e.GetText("http.hostname") is { } hostname && Observable.TryParse(ObservableType.Domain, hostname, out var domain))
        {
            alert.AddObservable(domain);
        }
        if (e.GetText("alert.category") is { } category)
        {
            alert.Tags.Add($"suricata.category:{category}");
        }
        alert.Evidence.Add(new EvidenceEvent(e.Ref, e.Timestamp, e.ToJson()));
        return alert;
    }

    /// <summary>
    /// Vedette's documented alert shape for other tools: {"kind":"alert","title","severity","ruleId"?,"producer"?,
    /// "description"?,"observables":[{"type","value"}]?,"tags":[...]?} plus a timestamp field.
    /// </summary>
    internal static Alert FromVedetteShape(Event e, TimeProvider time)
    {
        var title = e.GetText("title") ?? throw new FormatException("external alert without a 'title'");
        var severityText = e.GetText("severity") ?? throw new FormatException("external alert without a 'severity'");
        if (!SeverityNames.TryParse(severityText, out var severity))
        {
            throw new FormatException($"unknown severity '{RecordNormalizer.Shorten(severityText)}': expected informational, low, medium, high or critical");
        }
        var producer = e.GetText("producer") ?? "external";
        var ruleId = e.GetText("ruleId") ?? $"{producer}:{title}";
        var alert = new Alert(Ids.New(time), time.GetUtcNow(), ruleId, title, severity, AlertOrigin.External, e.Timestamp, e.Timestamp)
        {
            Producer = producer,
            Description = e.GetText("description"),
        };
        if (e.TryGet("tags", out var tags))
        {
            alert.Tags.AddRange(tags.Items);
        }
        if (e.TryGet("observables", out var observables))
        {
            foreach (var item in observables.Items)
            {
                alert.AddObservable(ParseObservable(item));
            }
        }
        alert.Evidence.Add(new EvidenceEvent(e.Ref, e.Timestamp, e.ToJson()));
        return alert;
    }

    private static Observable ParseObservable(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
            var value = root.TryGetProperty("value", out var v) ? v.GetString() : null;
            if (type is null || value is null)
            {
                throw new FormatException("an observable needs 'type' and 'value'");
            }
            return ObservableTypes.TryParseValue(type, value, out var observable)
                ? observable
                : throw new FormatException($"observable '{RecordNormalizer.Shorten(value)}' is not a valid {type}");
        }
        catch (JsonException ex)
        {
            throw new FormatException("observables must be objects with 'type' and 'value'", ex);
        }
    }

    private static void AddIp(Alert alert, string? text)
    {
        if (text is not null && (Observable.TryParse(ObservableType.Ipv4, text, out var ip) || Observable.TryParse(ObservableType.Ipv6, text, out ip)))
        {
            alert.AddObservable(ip);
        }
    }
}
