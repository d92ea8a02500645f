using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Vedette.Tests.Reference;

/// <summary>
/// The reference's reading of one Sigma value and its modifiers, straight from the definitions and written for
/// clarity, not speed: a value is a list of single-character tokens, each modifier rewrites the list, and a
/// pattern is matched by dynamic programming over the text. It shares no code with the engine.
/// </summary>
internal static class ReferenceValues
{
    /// <summary>One character of a value: a literal, the wildcards * and ?, or a %placeholder% (its name in Text).</summary>
    private sealed record Token(char Kind, string Text)
    {
        public static Token Char(char c) => new('L', c.ToString());
    }

    private sealed record Pattern(List<Token> Tokens, bool Bytes);

    private static readonly string[] DashForms = ["-", "/", "\u2013", "\u2014", "\u2015"];

    // Sigma modifiers appendix, windash: a - or / (here: any of the five) at the start of a word, pySigma's \B[-/]\b.
    private static readonly Regex WindashPlace = new(@"\B[-/\u2013\u2014\u2015]\b", RegexOptions.CultureInvariant);

    /// <summary>Whether the text matches the rule value under the modifiers (all, neq, exists, fieldref are the caller's).</summary>
    public static bool Matches(string text, string value, IReadOnlyList<string> modifiers, bool keyword, IReadOnlyDictionary<string, IReadOnlyList<string>> placeholders)
    {
        if (modifiers.Contains("re"))
        {
            var options = RegexOptions.CultureInvariant
                | (modifiers.Contains("i") ? RegexOptions.IgnoreCase : 0)
                | (modifiers.Contains("m") ? RegexOptions.Multiline : 0)
                | (modifiers.Contains("s") ? RegexOptions.Singleline : 0);
            return Regex.IsMatch(text, value, options);
        }
        if (modifiers.Contains("cidr"))
        {
            return IPAddress.TryParse(text, out var address) && IPNetwork.Parse(value).Contains(address);
        }
        foreach (var comparison in new[] { "lt", "lte", "gt", "gte" }.Where(modifiers.Contains))
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }
            var bound = double.Parse(value, CultureInfo.InvariantCulture);
            return comparison switch { "lt" => number < bound, "lte" => number <= bound, "gt" => number > bound, _ => number >= bound };
        }
        var cased = modifiers.Contains("cased");
        var implicitContains = keyword && !modifiers.Any(m => m is "contains" or "startswith" or "endswith");
        foreach (var pattern in Transform(value, modifiers, placeholders))
        {
            var tokens = implicitContains ? Surround(pattern.Tokens, leading: true, trailing: true) : pattern.Tokens;
            if (WildcardMatch(tokens, text, cased))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The values a string value stands for once its modifiers have rewritten it, in the rule's order.</summary>
    private static List<Pattern> Transform(string value, IReadOnlyList<string> modifiers, IReadOnlyDictionary<string, IReadOnlyList<string>> placeholders)
    {
        var patterns = new List<Pattern> { new(Tokenize(value, modifiers.Contains("expand")), false) };
        foreach (var modifier in modifiers)
        {
            patterns = modifier switch
            {
                "contains" => [.. patterns.Select(p => p with { Tokens = Surround(p.Tokens, leading: true, trailing: true) })],
                "startswith" => [.. patterns.Select(p => p with { Tokens = Surround(p.Tokens, leading: false, trailing: true) })],
                "endswith" => [.. patterns.Select(p => p with { Tokens = Surround(p.Tokens, leading: true, trailing: false) })],
                "windash" => [.. patterns.SelectMany(Windash)],
                "expand" => [.. patterns.SelectMany(p => Expand(p, placeholders))],
                "wide" or "utf16le" => [.. patterns.Select(p => Encode(p, Encoding.Unicode, bom: false))],
                "utf16be" => [.. patterns.Select(p => Encode(p, Encoding.BigEndianUnicode, bom: false))],
                "utf16" => [.. patterns.Select(p => Encode(p, Encoding.Unicode, bom: true))],
                "base64" => [.. patterns.Select(p => Literal(Convert.ToBase64String(BytesOf(p))))],
                "base64offset" => [.. patterns.SelectMany(p => Base64Offset(BytesOf(p)).Select(Literal))],
                _ => patterns,
            };
        }
        return patterns;
    }

    /// <summary>The rules specification's escaping: \ before *, ? or \ (and % under expand) makes it literal; else it is itself.</summary>
    private static List<Token> Tokenize(string value, bool placeholders)
    {
        var tokens = new List<Token>();
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var next = i + 1 < value.Length ? value[i + 1] : '\0';
            if (c == '\\' && (next is '*' or '?' or '\\' || (placeholders && next == '%')))
            {
                tokens.Add(Token.Char(next));
                i++;
            }
            else if (c is '*' or '?')
            {
                tokens.Add(new Token(c, c.ToString()));
            }
            else if (c == '%' && placeholders && Regex.Match(value[i..], @"^%([\w.-]+)%") is { Success: true } m)
            {
                tokens.Add(new Token('%', m.Groups[1].Value));
                i += m.Length - 1;
            }
            else
            {
                tokens.Add(Token.Char(c));
            }
        }
        return tokens;
    }

    private static List<Token> Surround(List<Token> tokens, bool leading, bool trailing)
    {
        var result = new List<Token>(tokens);
        if (leading && (result.Count == 0 || result[0].Kind != '*'))
        {
            result.Insert(0, new Token('*', "*"));
        }
        if (trailing && (result.Count == 0 || result[^1].Kind != '*'))
        {
            result.Add(new Token('*', "*"));
        }
        return result;
    }

    private static IEnumerable<Pattern> Windash(Pattern pattern)
    {
        // Each literal run between wildcards is searched on its own, as pySigma does part by part.
        var places = new HashSet<int>();
        var run = new StringBuilder();
        var runStart = 0;
        for (var i = 0; i <= pattern.Tokens.Count; i++)
        {
            if (i < pattern.Tokens.Count && pattern.Tokens[i].Kind == 'L')
            {
                if (run.Length == 0)
                {
                    runStart = i;
                }
                run.Append(pattern.Tokens[i].Text);
                continue;
            }
            foreach (Match m in WindashPlace.Matches(run.ToString()))
            {
                places.Add(runStart + m.Index);
            }
            run.Clear();
        }
        IEnumerable<List<Token>> results = [[]];
        for (var i = 0; i < pattern.Tokens.Count; i++)
        {
            var token = pattern.Tokens[i];
            var choices = places.Contains(i) ? DashForms.Select(d => new Token('L', d)).ToList() : [token];
            results = [.. results.SelectMany(prefix => choices.Select(choice => new List<Token>(prefix) { choice }))];
        }
        return results.Select(tokens => pattern with { Tokens = tokens });
    }

    private static IEnumerable<Pattern> Expand(Pattern pattern, IReadOnlyDictionary<string, IReadOnlyList<string>> placeholders)
    {
        IEnumerable<List<Token>> results = [[]];
        foreach (var token in pattern.Tokens)
        {
            var choices = token.Kind == '%' ? placeholders[token.Text].Select(v => Tokenize(v, placeholders: false)).ToList() : [[token]];
            results = [.. results.SelectMany(prefix => choices.Select(choice => prefix.Concat(choice).ToList()))];
        }
        return results.Select(tokens => pattern with { Tokens = tokens });
    }

    /// <summary>The UTF-16 modifiers: each literal character becomes its two bytes, a byte being one character 0-255.</summary>
    private static Pattern Encode(Pattern pattern, Encoding encoding, bool bom)
    {
        var tokens = bom ? [Token.Char('\u00FF'), Token.Char('\u00FE')] : new List<Token>();
        foreach (var token in pattern.Tokens)
        {
            tokens.AddRange(token.Kind == 'L' ? encoding.GetBytes(token.Text).Select(b => Token.Char((char)b)) : [token]);
        }
        return new Pattern(tokens, Bytes: true);
    }

    private static byte[] BytesOf(Pattern pattern)
    {
        var text = string.Concat(pattern.Tokens.Select(t => t.Kind == 'L' ? t.Text : throw new InvalidOperationException("base64 of a wildcard")));
        return pattern.Bytes ? [.. text.Select(c => (byte)c)] : Encoding.UTF8.GetBytes(text);
    }

    /// <summary>pySigma's definition: b64encode(i * b" " + value)[(0, 2, 3)[i] : (None, -3, -2)[(len(value) + i) % 3]].</summary>
    private static IEnumerable<string> Base64Offset(byte[] value)
    {
        int[] start = [0, 2, 3];
        int?[] end = [null, -3, -2];
        for (var i = 0; i < 3; i++)
        {
            var encoded = Convert.ToBase64String([.. Enumerable.Repeat((byte)' ', i), .. value]);
            var to = end[(value.Length + i) % 3] is { } negative ? encoded.Length + negative : encoded.Length;
            yield return to > start[i] ? encoded[start[i]..to] : "";
        }
    }

    private static Pattern Literal(string text) => new([.. text.Select(Token.Char)], Bytes: false);

    /// <summary>Wildcard matching by dynamic programming: can tokens[i..] match text[j..]?</summary>
    private static bool WildcardMatch(List<Token> tokens, string text, bool cased)
    {
        var matches = new bool[tokens.Count + 1, text.Length + 1];
        matches[tokens.Count, text.Length] = true;
        for (var i = tokens.Count - 1; i >= 0; i--)
        {
            for (var j = text.Length; j >= 0; j--)
            {
                matches[i, j] = tokens[i].Kind switch
                {
                    '*' => matches[i + 1, j] || (j < text.Length && matches[i, j + 1]),
                    '?' => j < text.Length && matches[i + 1, j + 1],
                    _ => j < text.Length && SameChar(tokens[i].Text[0], text[j], cased) && matches[i + 1, j + 1],
                };
            }
        }
        return matches[0, 0];
    }

    private static bool SameChar(char a, char b, bool cased) => cased ? a == b : char.ToUpperInvariant(a) == char.ToUpperInvariant(b);
}
