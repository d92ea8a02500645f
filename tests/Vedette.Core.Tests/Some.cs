using Vedette.Domain;

namespace Vedette.Tests;

/// <summary>Test data builders: an alert or event with sensible defaults and only what a test cares about set.</summary>
internal static class Some
{
    public static readonly DateTimeOffset Time = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    public static Alert Alert(
        string ruleId = "rule-1",
        Severity severity = Severity.Medium,
        DateTimeOffset? at = null,
        IEnumerable<Observable>? observables = null,
        string title = "Something suspicious")
    {
        var when = at ?? Time;
        var alert = new Alert(Guid.CreateVersion7(when), when, ruleId, title, severity, AlertOrigin.Rule, when, when);
        foreach (var observable in observables ?? [])
        {
            alert.AddObservable(observable);
        }
        return alert;
    }

    public static Event Event(DateTimeOffset at, string source = "windows", string? host = "wks001.corp.example", params (string Name, string Value)[] fields)
    {
        var dictionary = fields.ToDictionary(f => f.Name, f => FieldValue.String(f.Value), StringComparer.Ordinal);
        return new Event(at, source, host, dictionary, new RecordRef("test.ndjson", 1));
    }

    public static Observable Ip(string value) => Observable.Parse(ObservableType.Ipv4, value);

    public static Observable User(string value) => Observable.Parse(ObservableType.User, value);

    public static Observable Host(string value) => Observable.Parse(ObservableType.Host, value);
}
