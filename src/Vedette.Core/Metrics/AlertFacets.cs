using Vedette.Domain;
using Vedette.Serialization;

namespace Vedette.Metrics;

/// <summary>
/// The alert's facets the reports count alerts by, computed once when the alert is stored (the store keeps them as
/// columns, so that a report never reads an alert document).
/// </summary>
public static class AlertFacets
{
    /// <summary>What raised the alert: an external alert's producer (suricata, edr), else its origin (rule, correlation, indicator).</summary>
    public static string Source(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return alert.Producer ?? DomainJson.OriginName(alert.Origin);
    }

    /// <summary>
    /// The alert's ATT&amp;CK tags (attack.*) in its order, lower case, space-separated; null when it has none. Lower
    /// case by ASCII only, as SQLite's lower() does: the migration that backfills stored alerts gives the same string.
    /// </summary>
    public static string? AttackTags(IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        List<string>? attack = null;
        foreach (var tag in tags)
        {
            if (tag.StartsWith("attack.", StringComparison.OrdinalIgnoreCase))
            {
                (attack ??= []).Add(AsciiLower(tag));
            }
        }
        return attack is null ? null : string.Join(' ', attack);
    }

    private static string AsciiLower(string text) =>
        string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = source[i];
                span[i] = char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;
            }
        });
}
