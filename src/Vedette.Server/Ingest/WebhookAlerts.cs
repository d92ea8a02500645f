using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Vedette.Server.Ingest;

/// <summary>
/// Turns alerts other tools push into lines of Vedette's alert shape
/// (<c>{"kind":"alert","title","severity","ruleId","producer","description","host","observables":[{"type","value"}],"tags"}</c>),
/// which the pipeline's normalizer already reads. Mapping is per producer: Elastic Security's alert documents
/// (<c>kibana.alert.*</c>, or the older <c>signal.*</c>), Wazuh's alert JSON (<c>rule.level</c>, <c>agent</c>,
/// <c>data.srcip</c>). The original payload rides along under <c>original</c>, so it is kept as evidence.
/// Throws <see cref="FormatException"/> naming what is missing.
/// </summary>
public static class WebhookAlerts
{
    /// <summary>The alerts of a body: an array's elements, an object's "alerts" array, or the object itself.</summary>
    public static IEnumerable<JsonElement> Items(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            return root.EnumerateArray().ToList();
        }
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("alerts", out var alerts) && alerts.ValueKind == JsonValueKind.Array)
        {
            return alerts.EnumerateArray().ToList();
        }
        return [root];
    }

    /// <summary>Vedette's own shape, sent as JSON rather than NDJSON: taken as it is, marked as an alert.</summary>
    public static byte[] FromVedette(JsonElement alert)
    {
        RequireObject(alert);
        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("kind", "alert");
            foreach (var property in alert.EnumerateObject())
            {
                if (!property.NameEquals("kind"))
                {
                    property.WriteTo(writer);
                }
            }
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// An Elastic Security alert: rule name, uuid/rule_id, severity (or risk score), reason, host, user, addresses,
    /// hashes and ATT&amp;CK technique ids.
    /// </summary>
    public static byte[] FromElastic(JsonElement alert)
    {
        RequireObject(alert);
        var title = Text(alert, "kibana.alert.rule.name") ?? Text(alert, "signal.rule.name") ?? Text(alert, "rule.name")
            ?? throw new FormatException("an Elastic alert needs kibana.alert.rule.name (or signal.rule.name, rule.name)");
        var ruleId = Text(alert, "kibana.alert.rule.rule_id") ?? Text(alert, "kibana.alert.rule.uuid") ?? Text(alert, "signal.rule.rule_id")
            ?? Text(alert, "signal.rule.id") ?? Text(alert, "rule.id") ?? title;
        var severity = ElasticSeverity(Text(alert, "kibana.alert.severity") ?? Text(alert, "signal.rule.severity"),
            Number(alert, "kibana.alert.risk_score") ?? Number(alert, "signal.rule.risk_score") ?? Number(alert, "event.risk_score"));
        var observables = new List<(string Type, string Value)>();
        AddHost(observables, Text(alert, "host.name") ?? Text(alert, "host.hostname") ?? Text(alert, "agent.name"));
        AddUser(observables, Text(alert, "user.name"));
        foreach (var path in (string[])["source.ip", "destination.ip", "client.ip", "server.ip", "host.ip"])
        {
            foreach (var value in Texts(alert, path))
            {
                AddAddress(observables, value);
            }
        }
        AddTyped(observables, "sha256", Text(alert, "file.hash.sha256") ?? Text(alert, "process.hash.sha256"));
        AddTyped(observables, "md5", Text(alert, "file.hash.md5") ?? Text(alert, "process.hash.md5"));
        AddTyped(observables, "domain", Text(alert, "dns.question.name") ?? Text(alert, "destination.domain"));
        AddTyped(observables, "url", Text(alert, "url.full"));
        var tags = new List<string>();
        foreach (var threat in Elements(alert, "kibana.alert.rule.threat").Concat(Elements(alert, "signal.rule.threat")))
        {
            foreach (var technique in Elements(threat, "technique"))
            {
                if (Text(technique, "id") is { } id)
                {
                    tags.Add("attack." + id.ToLowerInvariant());
                }
            }
        }
        tags.AddRange(Texts(alert, "kibana.alert.rule.tags"));
        return Shape(alert, "elastic", "elastic:" + ruleId, title, severity,
            Text(alert, "kibana.alert.reason") ?? Text(alert, "signal.reason") ?? Text(alert, "message"),
            Text(alert, "@timestamp") ?? Text(alert, "kibana.alert.original_time"),
            Text(alert, "host.name"), observables, tags);
    }

    /// <summary>A Wazuh alert: rule description, id and level (0–15), agent name and address, source and target of <c>data</c>.</summary>
    public static byte[] FromWazuh(JsonElement alert)
    {
        RequireObject(alert);
        var title = Text(alert, "rule.description") ?? throw new FormatException("a Wazuh alert needs rule.description");
        var level = Number(alert, "rule.level") ?? throw new FormatException("a Wazuh alert needs a numeric rule.level (0-15)");
        var observables = new List<(string Type, string Value)>();
        var agent = Text(alert, "agent.name");
        AddHost(observables, agent);
        AddAddress(observables, Text(alert, "data.srcip"));
        AddAddress(observables, Text(alert, "data.dstip"));
        if (Text(alert, "agent.ip") is { } agentIp && agentIp != "any")
        {
            AddAddress(observables, agentIp);
        }
        AddUser(observables, Text(alert, "data.srcuser") ?? Text(alert, "data.win.eventdata.targetUserName"));
        AddUser(observables, Text(alert, "data.dstuser"));
        AddTyped(observables, "sha256", Text(alert, "syscheck.sha256_after"));
        AddTyped(observables, "md5", Text(alert, "syscheck.md5_after"));
        var tags = Texts(alert, "rule.mitre.id").Select(id => "attack." + id.ToLowerInvariant()).ToList();
        tags.AddRange(Texts(alert, "rule.groups").Select(group => "wazuh.group:" + group));
        return Shape(alert, "wazuh", "wazuh:" + (Text(alert, "rule.id") ?? title), title, WazuhSeverity(level),
            Text(alert, "full_log"), Text(alert, "timestamp") ?? Text(alert, "@timestamp"), agent, observables, tags);
    }

    /// <summary>Elastic's severity names, else its 0–100 risk score in Elastic's own bands.</summary>
    public static string ElasticSeverity(string? severity, double? riskScore)
    {
        if (severity?.ToLowerInvariant() is "low" or "medium" or "high" or "critical")
        {
            return severity.ToLowerInvariant();
        }
        return riskScore switch
        {
            null => throw new FormatException("an Elastic alert needs kibana.alert.severity (low, medium, high, critical) or a risk score"),
            < 22 => "low",
            < 48 => "medium",
            < 74 => "high",
            _ => "critical",
        };
    }

    /// <summary>Wazuh's 0–15 rule levels in bands: 0–3 informational, 4–6 low, 7–9 medium, 10–12 high, 13–15 critical.</summary>
    public static string WazuhSeverity(double level) => level switch
    {
        < 0 or > 15 => throw new FormatException($"rule.level {level} is outside Wazuh's 0-15"),
        < 4 => "informational",
        < 7 => "low",
        < 10 => "medium",
        < 13 => "high",
        _ => "critical",
    };

    private static byte[] Shape(JsonElement original, string producer, string ruleId, string title, string severity, string? description,
        string? timestamp, string? host, List<(string Type, string Value)> observables, List<string> tags) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("kind", "alert");
        if (timestamp is not null)
        {
            writer.WriteString("@timestamp", timestamp);
        }
        writer.WriteString("producer", producer);
        writer.WriteString("ruleId", ruleId);
        writer.WriteString("title", title);
        writer.WriteString("severity", severity);
        if (description is not null)
        {
            writer.WriteString("description", description);
        }
        if (host is not null)
        {
            writer.WriteString("host", host);
        }
        writer.WriteStartArray("observables");
        foreach (var (type, value) in observables.Distinct())
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("value", value);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("tags");
        foreach (var tag in tags.Distinct(StringComparer.Ordinal))
        {
            writer.WriteStringValue(tag);
        }
        writer.WriteEndArray();
        writer.WritePropertyName("original");
        original.WriteTo(writer);
        writer.WriteEndObject();
    });

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void RequireObject(JsonElement alert)
    {
        if (alert.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"an alert must be a JSON object, not {alert.ValueKind.ToString().ToLowerInvariant()}");
        }
    }

    private static void AddHost(List<(string, string)> observables, string? host) => AddTyped(observables, "host", host);

    private static void AddUser(List<(string, string)> observables, string? user) => AddTyped(observables, "user", user);

    private static void AddAddress(List<(string, string)> observables, string? text)
    {
        if (text is not null && IPAddress.TryParse(text, out var address))
        {
            observables.Add((address.AddressFamily == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4", text));
        }
    }

    private static void AddTyped(List<(string, string)> observables, string type, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            observables.Add((type, value));
        }
    }

    /// <summary>A value by dotted path, whether the payload nests objects or uses dotted keys (or a mix of both).</summary>
    private static bool TryGet(JsonElement element, string path, out JsonElement value)
    {
        var parts = path.Split('.');
        return TryGet(element, parts, 0, out value);
    }

    private static bool TryGet(JsonElement element, string[] parts, int start, out JsonElement value)
    {
        if (start == parts.Length)
        {
            value = element;
            return true;
        }
        if (element.ValueKind == JsonValueKind.Object)
        {
            for (var end = parts.Length; end > start; end--)
            {
                if (element.TryGetProperty(string.Join('.', parts[start..end]), out var child) && TryGet(child, parts, end, out value))
                {
                    return true;
                }
            }
        }
        value = default;
        return false;
    }

    private static string? Text(JsonElement element, string path)
    {
        if (!TryGet(element, path, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() is { Length: > 0 } text ? text : null,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.Array => value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : null).FirstOrDefault(v => !string.IsNullOrEmpty(v)),
            _ => null,
        };
    }

    private static IEnumerable<string> Texts(JsonElement element, string path)
    {
        if (!TryGet(element, path, out var value))
        {
            return [];
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() is { Length: > 0 } text ? [text] : [],
            JsonValueKind.Array => [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).Where(v => v.Length > 0)],
            _ => [],
        };
    }

    private static IEnumerable<JsonElement> Elements(JsonElement element, string path) =>
        TryGet(element, path, out var value) && value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : [];

    private static double? Number(JsonElement element, string path)
    {
        if (!TryGet(element, path, out var value))
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.GetDouble();
        }
        return value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
    }
}
