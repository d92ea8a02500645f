using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Vedette.Domain;
using Vedette.Serialization;

namespace Vedette.Storage.Tests.Serialization;

public sealed class DomainJsonTests
{
    private readonly FakeTimeProvider _time = new(Some.Start);

    [Fact]
    public void An_alert_written_and_read_back_is_the_same_alert()
    {
        var alert = Some.AlertWithEverything(_time);

        var json = DomainJson.ToJson(alert);
        var read = DomainJson.ParseAlert(json);

        Assert.Equal(json, DomainJson.ToJson(read));
        Assert.Equal((alert.Id, alert.RuleId, alert.Title, alert.Origin, alert.Severity), (read.Id, read.RuleId, read.Title, read.Origin, read.Severity));
        Assert.Equal((alert.Producer, alert.Description, alert.EventCount, alert.IncidentId, alert.Version), (read.Producer, read.Description, read.EventCount, read.IncidentId, read.Version));
        Assert.Equal(alert.SuppressedBy, read.SuppressedBy);
        Assert.Equal((alert.CreatedAt, alert.FirstSeen.Offset, alert.LastSeen), (read.CreatedAt, read.FirstSeen.Offset, read.LastSeen));
        Assert.Equal(alert.Evidence, read.Evidence);
        Assert.Equal(alert.Transitions, read.Transitions);
        Assert.Equal(alert.Risk!.Parts, read.Risk!.Parts);
        Assert.Equal(alert.Context, read.Context);
    }

    [Fact]
    public void Alert_json_has_the_documented_fields_in_a_stable_order()
    {
        using var json = JsonDocument.Parse(DomainJson.ToJson(Some.AlertWithEverything(_time)));
        var root = json.RootElement;

        Assert.Equal(
            ["id", "ruleId", "title", "origin", "severity", "producer", "description", "createdAt", "firstSeen", "lastSeen", "eventCount", "tags",
             "observables", "intelHits", "groupBy", "context", "risk", "incidentId", "suppressedBy", "status", "verdict", "assignee", "version", "transitions", "evidence"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("critical", root.GetProperty("severity").GetString());
        Assert.Equal("correlation", root.GetProperty("origin").GetString());
        Assert.Equal("investigating", root.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("verdict").ValueKind);
        Assert.Equal("2025-02-28T23:59:58.1234567+02:00", root.GetProperty("firstSeen").GetString());
        var observable = root.GetProperty("observables")[0];
        Assert.Equal(("ipv4", "203.0.113.7"), (observable.GetProperty("type").GetString(), observable.GetProperty("value").GetString()));
        Assert.Equal("cidr", root.GetProperty("intelHits")[0].GetProperty("match").GetString());
        Assert.Equal("critical", root.GetProperty("context").GetProperty("dc-01").GetString());
        Assert.Equal(87, root.GetProperty("risk").GetProperty("total").GetInt32());
        Assert.Equal("asset", root.GetProperty("risk").GetProperty("parts")[2].GetProperty("factor").GetString());
        var transition = root.GetProperty("transitions")[1];
        Assert.Equal(("acknowledged", "investigating", "system", true), (transition.GetProperty("from").GetString(), transition.GetProperty("to").GetString(), transition.GetProperty("by").GetString(), transition.GetProperty("system").GetBoolean()));
        var evidence = root.GetProperty("evidence")[0];
        Assert.Equal(("logs/security.jsonl", 41), (evidence.GetProperty("ref").GetString(), evidence.GetProperty("line").GetInt32()));
        Assert.Equal(4688, evidence.GetProperty("event").GetProperty("EventID").GetInt32());
    }

    [Fact]
    public void An_alert_no_suppression_silenced_has_no_suppressed_by_field()
    {
        var alert = Some.Alert(_time);

        using var json = JsonDocument.Parse(DomainJson.ToJson(alert));

        Assert.False(json.RootElement.TryGetProperty("suppressedBy", out _));
        Assert.Null(DomainJson.ReadAlert(json.RootElement).SuppressedBy);
    }

    [Fact]
    public void Leaving_out_evidence_leaves_out_the_field()
    {
        var alert = Some.AlertWithEverything(_time);

        using var json = JsonDocument.Parse(DomainJson.ToJson(alert, includeEvidence: false));

        Assert.False(json.RootElement.TryGetProperty("evidence", out _));
        Assert.Empty(DomainJson.ReadAlert(json.RootElement).Evidence);
    }

    [Fact]
    public void Text_stays_readable_rather_than_escaped()
    {
        var json = DomainJson.ToJson(Some.AlertWithEverything(_time));

        Assert.Contains("élan <script>", json, StringComparison.Ordinal);
        Assert.Contains("+02:00", json, StringComparison.Ordinal);
    }

    [Fact]
    public void An_incident_written_and_read_back_is_the_same_incident()
    {
        var alert = Some.Alert(_time);
        var incident = Some.Incident(_time, 65, Severity.Medium, null, alert);
        incident.Grouping.Add(new GroupingReason(alert.Id, null, "added by hand"));
        incident.Close(Verdict.BenignPositive, Some.Ana, _time.GetUtcNow(), "admin testing");
        incident.Assign("ana");
        incident.Version = 2;

        var json = DomainJson.ToJson(incident);
        var read = DomainJson.ParseIncident(json);

        Assert.Equal(json, DomainJson.ToJson(read));
        Assert.Equal(incident.Grouping, read.Grouping);
        Assert.Equal((CaseStatus.Closed, Verdict.BenignPositive, incident.ClosedAt, 2), (read.Status, read.Verdict, read.ClosedAt, read.Version));
        using var document = JsonDocument.Parse(json);
        Assert.Equal(
            ["id", "title", "severity", "score", "risk", "dueAt", "status", "verdict", "assignee", "version", "createdAt", "firstSeen", "lastSeen", "alertIds", "ruleIds", "entities", "grouping", "transitions"],
            document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("benign-positive", document.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("grouping")[1].GetProperty("via").ValueKind);
    }

    [Fact]
    public void A_read_alert_carries_on_its_lifecycle_from_where_it_was()
    {
        var alert = Some.Alert(_time);
        alert.Close(Verdict.FalsePositive, Some.Ana, _time.GetUtcNow());

        var read = DomainJson.ParseAlert(DomainJson.ToJson(alert));
        read.Reopen(Some.Bob, _time.GetUtcNow().AddMinutes(1));

        Assert.Equal(CaseStatus.Investigating, read.Status);
        Assert.Equal(2, read.Transitions.Count);
        Assert.Throws<InvalidTransitionException>(() => read.Acknowledge(Some.Bob, _time.GetUtcNow().AddMinutes(2)));
    }

    [Fact]
    public void Evidence_that_is_not_json_is_refused_with_its_record_named()
    {
        var alert = Some.Alert(_time);
        alert.Evidence.Add(new EvidenceEvent(new RecordRef("logs/broken.jsonl", 17), _time.GetUtcNow(), "{\"EventID\": 4688"));

        var error = Assert.Throws<JsonException>(() => DomainJson.ToJson(alert));

        Assert.Contains("logs/broken.jsonl:17", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("severity", "\"severe\"", "'severity'")]
    [InlineData("status", "\"done\"", "'status'")]
    [InlineData("createdAt", "\"yesterday\"", "'createdAt'")]
    [InlineData("eventCount", "\"many\"", "'eventCount'")]
    [InlineData("ruleId", "null", "missing field 'ruleId'")]
    public void A_bad_field_is_refused_with_its_name(string field, string value, string expected)
    {
        var json = DomainJson.ToJson(Some.Alert(_time));
        using var document = JsonDocument.Parse(json);
        var broken = json.Replace(
            $"\"{field}\":{document.RootElement.GetProperty(field).GetRawText()}", $"\"{field}\":{value}", StringComparison.Ordinal);
        Assert.NotEqual(json, broken);

        var error = Assert.Throws<JsonException>(() => DomainJson.ParseAlert(broken));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
