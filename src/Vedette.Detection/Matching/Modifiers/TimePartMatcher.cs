using System.Globalization;

namespace Vedette.Detection.Matching.Modifiers;

/// <summary>
/// The time modifiers (minute, hour, day, week, month, year): the part of a date value, as written, equals the
/// rule's number. As the appendix says, no time zone or format conversion: 23:10+02:00 is hour 23. Weeks are
/// ISO 8601 weeks. A value that is no date does not match.
/// </summary>
internal sealed class TimePartMatcher(TimePart part, int expected) : IValueMatcher
{
    /// <summary>The numbers each part can take, for refusing a rule that asks for hour 25.</summary>
    public static (int Min, int Max) RangeOf(TimePart part) => part switch
    {
        TimePart.Minute => (0, 59),
        TimePart.Hour => (0, 23),
        TimePart.Day => (1, 31),
        TimePart.Week => (1, 53),
        TimePart.Month => (1, 12),
        _ => (1, 9999),
    };

    public bool Matches(string text)
    {
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out var date))
        {
            return false;
        }
        var value = part switch
        {
            TimePart.Minute => date.Minute,
            TimePart.Hour => date.Hour,
            TimePart.Day => date.Day,
            TimePart.Week => ISOWeek.GetWeekOfYear(date.DateTime),
            TimePart.Month => date.Month,
            _ => date.Year,
        };
        return value == expected;
    }

    public override string ToString() => $"{part.ToString().ToLowerInvariant()} = {expected}";
}
