using System.Text;

namespace Vedette.Enrich.Intel.Readers;

internal enum StixTokenKind
{
    Open,
    Close,
    OpenParen,
    CloseParen,
    Comma,

    /// <summary>=, !=, &lt;, &lt;=, &gt;, &gt;=.</summary>
    Operator,

    /// <summary>AND, OR, NOT, IN, MATCHES, WITHIN, ... (upper-cased).</summary>
    Word,

    /// <summary>object-type:property.path, with quoted keys unquoted ("file:hashes.SHA-256").</summary>
    Path,

    String,
    Number,
    Boolean,

    /// <summary>t'...', h'...', b'...': literal kinds no indicator value is written in.</summary>
    Typed,
    End,
}

/// <summary>One token of a STIX pattern, with where it stands in the pattern (for naming the part in an error).</summary>
internal readonly record struct StixToken(StixTokenKind Kind, string Text, int Start, int End);

/// <summary>Thrown for a pattern that does not follow the STIX 2.1 grammar; the position is a character index.</summary>
internal sealed class StixPatternException(string message, int position) : Exception(message)
{
    public int Position { get; } = position;
}

/// <summary>Cuts a STIX 2.1 pattern into tokens.</summary>
internal static class StixPatternLexer
{
    public static List<StixToken> Tokenize(string pattern)
    {
        var tokens = new List<StixToken>();
        var i = 0;
        while (true)
        {
            while (i < pattern.Length && char.IsWhiteSpace(pattern[i]))
            {
                i++;
            }
            if (i == pattern.Length)
            {
                tokens.Add(new(StixTokenKind.End, "", i, i));
                return tokens;
            }
            var start = i;
            var c = pattern[i];
            switch (c)
            {
                case '[':
                    tokens.Add(new(StixTokenKind.Open, "[", start, ++i));
                    continue;
                case ']':
                    tokens.Add(new(StixTokenKind.Close, "]", start, ++i));
                    continue;
                case '(':
                    tokens.Add(new(StixTokenKind.OpenParen, "(", start, ++i));
                    continue;
                case ')':
                    tokens.Add(new(StixTokenKind.CloseParen, ")", start, ++i));
                    continue;
                case ',':
                    tokens.Add(new(StixTokenKind.Comma, ",", start, ++i));
                    continue;
                case '=':
                    tokens.Add(new(StixTokenKind.Operator, "=", start, ++i));
                    continue;
                case '!' or '<' or '>':
                    i += i + 1 < pattern.Length && pattern[i + 1] == '=' ? 2 : 1;
                    if (c == '!' && i - start == 1)
                    {
                        throw new StixPatternException("'!' without '='", start);
                    }
                    tokens.Add(new(StixTokenKind.Operator, pattern[start..i], start, i));
                    continue;
                case '\'':
                    var text = ReadQuoted(pattern, ref i);
                    tokens.Add(new(StixTokenKind.String, text, start, i));
                    continue;
            }
            if (c is 't' or 'h' or 'b' && i + 1 < pattern.Length && pattern[i + 1] == '\'')
            {
                i++;
                ReadQuoted(pattern, ref i);
                tokens.Add(new(StixTokenKind.Typed, pattern[start..i], start, i));
            }
            else if (char.IsAsciiDigit(c) || (c is '-' or '+' && i + 1 < pattern.Length && char.IsAsciiDigit(pattern[i + 1])))
            {
                i++;
                while (i < pattern.Length && (char.IsAsciiDigit(pattern[i]) || pattern[i] == '.'))
                {
                    i++;
                }
                tokens.Add(new(StixTokenKind.Number, pattern[start..i], start, i));
            }
            else if (char.IsAsciiLetter(c))
            {
                tokens.Add(ReadWordOrPath(pattern, ref i));
            }
            else
            {
                throw new StixPatternException($"unexpected character '{c}'", start);
            }
        }
    }

    private static StixToken ReadWordOrPath(string pattern, ref int i)
    {
        var start = i;
        var word = ReadIdentifier(pattern, ref i);
        if (i >= pattern.Length || pattern[i] != ':')
        {
            var upper = word.ToUpperInvariant();
            return upper is "TRUE" or "FALSE"
                ? new(StixTokenKind.Boolean, upper, start, i)
                : new(StixTokenKind.Word, upper, start, i);
        }
        // An object path: type ':' step ('.' step | '[' index ']')*, where a step may be quoted ('SHA-256').
        var path = new StringBuilder(word.ToLowerInvariant()).Append(':');
        i++;
        path.Append(ReadStep(pattern, ref i));
        while (i < pattern.Length)
        {
            if (pattern[i] == '.')
            {
                i++;
                path.Append('.').Append(ReadStep(pattern, ref i));
            }
            else if (pattern[i] == '[' && IsIndex(pattern, i, out var close))
            {
                path.Append(pattern, i, close + 1 - i);
                i = close + 1;
            }
            else
            {
                break;
            }
        }
        return new(StixTokenKind.Path, path.ToString(), start, i);
    }

    private static string ReadStep(string pattern, ref int i)
    {
        if (i < pattern.Length && pattern[i] == '\'')
        {
            return ReadQuoted(pattern, ref i);
        }
        var step = ReadIdentifier(pattern, ref i);
        return step.Length > 0 ? step : throw new StixPatternException("an object path step is missing", i);
    }

    private static string ReadIdentifier(string pattern, ref int i)
    {
        var start = i;
        while (i < pattern.Length && (char.IsAsciiLetterOrDigit(pattern[i]) || pattern[i] is '_' or '-'))
        {
            i++;
        }
        return pattern[start..i];
    }

    /// <summary>A list index inside a path: "[*]" or "[0]", as in email-message:body_multipart[*].</summary>
    private static bool IsIndex(string pattern, int open, out int close)
    {
        close = pattern.IndexOf(']', open);
        if (close <= open + 1)
        {
            return false;
        }
        var inside = pattern.AsSpan(open + 1, close - open - 1);
        return inside is "*" || inside.IndexOfAnyExceptInRange('0', '9') < 0;
    }

    /// <summary>Reads a '...' literal from its opening quote; \' and \\ are the escapes STIX defines.</summary>
    private static string ReadQuoted(string pattern, ref int i)
    {
        var start = i;
        var text = new StringBuilder();
        i++;
        while (i < pattern.Length)
        {
            var c = pattern[i++];
            if (c == '\'')
            {
                return text.ToString();
            }
            if (c == '\\' && i < pattern.Length && pattern[i] is '\'' or '\\')
            {
                c = pattern[i++];
            }
            text.Append(c);
        }
        throw new StixPatternException("a quoted string is not closed", start);
    }
}
