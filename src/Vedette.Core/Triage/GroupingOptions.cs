using Vedette.Domain;

namespace Vedette.Triage;

/// <summary>How alerts are grouped and how long the SOC has for each severity.</summary>
public sealed record GroupingOptions
{
    /// <summary>An alert joins an incident when it shares an entity seen in that incident at most this long before.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(2);

    /// <summary>
    /// Process images and file paths are not entities: cmd.exe links everything. Addresses, names and hashes are.
    /// </summary>
    public IReadOnlySet<ObservableType> LinkingTypes { get; init; } = new HashSet<ObservableType>
    {
        ObservableType.Ipv4, ObservableType.Ipv6, ObservableType.Domain, ObservableType.Url, ObservableType.Md5,
        ObservableType.Sha1, ObservableType.Sha256, ObservableType.Email, ObservableType.User, ObservableType.Host,
    };

    /// <summary>Entities that never link (shared infrastructure such as DNS servers and proxies).</summary>
    public IReadOnlySet<Observable> StopList { get; init; } = new HashSet<Observable>();

    /// <summary>
    /// An entity seen in more alerts than this within the window is a hub (a scanner, a domain controller) and stops
    /// linking: otherwise one busy address would pull unrelated attacks into a single incident.
    /// </summary>
    public int MaxAlertsPerEntity { get; init; } = 25;

    /// <summary>
    /// A low or informational rule seen on this many distinct entities within the window is background noise (a
    /// policy alert on every laptop): its further alerts that share nothing with an incident are grouped by rule, one
    /// incident per rule, instead of one per host.
    /// </summary>
    public int NoiseEntities { get; init; } = 3;

    /// <summary>
    /// An incident takes alerts for at most this long after its first one (event time); later activity opens a new
    /// incident. A noise bucket of a rule that fires all day then becomes one incident a day, an analyst can close a
    /// day's worth, and the grouper's memory stays bounded by this span however long the stream runs.
    /// </summary>
    public TimeSpan MaxSpan { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Time to respond per severity: an incident is due this long after it was opened.</summary>
    public IReadOnlyDictionary<Severity, TimeSpan> Sla { get; init; } = new Dictionary<Severity, TimeSpan>
    {
        [Severity.Critical] = TimeSpan.FromHours(1),
        [Severity.High] = TimeSpan.FromHours(4),
        [Severity.Medium] = TimeSpan.FromHours(24),
        [Severity.Low] = TimeSpan.FromDays(3),
        [Severity.Informational] = TimeSpan.FromDays(7),
    };
}
