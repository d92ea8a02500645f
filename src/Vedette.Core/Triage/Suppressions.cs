using System.Globalization;
using System.Text.Json;
using Vedette.Domain;
using Vedette.Enrich.Intel.Sources;

namespace Vedette.Triage;

/// <summary>
/// An analyst's standing decision to silence alerts: those of a rule, on an entity, with given field values, or any
/// combination (all given criteria must hold). A silenced alert is still stored and counted; it only stays out of the
/// incident queue. Removal is soft, so that the audit trail can always say why an alert was silenced.
/// </summary>
public sealed record Suppression
{
    private static readonly IReadOnlyDictionary<string, string> NoFields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    // ISO 8601 only: "12/01/2026" means different days to different people. Without an offset, UTC.
    private static readonly string[] TimeFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    public Suppression(
        Guid id,
        string? ruleId,
        Observable? entity,
        IReadOnlyDictionary<string, string>? fields,
        DateTimeOffset? expiresAt,
        string reason,
        string author,
        DateTimeOffset createdAt)
    {
        ruleId = string.IsNullOrWhiteSpace(ruleId) ? null : ruleId.Trim();
        if (ruleId is null && entity is null && (fields is null || fields.Count == 0))
        {
            throw new ArgumentException("a suppression needs a rule, an entity or a field value: one that matched every alert would silence everything");
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("a suppression needs a reason: the next analyst must be able to tell why alerts were silenced", nameof(reason));
        }
        if (string.IsNullOrWhiteSpace(author))
        {
            throw new ArgumentException("a suppression needs an author", nameof(author));
        }
        if (expiresAt <= createdAt)
        {
            throw new ArgumentException($"a suppression cannot expire ({expiresAt:O}) before it was created ({createdAt:O})", nameof(expiresAt));
        }
        Id = id;
        RuleId = ruleId;
        Entity = entity;
        Fields = fields is null || fields.Count == 0 ? NoFields : CopyFields(fields);
        ExpiresAt = expiresAt;
        Reason = reason.Trim();
        Author = author.Trim();
        CreatedAt = createdAt;
    }

    public Guid Id { get; }

    /// <summary>The rule whose alerts are silenced; null for alerts of any rule.</summary>
    public string? RuleId { get; }

    /// <summary>Silences only alerts that have this observable; null for any.</summary>
    public Observable? Entity { get; }

    /// <summary>
    /// Field values that must all hold, compared without regard to case with the alert's group-by values and the
    /// fields of its first evidence event.
    /// </summary>
    public IReadOnlyDictionary<string, string> Fields { get; }

    /// <summary>When it stops silencing; null for never.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    public string Reason { get; }

    public string Author { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>When it was lifted; a removed suppression is kept for the audit trail and never matches again.</summary>
    public DateTimeOffset? RemovedAt { get; init; }

    public string? RemovedBy { get; init; }

    /// <summary>How many stored alerts it silenced, as counted by the store when it lists suppressions.</summary>
    public long Hits { get; init; }

    /// <summary>A new suppression, created now: its id is a UUIDv7 of that time.</summary>
    public static Suppression Create(string? ruleId, Observable? entity, IReadOnlyDictionary<string, string>? fields, DateTimeOffset? expiresAt, string reason, string author, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), ruleId, entity, fields, expiresAt, reason, author, now);

    /// <summary>
    /// Reads an expiry as analysts write it: a duration from now (30m, 12h, 7d, 2w), a date (2026-12-31: until the end
    /// of that day, UTC) or a date and time (2026-12-31T18:00:00Z).
    /// </summary>
    public static DateTimeOffset ParseExpiry(string text, DateTimeOffset now)
    {
        text = text.Trim();
        DateTimeOffset expiresAt;
        if (Units.TryParseDuration(text, out var duration))
        {
            if (duration <= TimeSpan.Zero)
            {
                throw new FormatException($"expiry '{text}' is not a positive duration");
            }
            expiresAt = now + duration;
        }
        else if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            expiresAt = new DateTimeOffset(date.AddDays(1), TimeOnly.MinValue, TimeSpan.Zero);
        }
        else if (DateTimeOffset.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            expiresAt = time;
        }
        else
        {
            throw new FormatException($"expiry '{text}' is neither a duration (30m, 12h, 7d, 2w) nor a date (2026-12-31) or time (2026-12-31T18:00:00Z)");
        }
        return expiresAt > now ? expiresAt : throw new FormatException($"expiry '{text}' ({expiresAt:u}) is already past");
    }

    /// <summary>Not removed and not expired at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now) => RemovedAt is null && (ExpiresAt is not { } expiry || now < expiry);

    /// <summary>Whether it silences the alert at <paramref name="now"/>.</summary>
    public bool Matches(Alert alert, DateTimeOffset now)
    {
        AlertFieldValues? values = null;
        return Matches(alert, now, ref values);
    }

    /// <summary>The cheap criteria first; the alert's evidence is parsed only when nothing else ruled it out.</summary>
    internal bool Matches(Alert alert, DateTimeOffset now, ref AlertFieldValues? values)
    {
        if (!IsActive(now)
            || (RuleId is not null && !string.Equals(RuleId, alert.RuleId, StringComparison.OrdinalIgnoreCase))
            || (Entity is { } entity && !alert.Observables.Contains(entity)))
        {
            return false;
        }
        foreach (var (name, value) in Fields)
        {
            values ??= new AlertFieldValues(alert);
            if (!values.Has(name, value))
            {
                return false;
            }
        }
        return true;
    }

    public bool Equals(Suppression? other) =>
        other is not null
        && Id == other.Id
        && RuleId == other.RuleId
        && Entity == other.Entity
        && Fields.Count == other.Fields.Count
        && Fields.All(f => other.Fields.TryGetValue(f.Key, out var value) && value == f.Value)
        && ExpiresAt == other.ExpiresAt
        && Reason == other.Reason
        && Author == other.Author
        && CreatedAt == other.CreatedAt
        && RemovedAt == other.RemovedAt
        && RemovedBy == other.RemovedBy
        && Hits == other.Hits;

    public override int GetHashCode() => Id.GetHashCode();

    private static Dictionary<string, string> CopyFields(IReadOnlyDictionary<string, string> fields)
    {
        var copy = new Dictionary<string, string>(fields.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in fields)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("a suppression's field needs a name", nameof(fields));
            }
            if (!copy.TryAdd(name.Trim(), value))
            {
                throw new ArgumentException($"field '{name.Trim()}' is given twice", nameof(fields));
            }
        }
        return copy;
    }
}

/// <summary>
/// An alert's field values as suppressions compare them: its group-by values, then the fields of its first evidence
/// event (a flat JSON object), parsed on first use.
/// </summary>
internal sealed class AlertFieldValues(Alert alert)
{
    private Dictionary<string, List<string>>? _evidence;

    public bool Has(string name, string value)
    {
        foreach (var (key, groupValue) in alert.GroupBy)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase) && string.Equals(groupValue, value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        _evidence ??= ParseEvidence(alert);
        return _evidence.TryGetValue(name, out var values) && values.Exists(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase));
    }

    private static Dictionary<string, List<string>> ParseEvidence(Alert alert)
    {
        var fields = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        if (alert.Evidence.Count == 0)
        {
            return fields;
        }
        using var document = JsonDocument.Parse(alert.Evidence[0].Json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return fields;
        }
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (!fields.TryGetValue(property.Name, out var values))
            {
                values = fields[property.Name] = [];
            }
            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in property.Value.EnumerateArray())
                {
                    AddScalar(values, item);
                }
            }
            else
            {
                AddScalar(values, property.Value);
            }
        }
        return fields;
    }

    private static void AddScalar(List<string> values, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                values.Add(value.GetString()!);
                break;
            case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                // As written: 4688, 2.5, true.
                values.Add(value.GetRawText());
                break;
        }
    }
}

/// <summary>
/// The suppressions in force, immutable and indexed by rule id: most suppressions name a rule, so matching an alert
/// is one dictionary lookup plus the few that apply to any rule. Removed suppressions are left out; expired ones are
/// checked against the time given, since a set outlives the moment it was built.
/// </summary>
public sealed class SuppressionSet
{
    private readonly Dictionary<string, Suppression[]> _byRule;
    private readonly Suppression[] _anyRule;

    public SuppressionSet(IEnumerable<Suppression> suppressions)
    {
        // Oldest first within each bucket: when several match, the first one written down is the one credited.
        var live = suppressions.Where(s => s.RemovedAt is null).OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToList();
        _byRule = live.Where(s => s.RuleId is not null)
            .GroupBy(s => s.RuleId!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.OrdinalIgnoreCase);
        _anyRule = [.. live.Where(s => s.RuleId is null)];
        All = live;
    }

    public static SuppressionSet Empty { get; } = new([]);

    /// <summary>The suppressions that were not removed, oldest first.</summary>
    public IReadOnlyList<Suppression> All { get; }

    public int Count => All.Count;

    /// <summary>The suppression that silences the alert at <paramref name="now"/>, or null when none does.</summary>
    public Suppression? Match(Alert alert, DateTimeOffset now)
    {
        if (All.Count == 0)
        {
            return null;
        }
        AlertFieldValues? values = null;
        if (_byRule.TryGetValue(alert.RuleId, out var forRule) && First(forRule, alert, now, ref values) is { } match)
        {
            return match;
        }
        return First(_anyRule, alert, now, ref values);
    }

    private static Suppression? First(Suppression[] candidates, Alert alert, DateTimeOffset now, ref AlertFieldValues? values)
    {
        foreach (var suppression in candidates)
        {
            if (suppression.Matches(alert, now, ref values))
            {
                return suppression;
            }
        }
        return null;
    }
}

/// <summary>Holds the current suppression set: the pipeline reads it without locks, a change swaps in a whole new set.</summary>
public sealed class ActiveSuppressions
{
    private SuppressionSet _current = SuppressionSet.Empty;

    public SuppressionSet Current => Volatile.Read(ref _current);

    public void Swap(SuppressionSet next) => Volatile.Write(ref _current, next);
}
