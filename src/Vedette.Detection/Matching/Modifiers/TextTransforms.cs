using System.Globalization;
using System.Text;
using Vedette.Detection.Mappings;
using Vedette.Detection.Rules;

namespace Vedette.Detection.Matching.Modifiers;

/// <summary>
/// A string value between modifiers. After an UTF-16 modifier its literal runs are bytes, one character per byte
/// (Latin-1), which is also how such a value is matched when no base64 modifier follows: for ASCII text that is the
/// "c\0m\0d\0" pySigma matches.
/// </summary>
internal readonly record struct TextValue(SigmaString Value, bool Bytes);

/// <summary>
/// The string-rewriting modifiers, each from its definition in the Sigma modifiers appendix (and pySigma where the
/// appendix leaves details open). Each turns one value into one or more values; a value that expands into several
/// matches when any of them does.
/// </summary>
internal sealed class TextTransforms(IReadOnlyDictionary<string, IReadOnlyList<string>> placeholders)
{
    /// <summary>Placeholders this compilation met that are defined with no values.</summary>
    public HashSet<string> EmptyPlaceholders { get; } = new(StringComparer.Ordinal);

    /// <summary>How many values one rule value may expand into (windash, expand) before the rule is refused.</summary>
    public const int MaxExpansion = 4096;

    /// <summary>windash: -, / and the en dash, em dash and horizontal bar stand for each other.</summary>
    private const string Dashes = "-/\u2013\u2014\u2015";

    /// <summary>base64offset: the characters to drop at the start for 0, 1 and 2 bytes before the value.</summary>
    private static ReadOnlySpan<int> OffsetStartCut => [0, 2, 3];

    /// <summary>base64offset: the characters to drop at the end, by the length of the last 3-byte group (0, 1, 2 bytes).</summary>
    private static ReadOnlySpan<int> OffsetEndCut => [0, 3, 2];

    private static readonly IReadOnlyList<SigmaString> DashAlternatives = [.. Dashes.Select(d => SigmaString.Literal(d.ToString()))];

    public IReadOnlyList<TextValue> Apply(TextStep step, string name, TextValue value, int line) => step switch
    {
        TextStep.Contains => [value with { Value = value.Value.WithLeadingStar().WithTrailingStar() }],
        TextStep.StartsWith => [value with { Value = value.Value.WithTrailingStar() }],
        TextStep.EndsWith => [value with { Value = value.Value.WithLeadingStar() }],
        TextStep.Windash => Expand(value, Windash, name, line),
        TextStep.Expand => Expand(value, part => Placeholder(part, line), name, line),
        TextStep.Utf16Le => [Utf16(value, Encoding.Unicode, bom: false, name, line)],
        TextStep.Utf16Be => [Utf16(value, Encoding.BigEndianUnicode, bom: false, name, line)],
        TextStep.Utf16 => [Utf16(value, Encoding.Unicode, bom: true, name, line)],
        TextStep.Base64 => [new(SigmaString.Literal(Convert.ToBase64String(PlainBytes(value, name, line))), Bytes: false)],
        _ => [.. Base64Offsets(PlainBytes(value, name, line)).Select(text => new TextValue(SigmaString.Literal(text), Bytes: false))],
    };

    /// <summary>
    /// The three base64 encodings of a value preceded by 0, 1 or 2 unknown bytes, cut to the characters that depend
    /// on the value alone: whatever surrounds it, one of them occurs in the encoded text.
    /// </summary>
    public static string[] Base64Offsets(byte[] data)
    {
        var result = new string[3];
        for (var shift = 0; shift < 3; shift++)
        {
            var padded = new byte[shift + data.Length];
            padded.AsSpan(0, shift).Fill((byte)' ');
            data.CopyTo(padded, shift);
            var encoded = Convert.ToBase64String(padded);
            var start = OffsetStartCut[shift];
            var end = encoded.Length - OffsetEndCut[padded.Length % 3];
            result[shift] = end > start ? encoded[start..end] : "";
        }
        return result;
    }

    /// <summary>
    /// windash: a dash that starts a word (nothing or no word character before it, a word character after it) is
    /// replaced by each of the five dashes; a dash inside a word, as in Invoke-Expression, stays as written.
    /// </summary>
    private static IReadOnlyList<SigmaString>? Windash(SigmaPart part)
    {
        if (part.Kind != SigmaPartKind.Literal)
        {
            return [SigmaString.Of(part)];
        }
        var text = part.Text;
        var pieces = new List<IReadOnlyList<SigmaString>>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (Dashes.Contains(text[i], StringComparison.Ordinal) && (i == 0 || !IsWordChar(text[i - 1])) && i + 1 < text.Length && IsWordChar(text[i + 1]))
            {
                pieces.Add([SigmaString.Literal(text[start..i])]);
                pieces.Add(DashAlternatives);
                start = i + 1;
            }
        }
        pieces.Add([SigmaString.Literal(text[start..])]);
        return SigmaString.Product(pieces, MaxExpansion);
    }

    /// <summary>Regex's \w: letters, digits, the connector punctuation (_) and non-spacing marks.</summary>
    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.NonSpacingMark;

    private IReadOnlyList<SigmaString> Placeholder(SigmaPart part, int line)
    {
        if (part.Kind != SigmaPartKind.Placeholder)
        {
            return [SigmaString.Of(part)];
        }
        if (!placeholders.TryGetValue(part.Text, out var values))
        {
            throw new RuleFormatException(line, $"modifier 'expand': placeholder '%{part.Text}%' is not defined; add it to {DetectionMappings.PlaceholdersFile}");
        }
        if (values.Count == 0)
        {
            // Defined but not filled in yet: the rule loads and cannot match until the environment's values are set.
            EmptyPlaceholders.Add(part.Text);
            return [];
        }
        // Configured values are Sigma strings too: a workstation list may say "wks-*".
        return [.. values.Select(v => SigmaString.Parse(v))];
    }

    private static IReadOnlyList<TextValue> Expand(TextValue value, Func<SigmaPart, IReadOnlyList<SigmaString>?> alternatives, string name, int line)
    {
        var expanded = value.Value.Expand(alternatives, MaxExpansion)
            ?? throw new RuleFormatException(line, $"modifier '{name}' expands '{value.Value}' into more than {MaxExpansion} values");
        return [.. expanded.Select(v => value with { Value = v })];
    }

    private static TextValue Utf16(TextValue value, Encoding encoding, bool bom, string name, int line)
    {
        RefusePlaceholders(value, name, line);
        var encoded = value.Value.MapLiterals(text => Encoding.Latin1.GetString(encoding.GetBytes(text)));
        return new TextValue(bom ? SigmaString.Concat([SigmaString.Literal("\u00FF\u00FE"), encoded]) : encoded, Bytes: true);
    }

    /// <summary>The bytes a base64 modifier encodes: the bytes an UTF-16 modifier made, else the text as UTF-8.</summary>
    private static byte[] PlainBytes(TextValue value, string name, int line)
    {
        RefusePlaceholders(value, name, line);
        if (value.Value.HasWildcards)
        {
            throw new RuleFormatException(line, $"modifier '{name}' cannot encode the wildcards in '{value.Value}': escape them, or put contains, startswith or endswith after '{name}'");
        }
        var text = value.Value.Text;
        return value.Bytes ? Encoding.Latin1.GetBytes(text) : Encoding.UTF8.GetBytes(text);
    }

    private static void RefusePlaceholders(TextValue value, string name, int line)
    {
        if (value.Value.HasPlaceholders)
        {
            throw new RuleFormatException(line, $"modifier '{name}' cannot encode a placeholder: put 'expand' before '{name}'");
        }
    }
}
