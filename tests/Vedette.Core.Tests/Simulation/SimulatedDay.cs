using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Vedette.Ingest;
using Vedette.Simulation;

namespace Vedette.Tests.Simulation;

/// <summary>One simulated day held in memory with each line's scenario label; runs are shared because the large one takes a second.</summary>
internal sealed class SimulatedDay
{
    public const int Small = 5_000;
    public const int Large = 200_000;
    public const int Seed = 7;

    private static readonly ConcurrentDictionary<(int Events, int Seed, int Users, string Attacks), Lazy<SimulatedDay>> Runs = new();

    private readonly Lazy<IReadOnlyList<Record>> _records;

    private SimulatedDay(SimulationOptions options)
    {
        using var output = new MemoryStream();
        var labels = new List<string?>(options.Events);
        Options = options;
        Result = AttackSimulator.Simulate(options, output, labels);
        Bytes = output.ToArray();
        Labels = labels;
        _records = new Lazy<IReadOnlyList<Record>>(() => [.. ReadRecords()]);
    }

    public static SimulatedDay Of(int events, int seed = Seed) => Of(new SimulationOptions(events, seed));

    /// <summary>A run of the given options, which must keep the default start and span.</summary>
    public static SimulatedDay Of(SimulationOptions options) =>
        Runs.GetOrAdd((options.Events, options.Seed, options.Users, options.Attacks.ToString()), _ => new Lazy<SimulatedDay>(() => new SimulatedDay(options))).Value;

    public SimulationOptions Options { get; }

    public SimulationResult Result { get; }

    public byte[] Bytes { get; }

    /// <summary>Line by line, the id of the scenario that wrote it, or null for background.</summary>
    public IReadOnlyList<string?> Labels { get; }

    /// <summary>Every line parsed, kept; use <see cref="ReadRecords"/> to stream a large run instead.</summary>
    public IReadOnlyList<Record> Records => _records.Value;

    public IEnumerable<Record> ReadRecords()
    {
        var flattener = new JsonFlattener();
        var start = 0;
        var index = 0;
        while (start < Bytes.Length)
        {
            var end = Array.IndexOf(Bytes, (byte)'\n', start);
            if (end < 0)
            {
                throw new InvalidDataException($"line {index + 1} has no '\\n'");
            }
            yield return Record.Parse(flattener, Bytes.AsMemory(start, end - start), index + 1, Labels[index]);
            start = end + 1;
            index++;
        }
    }

    public IEnumerable<Record> Of(ScenarioTruth scenario) => Records.Where(r => r.Scenario == scenario.Id);

    public ScenarioTruth Scenario(string kind) => Result.Scenarios.Single(s => s.Kind == kind);
}

/// <summary>One written line: its fields flattened ("alert.signature"), numbers as written, and its time.</summary>
internal sealed class Record
{
    private readonly Dictionary<string, string> _fields;

    private Record(Dictionary<string, string> fields, string text, int line, string? scenario, DateTimeOffset time)
    {
        _fields = fields;
        Text = text;
        Line = line;
        Scenario = scenario;
        Time = time;
    }

    public string Text { get; }

    public int Line { get; }

    public string? Scenario { get; }

    public DateTimeOffset Time { get; }

    public string? this[string name] => _fields.TryGetValue(name, out var value) ? value : null;

    public int? EventId => _fields.TryGetValue("EventID", out var id) ? int.Parse(id, CultureInfo.InvariantCulture) : null;

    public bool Has(string name, string value) => _fields.TryGetValue(name, out var actual) && actual == value;

    /// <summary>The host the record is about: Windows' Hostname or the Linux/appliance host, lower-cased.</summary>
    public string Host => (this["Hostname"] ?? this["host"] ?? throw new InvalidDataException($"line {Line} names no host")).ToLowerInvariant();

    /// <summary>Reads the line with the product's own JSON reader, so that what the tests check is what ingest sees.</summary>
    public static Record Parse(JsonFlattener flattener, ReadOnlyMemory<byte> line, int number, string? scenario)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in flattener.Flatten(line.Span))
        {
            fields[name] = value.Text ?? throw new InvalidDataException($"line {number}: field {name} is {value.Kind}, not a string or number");
        }
        return new Record(fields, Encoding.UTF8.GetString(line.Span), number, scenario, TimeOf(fields, number));
    }

    // Each source's own shape, exactly: ISO with milliseconds and Z, or Suricata's microseconds and +0000.
    private static DateTimeOffset TimeOf(Dictionary<string, string> fields, int number)
    {
        if (fields.TryGetValue("@timestamp", out var iso))
        {
            return DateTimeOffset.ParseExact(iso, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        }
        if (fields.TryGetValue("timestamp", out var eve) && fields.ContainsKey("event_type"))
        {
            return DateTimeOffset.ParseExact(eve, "yyyy-MM-dd'T'HH:mm:ss.ffffff'+0000'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        }
        throw new InvalidDataException($"line {number} has no timestamp");
    }
}
