using Microsoft.Extensions.Time.Testing;
using Vedette.Detect;
using Vedette.Detection;
using Vedette.Detection.Correlation;
using Vedette.Domain;

namespace Vedette.Tests.Correlation;

/// <summary>
/// A correlation under test, run through the real detector over Windows Security events: four named base rules
/// (failed 4625, success 4624, privileged 4672, connection 5156) and the correlation written by the test.
/// </summary>
internal sealed class CorrelationRun
{
    public static readonly string BaseRules = string.Join("\n---\n",
        BaseRule("Logon failure", "failed", 4625),
        BaseRule("Logon success", "success", 4624),
        BaseRule("Special privileges", "privileged", 4672),
        BaseRule("Network connection", "connection", 5156));

    private readonly SigmaDetector _detector;

    public CorrelationRun(string correlations, CorrelationOptions? options = null)
    {
        Rules = Load(correlations);
        Assert.Empty(Rules.Errors);
        _detector = new SigmaDetector(Rules, new FakeTimeProvider(Events.T0), options);
    }

    public RuleSet Rules { get; }

    public DetectionOutput Output { get; } = new();

    /// <summary>The correlation alerts so far (base rules that no correlation silences raise their own).</summary>
    public IReadOnlyList<Alert> Alerts => [.. Output.Alerts.Where(a => a.Origin == AlertOrigin.Correlation)];

    public CorrelationCounters Counters => _detector.CorrelationCounters;

    public static RuleSet Load(string correlations) => RuleSet.FromYaml(BaseRules + "\n---\n" + correlations, Repo.LoadMappings());

    /// <summary>An event <paramref name="seconds"/> after T0 with the given Security event id and extra JSON fields.</summary>
    public CorrelationRun At(double seconds, int eventId, string fields)
    {
        _detector.Detect(Events.Security(eventId, Events.T0.AddSeconds(seconds), fields), Output);
        return this;
    }

    /// <summary>A failed logon for a user from an address.</summary>
    public CorrelationRun Failed(double seconds, string user = "bob", string ip = "10.0.0.1") => At(seconds, 4625, User(user, ip));

    public CorrelationRun Success(double seconds, string user = "bob", string ip = "10.0.0.1") => At(seconds, 4624, User(user, ip));

    public CorrelationRun Privileged(double seconds, string user = "bob") => At(seconds, 4672, $"\"SubjectUserName\":\"{user}\"");

    /// <summary>A connection carrying a number of bytes (written as a JSON number).</summary>
    public CorrelationRun Connection(double seconds, double bytes, string user = "bob") =>
        At(seconds, 5156, $"\"User\":\"{user}\",\"BytesOut\":{bytes.ToString(System.Globalization.CultureInfo.InvariantCulture)}");

    /// <summary>An event no rule matches: it only moves event time on.</summary>
    public CorrelationRun Tick(double seconds) => At(seconds, 1102, "\"Note\":\"clock\"");

    public CorrelationRun Flush()
    {
        _detector.Flush(Output);
        return this;
    }

    private static string BaseRule(string title, string name, int eventId) => $$"""
        title: {{title}}
        id: 10000000-0000-4000-8000-00000000{{eventId}}
        name: {{name}}
        logsource: {product: windows, service: security}
        detection:
          sel: {EventID: {{eventId}}}
          condition: sel
        """;

    private static string User(string user, string ip) => $"\"TargetUserName\":\"{user}\",\"IpAddress\":\"{ip}\"";
}
