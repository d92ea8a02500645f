using System.Text;
using System.Text.RegularExpressions;

namespace Vedette.Detection.Matching;

/// <summary>
/// A literal every match of a regular expression contains, read off the pattern: the longest run of plain
/// characters that no alternation, optional quantifier or lookaround can leave out
/// (<c>(Copy-Item|cpi) .{2,128} -Destination .{1,32}\\Windows\\</c> → " -Destination "). A value without it cannot
/// match, which is far cheaper to test than running the expression, and the plan's prefilter uses it as a gate.
/// The reading is conservative: any construct it does not know ends a run, so a run is never wrong, only shorter;
/// and a pattern whose literal characters it cannot be sure of (free-spacing mode) has none.
/// </summary>
internal static class RegexLiteral
{
    /// <summary>
    /// The required literal, or null; <paramref name="ignoreCase"/> is true when part of the pattern matches
    /// case-insensitively (an inline <c>(?i)</c>), so the literal must be looked for ignoring case.
    /// </summary>
    public static string? Required(string pattern, RegexOptions options, out bool ignoreCase)
    {
        ignoreCase = (options & RegexOptions.IgnoreCase) != 0;
        if ((options & (RegexOptions.IgnorePatternWhitespace | RegexOptions.RightToLeft)) != 0)
        {
            return null;
        }
        var reader = new Reader(pattern);
        var runs = new List<string>();
        // Runs are kept only when the whole pattern is one alternative; a stray ')' stops the reader early.
        var read = reader.Alternatives(runs) && reader.Position == pattern.Length;
        ignoreCase |= reader.InlineIgnoreCase;
        // Even one character is worth testing before running the expression (a backtick, "${"); whether a literal
        // is long enough to gate a rule in the prefilter is the plan's decision.
        return read ? runs.MaxBy(r => r.Length) : null;
    }

    private ref struct Reader(string pattern)
    {
        private readonly string _pattern = pattern;

        public int Position { get; private set; }

        public bool InlineIgnoreCase { get; private set; }

        /// <summary>
        /// Reads alternatives up to a closing parenthesis or the end. Runs are collected only when there is a single
        /// alternative (a run of one branch of several is not required). False for what cannot be read safely.
        /// </summary>
        public bool Alternatives(List<string> runs)
        {
            var own = new List<string>();
            if (!Sequence(own))
            {
                return false;
            }
            var single = true;
            while (Position < _pattern.Length && _pattern[Position] == '|')
            {
                Position++;
                single = false;
                if (!Sequence([]))
                {
                    return false;
                }
            }
            if (single)
            {
                runs.AddRange(own);
            }
            return true;
        }

        private bool Sequence(List<string> runs)
        {
            var run = new StringBuilder();
            void Flush()
            {
                if (run.Length > 0)
                {
                    runs.Add(run.ToString());
                    run.Clear();
                }
            }
            while (Position < _pattern.Length && _pattern[Position] is not ('|' or ')'))
            {
                var c = _pattern[Position];
                char? literal = null;
                List<string>? inner = null;
                switch (c)
                {
                    case '(':
                        if (!Group(inner = []))
                        {
                            return false;
                        }
                        break;
                    case '[':
                        if (!SkipClass())
                        {
                            return false;
                        }
                        break;
                    case '\\':
                        if (!Escape(out literal))
                        {
                            return false;
                        }
                        break;
                    case '.' or '^' or '$':
                        Position++;
                        break;
                    case '*' or '+' or '?' or '{':
                        // A quantifier with nothing before it, or a brace that is not a quantifier (a literal to .NET):
                        // not worth reading exactly.
                        if (c != '{' || !TryQuantifier(out _))
                        {
                            return false;
                        }
                        Flush();
                        continue;
                    default:
                        literal = c;
                        Position++;
                        break;
                }
                var (optional, repeated) = Quantifier();
                if (optional)
                {
                    // The atom may be absent: nothing in it is required, and the run cannot go through it.
                    Flush();
                    continue;
                }
                if (literal is { } ch)
                {
                    run.Append(ch);
                    if (repeated)
                    {
                        Flush();
                    }
                    continue;
                }
                // A group, class or other construct: its own required runs stand alone, the run around it ends.
                Flush();
                if (inner is not null)
                {
                    runs.AddRange(inner);
                }
            }
            Flush();
            return true;
        }

        /// <summary>Reads the quantifier after an atom, if any: (may the atom be absent, may it repeat).</summary>
        private (bool Optional, bool Repeated) Quantifier()
        {
            if (Position >= _pattern.Length)
            {
                return (false, false);
            }
            (bool, bool) result;
            switch (_pattern[Position])
            {
                case '?':
                    Position++;
                    result = (true, false);
                    break;
                case '*':
                    Position++;
                    result = (true, true);
                    break;
                case '+':
                    Position++;
                    result = (false, true);
                    break;
                case '{' when TryQuantifier(out var minimum):
                    result = (minimum == 0, true);
                    break;
                default:
                    return (false, false);
            }
            // Lazy or possessive suffix.
            if (Position < _pattern.Length && _pattern[Position] is '?' or '+')
            {
                Position++;
            }
            return result;
        }

        /// <summary>{n}, {n,} or {n,m} at the current position; moves past it when it is one.</summary>
        private bool TryQuantifier(out int minimum)
        {
            minimum = 0;
            var end = _pattern.IndexOf('}', Position);
            if (end < 0)
            {
                return false;
            }
            var body = _pattern.AsSpan(Position + 1, end - Position - 1);
            var comma = body.IndexOf(',');
            var first = comma < 0 ? body : body[..comma];
            var second = comma < 0 ? [] : body[(comma + 1)..];
            if (first.IsEmpty || !AllDigits(first) || !AllDigits(second) || !int.TryParse(first, out minimum))
            {
                return false;
            }
            Position = end + 1;
            return true;
        }

        private static bool AllDigits(ReadOnlySpan<char> text)
        {
            foreach (var c in text)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }
            }
            return true;
        }

        private bool Group(List<string> inner)
        {
            Position++;
            var lookaround = false;
            if (Position < _pattern.Length && _pattern[Position] == '?')
            {
                var rest = _pattern.AsSpan(Position + 1);
                if (rest.StartsWith(":") || rest.StartsWith(">"))
                {
                    Position += 2;
                }
                else if (rest.StartsWith("=") || rest.StartsWith("!") || rest.StartsWith("<=") || rest.StartsWith("<!"))
                {
                    // Lookarounds match no characters of their own: whatever they contain is not part of the match.
                    lookaround = true;
                    Position += rest[0] == '<' ? 3 : 2;
                }
                else if (rest.StartsWith("<") || rest.StartsWith("'"))
                {
                    var close = _pattern.IndexOf(rest[0] == '<' ? '>' : '\'', Position + 2);
                    if (close < 0)
                    {
                        return false;
                    }
                    Position = close + 1;
                }
                else
                {
                    // Inline options: (?imnsx-imnsx) or (?imnsx-imnsx:...).
                    var end = Position + 1;
                    while (end < _pattern.Length && _pattern[end] is 'i' or 'm' or 'n' or 's' or 'x' or '-')
                    {
                        end++;
                    }
                    if (end >= _pattern.Length || _pattern[end] is not (')' or ':'))
                    {
                        return false;
                    }
                    var flags = _pattern.AsSpan(Position + 1, end - Position - 1);
                    var on = flags.IndexOf('-') is var minus and >= 0 ? flags[..minus] : flags;
                    if (on.Contains('x'))
                    {
                        return false;
                    }
                    InlineIgnoreCase |= on.Contains('i');
                    Position = end + 1;
                    if (_pattern[end] == ')')
                    {
                        return true;
                    }
                }
            }
            if (!Alternatives(lookaround ? [] : inner) || Position >= _pattern.Length || _pattern[Position] != ')')
            {
                return false;
            }
            Position++;
            return true;
        }

        private bool SkipClass()
        {
            var i = Position + 1;
            if (i < _pattern.Length && _pattern[i] == '^')
            {
                i++;
            }
            // A ] first in the class is a member, not its end.
            if (i < _pattern.Length && _pattern[i] == ']')
            {
                i++;
            }
            while (i < _pattern.Length && _pattern[i] != ']')
            {
                if (_pattern[i] == '[')
                {
                    // Class subtraction ([a-z-[aeiou]]) or a bracket as a member: not worth reading exactly.
                    return false;
                }
                i += _pattern[i] == '\\' ? 2 : 1;
            }
            if (i >= _pattern.Length)
            {
                return false;
            }
            Position = i + 1;
            return true;
        }

        /// <summary>An escape: the character it stands for when it is a plain punctuation escape, else null.</summary>
        private bool Escape(out char? literal)
        {
            literal = null;
            if (Position + 1 >= _pattern.Length)
            {
                return false;
            }
            var c = _pattern[Position + 1];
            Position += 2;
            if (!char.IsLetterOrDigit(c) && c != '_')
            {
                literal = c;
                return true;
            }
            switch (c)
            {
                // Classes, anchors and back-references: no literal, nothing more to skip.
                case 'd' or 'D' or 'w' or 'W' or 's' or 'S' or 'b' or 'B' or 'A' or 'z' or 'Z' or 'G'
                    or 't' or 'n' or 'r' or 'f' or 'v' or 'e' or 'a':
                    return true;
                case '0':
                    // An octal escape: \0 and up to two more octal digits are one character.
                    for (var digits = 0; digits < 2 && Position < _pattern.Length && _pattern[Position] is >= '0' and <= '7'; digits++)
                    {
                        Position++;
                    }
                    return true;
                case >= '1' and <= '9':
                    while (Position < _pattern.Length && char.IsAsciiDigit(_pattern[Position]))
                    {
                        Position++;
                    }
                    return true;
                case 'x':
                    return Skip(2);
                case 'u':
                    return Skip(4);
                case 'c':
                    return Skip(1);
                case 'p' or 'P':
                    return SkipTo('{', '}');
                case 'k':
                    return Position < _pattern.Length && _pattern[Position] is '<' or '\''
                        && SkipTo(_pattern[Position], _pattern[Position] == '<' ? '>' : '\'');
                default:
                    return false;
            }
        }

        private bool Skip(int count)
        {
            if (Position + count > _pattern.Length)
            {
                return false;
            }
            Position += count;
            return true;
        }

        private bool SkipTo(char open, char close)
        {
            if (Position >= _pattern.Length || _pattern[Position] != open)
            {
                return false;
            }
            var end = _pattern.IndexOf(close, Position + 1);
            if (end < 0)
            {
                return false;
            }
            Position = end + 1;
            return true;
        }
    }
}
