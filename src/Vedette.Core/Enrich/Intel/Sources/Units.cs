using System.Globalization;

namespace Vedette.Enrich.Intel.Sources;

/// <summary>Durations (30s, 5m, 6h, 7d) and sizes (512KB, 50MB) as feed configuration writes them.</summary>
internal static class Units
{
    // "ms" before "m" and "s", so that the longer suffix wins.
    private static readonly (string Suffix, long Ticks)[] DurationUnits =
    [
        ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond),
        ("m", TimeSpan.TicksPerMinute),
        ("h", TimeSpan.TicksPerHour),
        ("d", TimeSpan.TicksPerDay),
        ("w", TimeSpan.TicksPerDay * 7),
    ];

    // Binary multiples, as people mean them for download sizes.
    private static readonly (string Suffix, long Bytes)[] SizeUnits =
    [
        // Two-letter suffixes before "B", which ends them all.
        ("KB", 1L << 10), ("KIB", 1L << 10), ("K", 1L << 10),
        ("MB", 1L << 20), ("MIB", 1L << 20), ("M", 1L << 20),
        ("GB", 1L << 30), ("GIB", 1L << 30), ("G", 1L << 30),
        ("B", 1),
    ];

    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        foreach (var (suffix, ticks) in DurationUnits)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && TryScale(text[..^suffix.Length], ticks, TimeSpan.MaxValue.Ticks, out var total))
            {
                duration = TimeSpan.FromTicks(total);
                return true;
            }
        }
        return false;
    }

    public static bool TryParseSize(string text, out long bytes)
    {
        foreach (var (suffix, unit) in SizeUnits)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return TryScale(text[..^suffix.Length], unit, long.MaxValue, out bytes);
            }
        }
        return TryScale(text, 1, long.MaxValue, out bytes);
    }

    public static string FormatDuration(TimeSpan duration) => duration switch
    {
        { Ticks: 0 } => "0s",
        _ when duration.Ticks % TimeSpan.TicksPerDay == 0 => $"{duration.Ticks / TimeSpan.TicksPerDay}d",
        _ when duration.Ticks % TimeSpan.TicksPerHour == 0 => $"{duration.Ticks / TimeSpan.TicksPerHour}h",
        _ when duration.Ticks % TimeSpan.TicksPerMinute == 0 => $"{duration.Ticks / TimeSpan.TicksPerMinute}m",
        _ when duration.Ticks % TimeSpan.TicksPerSecond == 0 => $"{duration.Ticks / TimeSpan.TicksPerSecond}s",
        _ => $"{duration.TotalMilliseconds:0.###}ms",
    };

    private static bool TryScale(string number, long unit, long max, out long total)
    {
        total = 0;
        number = number.Trim();
        if (number.Length == 0 || !long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > max / unit)
        {
            return false;
        }
        total = count * unit;
        return true;
    }
}
