using System.Text;
using System.Text.RegularExpressions;

namespace Vedette.Detection.Matching;

/// <summary>
/// The literal text a regular expression's every match must begin with, read off its leading characters
/// (ipconfig\s+/all → "ipconfig"). A value that does not contain it cannot match, which is far cheaper to test
/// than running the expression, and the plan's prefilter can use it as a gate.
/// </summary>
internal static class RegexLiteral
{
    public const int MinimumLength = 3;

    public static string? Leading(string pattern, RegexOptions options)
    {
        if (HasTopLevelAlternation(pattern) || (options & (RegexOptions.IgnorePatternWhitespace | RegexOptions.RightToLeft)) != 0)
        {
            return null;
        }
        var literal = new StringBuilder();
        var i = 0;
        if (pattern.StartsWith('^'))
        {
            i = 1;
        }
        while (i < pattern.Length)
        {
            var c = pattern[i];
            char next;
            int width;
            if (c == '\\')
            {
                if (i + 1 >= pattern.Length || !IsEscapedLiteral(pattern[i + 1]))
                {
                    break;
                }
                next = pattern[i + 1];
                width = 2;
            }
            else if (@".^$|?*+()[]{}".Contains(c, StringComparison.Ordinal))
            {
                break;
            }
            else
            {
                next = c;
                width = 1;
            }
            // A quantifier after a character makes that character optional: it is not part of the literal.
            if (i + width < pattern.Length && pattern[i + width] is '?' or '*' or '{')
            {
                break;
            }
            literal.Append(next);
            i += width;
        }
        return literal.Length >= MinimumLength ? literal.ToString() : null;
    }

    private static bool IsEscapedLiteral(char c) => !char.IsLetterOrDigit(c) && c != '_';

    private static bool HasTopLevelAlternation(string pattern)
    {
        var depth = 0;
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;
                    break;
                case '[' when !inClass:
                    inClass = true;
                    break;
                case ']' when inClass:
                    inClass = false;
                    break;
                case '(' when !inClass:
                    depth++;
                    break;
                case ')' when !inClass:
                    depth--;
                    break;
                case '|' when !inClass && depth == 0:
                    return true;
            }
        }
        return false;
    }
}
