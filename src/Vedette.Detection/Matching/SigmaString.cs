using System.Text;
using System.Text.RegularExpressions;

namespace Vedette.Detection.Matching;

/// <summary>
/// A Sigma string value parsed once at load: literal runs and the wildcards * and ?, with the specification's
/// backslash escaping (\* and \? are literal, \\ is one backslash, a lone backslash is itself).
/// </summary>
internal sealed class SigmaString
{
    private readonly List<(string? Literal, char Wildcard)> _parts;

    private SigmaString(List<(string? Literal, char Wildcard)> parts) => _parts = parts;

    public static SigmaString Parse(string value)
    {
        var parts = new List<(string?, char)>();
        var literal = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && i + 1 < value.Length && value[i + 1] is '*' or '?' or '\\')
            {
                literal.Append(value[i + 1]);
                i++;
            }
            else if (c is '*' or '?')
            {
                if (literal.Length > 0)
                {
                    parts.Add((literal.ToString(), '\0'));
                    literal.Clear();
                }
                parts.Add((null, c));
            }
            else
            {
                literal.Append(c);
            }
        }
        if (literal.Length > 0 || parts.Count == 0)
        {
            parts.Add((literal.ToString(), '\0'));
        }
        return new SigmaString(parts);
    }

    public static SigmaString Literal(string text) => new([(text, '\0')]);

    public bool HasWildcards => _parts.Exists(p => p.Literal is null);

    public SigmaString WithLeadingStar() => _parts[0].Wildcard == '*' ? this : new SigmaString([(null, '*'), .. _parts]);

    public SigmaString WithTrailingStar() => _parts[^1].Wildcard == '*' ? this : new SigmaString([.. _parts, (null, '*')]);

    /// <summary>The plain text when there are no wildcards.</summary>
    public string Text => string.Concat(_parts.Select(p => p.Literal ?? p.Wildcard.ToString()));

    /// <summary>
    /// Builds the cheapest matcher for the pattern: equality, prefix, suffix and substring tests cover nearly all
    /// rules; anything else becomes an anchored regular expression with a guaranteed-linear engine.
    /// </summary>
    public IValueMatcher ToMatcher(bool cased)
    {
        var comparison = cased ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var count = _parts.Count;
        if (!HasWildcards)
        {
            return new EqualsMatcher(_parts[0].Literal!, comparison);
        }
        if (count == 2 && _parts[0].Literal is { } prefix && _parts[1].Wildcard == '*')
        {
            return new StartsWithMatcher(prefix, comparison);
        }
        if (count == 2 && _parts[0].Wildcard == '*' && _parts[1].Literal is { } suffix)
        {
            return new EndsWithMatcher(suffix, comparison);
        }
        if (count == 3 && _parts[0].Wildcard == '*' && _parts[1].Literal is { } middle && _parts[2].Wildcard == '*')
        {
            return new ContainsMatcher(middle, comparison);
        }
        if (count == 1 && _parts[0].Wildcard == '*')
        {
            return AnyMatcher.Instance;
        }
        var pattern = new StringBuilder("^");
        foreach (var (text, wildcard) in _parts)
        {
            pattern.Append(text is not null ? Regex.Escape(text) : wildcard == '*' ? ".*" : ".");
        }
        pattern.Append('$');
        var options = RegexOptions.NonBacktracking | RegexOptions.Singleline | RegexOptions.CultureInvariant | (cased ? RegexOptions.None : RegexOptions.IgnoreCase);
        return new RegexMatcher(new Regex(pattern.ToString(), options), Text);
    }
}
