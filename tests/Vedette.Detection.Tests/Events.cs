using System.Text;
using Microsoft.Extensions.Time.Testing;
using Vedette.Domain;
using Vedette.Ingest;

namespace Vedette.Tests;

/// <summary>Builds events the way the pipeline does: from JSON text through the real normalizer.</summary>
internal static class Events
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    // A normalizer keeps working memory and is not thread-safe; test classes run in parallel.
    private static readonly ThreadLocal<RecordNormalizer> Normalizer = new(() => new RecordNormalizer(new FakeTimeProvider(T0)));

    public static Event Json(string json, long line = 1) => Normalizer.Value!.Normalize(Encoding.UTF8.GetBytes(json), new RecordRef("test", line)).Event;

    public static Event Security(int eventId, DateTimeOffset at, string fields) =>
        Json($$"""{"@timestamp":"{{at:O}}","EventID":{{eventId}},"Channel":"Security","Hostname":"DC01.corp.example",{{fields}}}""");

    public static Event ProcessCreation(string image, string commandLine, string parent = "C:\\Windows\\explorer.exe") =>
        Json($$"""{"@timestamp":"{{T0:O}}","EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Hostname":"WKS001.corp.example","Image":{{Quote(image)}},"CommandLine":{{Quote(commandLine)}},"ParentImage":{{Quote(parent)}},"User":"CORP\\jdoe"}""");

    public static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
