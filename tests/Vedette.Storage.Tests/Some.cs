using Microsoft.Extensions.Time.Testing;
using Vedette.Domain;
using Vedette.Storage;

namespace Vedette.Storage.Tests;

/// <summary>Test data with sensible defaults; a test names only what it is about.</summary>
internal static class Some
{
    public static DateTimeOffset Start { get; } = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public static Actor Ana { get; } = Actor.Analyst("ana");

    public static Actor Bob { get; } = Actor.Analyst("bob");

    /// <summary>
    /// An alert created "now" by the clock, which then moves on a second: ids are UUIDv7, so alerts built later are
    /// newer, and the order of a listing is known.
    /// </summary>
    public static Alert Alert(
        FakeTimeProvider time,
        string ruleId = "proc_creation_win_whoami",
        Severity severity = Severity.High,
        Guid? incidentId = null,
        DateTimeOffset? firstSeen = null,
        DateTimeOffset? lastSeen = null)
    {
        var now = time.GetUtcNow();
        var id = Ids.New(time);
        time.Advance(TimeSpan.FromSeconds(1));
        var first = firstSeen ?? now.AddMinutes(-5);
        var alert = new Alert(id, now, ruleId, $"Rule {ruleId} matched", severity, AlertOrigin.Rule, first, lastSeen ?? first)
        {
            IncidentId = incidentId,
        };
        alert.AddObservable(new Observable(ObservableType.Host, "ws-01"));
        alert.Evidence.Add(Evidence(first, line: 1));
        return alert;
    }

    /// <summary>An alert with every field set, including the ones that are usually empty, and a lifecycle already under way.</summary>
    public static Alert AlertWithEverything(FakeTimeProvider time)
    {
        var now = time.GetUtcNow();
        var id = Ids.New(time);
        time.Advance(TimeSpan.FromSeconds(1));
        // A non-UTC offset and sub-millisecond ticks: both must survive storage.
        var seen = new DateTimeOffset(2025, 2, 28, 23, 59, 58, TimeSpan.FromHours(2)).AddTicks(1234567);
        var alert = new Alert(id, now, "net_connection_c2_beacon", "Beacon to \"known\" C2 — élan <script>", Severity.Critical, AlertOrigin.Correlation, seen, seen.AddMinutes(7))
        {
            Description = "Periodic connections\nwith jitter",
            Producer = "suricata",
            EventCount = 12,
            IncidentId = Ids.New(time),
            SuppressedBy = Ids.New(time),
            Risk = new RiskScore(87, [new ScorePart("severity", 40, "critical rule"), new ScorePart("intel", 30, "2 feeds"), new ScorePart("asset", 17, "host is a domain controller")]),
        };
        alert.Tags.AddRange(["attack.command_and_control", "attack.t1071"]);
        alert.AddObservable(new Observable(ObservableType.Ipv4, "203.0.113.7"));
        alert.AddObservable(new Observable(ObservableType.Domain, "c2.example.net"));
        alert.AddObservable(new Observable(ObservableType.Host, "dc-01"));
        alert.AddObservable(new Observable(ObservableType.User, "corp\\svc_backup"));
        alert.IntelHits.Add(new IntelHit(new Observable(ObservableType.Ipv4, "203.0.113.7"), "203.0.113.0/24", "abuse-feed", 80, "cidr"));
        alert.IntelHits.Add(new IntelHit(new Observable(ObservableType.Domain, "c2.example.net"), "example.net", "otx", 65, "parent domain"));
        alert.Context["dc-01"] = "critical";
        alert.Context["svc_backup"] = "high";
        alert.Evidence.Add(Evidence(seen, line: 41));
        alert.Evidence.Add(new EvidenceEvent(new RecordRef("https://ingest/batch/9", 0), seen.AddMinutes(7), """{"nested":{"list":[1,2.5,"x",null,true]},"unicode":"naïve ☃"}"""));
        alert.Acknowledge(Ana, now.AddMinutes(1));
        alert.Investigate(Actor.System, now.AddMinutes(2));
        alert.Assign("ana");
        alert.Version = 3;
        return alert;
    }

    public static EvidenceEvent Evidence(DateTimeOffset at, long line) =>
        new(new RecordRef("logs/security.jsonl", line), at, $$"""{"EventID":4688,"Image":"C:\\Windows\\System32\\whoami.exe","line":{{line}}}""");

    public static Incident Incident(FakeTimeProvider time, int score = 50, Severity severity = Severity.High, DateTimeOffset? firstSeen = null, params Alert[] alerts)
    {
        var now = time.GetUtcNow();
        var id = Ids.New(time);
        time.Advance(TimeSpan.FromSeconds(1));
        var incident = new Incident(id, now, $"Incident scored {score}", firstSeen ?? now.AddMinutes(-10))
        {
            Severity = severity,
            Score = score,
        };
        foreach (var alert in alerts)
        {
            Join(incident, alert);
        }
        return incident;
    }

    /// <summary>Groups an alert into an incident the way triage does: through an entity they share.</summary>
    public static void Join(Incident incident, Alert alert)
    {
        var via = alert.Observables.Count > 0 ? alert.Observables[0] : (Observable?)null;
        incident.AlertIds.Add(alert.Id);
        if (!incident.RuleIds.Contains(alert.RuleId))
        {
            incident.RuleIds.Add(alert.RuleId);
        }
        if (via is { } entity && !incident.Entities.Contains(entity))
        {
            incident.Entities.Add(entity);
        }
        incident.Grouping.Add(new GroupingReason(alert.Id, via, via is null ? "first alert" : $"shares {via}"));
        if (alert.LastSeen > incident.LastSeen)
        {
            incident.LastSeen = alert.LastSeen;
        }
        alert.IncidentId = incident.Id;
    }

    public static StoreBatch Batch(params Alert[] alerts)
    {
        var batch = new StoreBatch();
        batch.NewAlerts.AddRange(alerts);
        return batch;
    }

    public static StoreBatch Batch(params Incident[] incidents)
    {
        var batch = new StoreBatch();
        batch.Incidents.AddRange(incidents);
        return batch;
    }
}
