using System.Text.Json;

namespace Vedette.Ingest.Readers;

internal enum ScanOutcome
{
    /// <summary>A complete JSON object.</summary>
    Object,

    /// <summary>A complete JSON value that is not an object (a record must be one).</summary>
    NotObject,

    /// <summary>The value goes on past the data read so far.</summary>
    Incomplete,

    /// <summary>The value is nested deeper than allowed.</summary>
    TooDeep,

    /// <summary>The value is not valid JSON.</summary>
    Malformed,
}

/// <summary>What <see cref="JsonValueScan.Next"/> found: the outcome, the bytes the value took, and what is wrong with it.</summary>
internal readonly record struct ScanResult(ScanOutcome Outcome, int Consumed, string? Problem);

/// <summary>Finds and checks the one JSON value at the start of some bytes, counting its depth as it goes.</summary>
internal static class JsonValueScan
{
    /// <summary>Scans the value at the start of <paramref name="data"/>, which begins on line <paramref name="line"/> of its file.</summary>
    public static ScanResult Next(ReadOnlySpan<byte> data, bool isFinalBlock, int maxDepth, long line)
    {
        // The reader may go one level past the cap so that the depth is ours to report, not an exception to interpret.
        var options = new JsonReaderOptions { MaxDepth = maxDepth + 1, AllowMultipleValues = true };
        var reader = new Utf8JsonReader(data, isFinalBlock, new JsonReaderState(options));
        try
        {
            if (!reader.Read())
            {
                return new(ScanOutcome.Incomplete, 0, null);
            }
            var first = reader.TokenType;
            if (first is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                while (true)
                {
                    if (!reader.Read())
                    {
                        return new(ScanOutcome.Incomplete, 0, null);
                    }
                    var token = reader.TokenType;
                    if (token is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth + 1 > maxDepth)
                    {
                        return new(ScanOutcome.TooDeep, 0, $"JSON nested deeper than {maxDepth} levels; record skipped");
                    }
                    if (token is JsonTokenType.EndObject or JsonTokenType.EndArray && reader.CurrentDepth == 0)
                    {
                        break;
                    }
                }
            }
            var consumed = checked((int)reader.BytesConsumed);
            return first == JsonTokenType.StartObject
                ? new(ScanOutcome.Object, consumed, null)
                : new(ScanOutcome.NotObject, consumed, $"expected a JSON object, found {Describe(first)}; skipped");
        }
        catch (JsonException ex)
        {
            return new(ScanOutcome.Malformed, 0, $"malformed JSON at line {line + ex.LineNumber}, byte {ex.BytePositionInLine}: {FirstSentence(ex.Message)}");
        }
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
