using System.Globalization;
using Vedette.Ingest;

namespace Vedette.Tests.Ingest;

/// <summary>The digit-by-digit ISO reader must agree with the general parser it shortcuts, on valid and invalid text alike.</summary>
public sealed class TimestampsTests
{
    private static (bool Ok, DateTimeOffset Value) General(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? (true, value) : (false, default);

    [Theory]
    [InlineData("2020-06-10T02:50:56.537Z")]
    [InlineData("2020-06-10T02:50:56Z")]
    [InlineData("2020-06-10T02:50:56.1234567Z")]
    [InlineData("2024-02-29T23:59:59.9Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    public void Iso_utc_timestamps_read_as_the_general_parser_reads_them(string text)
    {
        Assert.True(Timestamps.TryParse(text, out var value));
        Assert.Equal(General(text), (true, value));
        Assert.Equal(TimeSpan.Zero, value.Offset);
    }

    [Theory]
    [InlineData("2023-02-29T00:00:00Z")]
    [InlineData("2020-13-01T00:00:00Z")]
    [InlineData("2020-00-10T00:00:00Z")]
    [InlineData("2020-06-31T00:00:00Z")]
    [InlineData("2020-06-10T24:00:00Z")]
    [InlineData("2020-06-10T02:60:00Z")]
    [InlineData("2020-06-10T02:50:56.Z")]
    [InlineData("2020-06-10T02:5x:56Z")]
    public void Impossible_dates_are_not_read_by_the_shortcut(string text)
    {
        Assert.False(General(text).Item1);
        Assert.False(Timestamps.TryParse(text, out _));
    }

    [Fact]
    public void Random_iso_timestamps_agree_with_the_general_parser()
    {
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var year = random.Next(1, 10_000);
            var digits = random.Next(0, 8);
            var text = string.Create(CultureInfo.InvariantCulture,
                $"{year:D4}-{random.Next(0, 14):D2}-{random.Next(0, 33):D2}T{random.Next(0, 25):D2}:{random.Next(0, 61):D2}:{random.Next(0, 61):D2}")
                + (digits == 0 ? "" : "." + random.NextInt64(0, (long)Math.Pow(10, digits)).ToString(new string('0', digits), CultureInfo.InvariantCulture)) + "Z";
            var general = General(text);
            var ours = Timestamps.TryParse(text, out var value);
            Assert.True(general.Item1 == ours, text);
            if (ours)
            {
                Assert.Equal(general.Value, value);
            }
            // The normalizer reads the same spelling from the record's bytes.
            var fromBytes = Timestamps.TryParseUtcIso(System.Text.Encoding.UTF8.GetBytes(text), out var byteValue);
            Assert.True(fromBytes == Timestamps.TryParseUtcIso(text.AsSpan(), out var charValue), text);
            Assert.Equal(charValue, byteValue);
            Assert.True(!fromBytes || general.Value == byteValue, text);
        }
    }
}
