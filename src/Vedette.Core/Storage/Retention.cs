using System.Text.Json;
using Vedette.Enrich.Intel.Sources;

namespace Vedette.Storage;

/// <summary>
/// How long each class of data is kept; null keeps it for ever. The audit log has no entry here on purpose: it is
/// never pruned (its hash chain would break, and its triggers refuse deletes).
/// </summary>
public sealed record RetentionPolicy
{
    /// <summary>Ages below a day are refused: a typo such as "1m" for a month must not wipe the store.</summary>
    public static readonly TimeSpan MinimumAge = TimeSpan.FromDays(1);

    /// <summary>Evidence events kept behind alerts, aged from the later of the alert's creation and its last event.</summary>
    public TimeSpan? Events { get; init; }

    /// <summary>Closed alerts that belong to no incident, aged from when they were closed.</summary>
    public TimeSpan? Alerts { get; init; }

    /// <summary>Closed incidents, with their alerts, aged from when they were closed.</summary>
    public TimeSpan? Incidents { get; init; }

    /// <summary>Accepted so that configurations can name it; Vedette stores no playbook runs yet, so none are deleted.</summary>
    public TimeSpan? PlaybookRuns { get; init; }

    public bool KeepsEverything => Events is null && Alerts is null && Incidents is null && PlaybookRuns is null;

    /// <summary>Reads an age as configurations write it: "keep", or a duration of at least a day (90d, 12w, 2160h).</summary>
    public static TimeSpan? ParseAge(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Equals("keep", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (!Units.TryParseDuration(trimmed, out var age))
        {
            throw new FormatException($"retention for {name}: '{text}' is neither 'keep' nor a duration such as 30d, 12w or 2160h");
        }
        return age >= MinimumAge
            ? age
            : throw new FormatException($"retention for {name}: '{text}' is shorter than the minimum of 1d; write 'keep' to keep everything");
    }

    /// <summary>Writes the policy as an object of the four classes, each as <see cref="Describe"/> shows it.</summary>
    public void WriteJson(Utf8JsonWriter writer, string name)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject(name);
        writer.WriteString("events", Describe(Events));
        writer.WriteString("alerts", Describe(Alerts));
        writer.WriteString("incidents", Describe(Incidents));
        writer.WriteString("playbookRuns", Describe(PlaybookRuns));
        writer.WriteEndObject();
    }

    /// <summary>"keep" or the age in days (or hours below a whole day), as reports and audit entries show it.</summary>
    public static string Describe(TimeSpan? age) => age switch
    {
        null => "keep",
        { } a when a.Ticks % TimeSpan.TicksPerDay == 0 => $"{a.Ticks / TimeSpan.TicksPerDay}d",
        { } a => $"{(long)a.TotalHours}h",
    };
}

/// <summary>
/// The retention section of a configuration, as written (each class "keep" or a duration; absent means keep), and how
/// often `vedette serve` applies it.
/// </summary>
public sealed record RetentionConfig
{
    public string? Events { get; init; }

    public string? Alerts { get; init; }

    public string? Incidents { get; init; }

    public string? PlaybookRuns { get; init; }

    /// <summary>Time between two runs in `vedette serve`; default a day.</summary>
    public string? Interval { get; init; }

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromDays(1);

    public RetentionPolicy ToPolicy() => new()
    {
        Events = Age(Events, "events"),
        Alerts = Age(Alerts, "alerts"),
        Incidents = Age(Incidents, "incidents"),
        PlaybookRuns = Age(PlaybookRuns, "playbookRuns"),
    };

    public TimeSpan ToInterval()
    {
        if (Interval is null)
        {
            return DefaultInterval;
        }
        return Units.TryParseDuration(Interval.Trim(), out var interval) && interval >= TimeSpan.FromMinutes(1)
            ? interval
            : throw new FormatException($"retention interval: '{Interval}' is not a duration of at least 1m (such as 6h or 1d)");
    }

    private static TimeSpan? Age(string? text, string name) => text is null ? null : RetentionPolicy.ParseAge(text, name);
}

/// <summary>An alert that retention deletes (or strips of its evidence), with how many evidence events go with it.</summary>
public sealed record AlertPurge(Guid Id, long Events);

/// <summary>
/// What one retention run deletes, computed at <see cref="Now"/>: the dry run shows it, and the real run deletes exactly
/// these rows. <see cref="Alerts"/> are deleted with their evidence; <see cref="Evidence"/> lists alerts that stay
/// but lose their evidence events.
/// </summary>
public sealed record RetentionPlan(
    RetentionPolicy Policy,
    DateTimeOffset Now,
    IReadOnlyList<Guid> Incidents,
    IReadOnlyList<AlertPurge> Alerts,
    IReadOnlyList<AlertPurge> Evidence)
{
    /// <summary>Evidence events deleted: those of deleted alerts and those stripped from kept ones.</summary>
    public long Events => Alerts.Sum(a => a.Events) + Evidence.Sum(a => a.Events);

    /// <summary>Always 0: no playbook runs are stored yet.</summary>
    public static long PlaybookRuns => 0;

    public bool IsEmpty => Incidents.Count == 0 && Alerts.Count == 0 && Evidence.Count == 0;
}

/// <summary>What placing or releasing a legal hold came to.</summary>
public enum HoldResult
{
    Done,
    NotFound,

    /// <summary>Placing a hold on an incident already held: the first hold (who, when, why) stays as it was.</summary>
    AlreadyHeld,

    /// <summary>Releasing a hold on an incident that has none.</summary>
    NotHeld,

    /// <summary>The incident was merged into another: its alerts are there now, so the hold belongs on that one.</summary>
    Merged,
}
