using System.Text;

namespace Vedette.Detection.Matching;

internal enum SigmaPartKind : byte
{
    Literal,

    /// <summary>`*`: any run of characters, the empty run included.</summary>
    AnyRun,

    /// <summary>`?`: exactly one character.</summary>
    AnyChar,

    /// <summary>`%name%` under the expand modifier; Text is the name.</summary>
    Placeholder,
}

internal readonly record struct SigmaPart(SigmaPartKind Kind, string Text);

/// <summary>
/// A Sigma string value parsed once at load: literal runs, the wildcards * and ?, and (under expand) %placeholders%,
/// with the specification's backslash escaping (\* and \? are literal, \\ is one backslash, a lone backslash is
/// itself; under expand \% is a literal percent sign). Immutable: modifiers build new values.
/// </summary>
internal sealed class SigmaString
{
    private readonly SigmaPart[] _parts;

    private SigmaString(SigmaPart[] parts) => _parts = parts;

    public static SigmaString Empty { get; } = new([]);

    public IReadOnlyList<SigmaPart> Parts => _parts;

    public static SigmaString Parse(string value, bool placeholders = false)
    {
        var builder = new Builder();
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && i + 1 < value.Length && (value[i + 1] is '*' or '?' or '\\' || (placeholders && value[i + 1] == '%')))
            {
                builder.Append(value[i + 1]);
                i++;
            }
            else if (c is '*' or '?')
            {
                builder.Add(new SigmaPart(c == '*' ? SigmaPartKind.AnyRun : SigmaPartKind.AnyChar, c.ToString()));
            }
            else if (c == '%' && placeholders && PlaceholderEnd(value, i) is var end and > 0)
            {
                builder.Add(new SigmaPart(SigmaPartKind.Placeholder, value[(i + 1)..end]));
                i = end;
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.Build();
    }

    public static SigmaString Literal(string text) => text.Length == 0 ? Empty : new([new SigmaPart(SigmaPartKind.Literal, text)]);

    public static SigmaString Concat(IEnumerable<SigmaString> pieces)
    {
        var builder = new Builder();
        foreach (var piece in pieces)
        {
            foreach (var part in piece._parts)
            {
                builder.Add(part);
            }
        }
        return builder.Build();
    }

    public bool HasWildcards => Array.Exists(_parts, p => p.Kind is SigmaPartKind.AnyRun or SigmaPartKind.AnyChar);

    public bool HasPlaceholders => Array.Exists(_parts, p => p.Kind == SigmaPartKind.Placeholder);

    public SigmaString WithLeadingStar() =>
        _parts.Length > 0 && _parts[0].Kind == SigmaPartKind.AnyRun ? this : new SigmaString([new SigmaPart(SigmaPartKind.AnyRun, "*"), .. _parts]);

    public SigmaString WithTrailingStar() =>
        _parts.Length > 0 && _parts[^1].Kind == SigmaPartKind.AnyRun ? this : new SigmaString([.. _parts, new SigmaPart(SigmaPartKind.AnyRun, "*")]);

    /// <summary>The value as text, wildcards written as * and ?: the plain text when there are none.</summary>
    public string Text => string.Concat(_parts.Select(p => p.Kind == SigmaPartKind.Placeholder ? $"%{p.Text}%" : p.Text));

    /// <summary>The value of one part alone.</summary>
    public static SigmaString Of(SigmaPart part) => part.Kind == SigmaPartKind.Literal ? Literal(part.Text) : new([part]);

    /// <summary>The same wildcards, with every literal run rewritten (the encodings work run by run).</summary>
    public SigmaString MapLiterals(Func<string, string> map) =>
        Concat(_parts.Select(p => p.Kind == SigmaPartKind.Literal ? Literal(map(p.Text)) : Of(p)));

    /// <summary>Every value obtained by replacing each part with one of its alternatives (windash, expand); null beyond <paramref name="limit"/> values.</summary>
    public IReadOnlyList<SigmaString>? Expand(Func<SigmaPart, IReadOnlyList<SigmaString>?> alternatives, int limit) =>
        Product(_parts.Select(alternatives), limit);

    /// <summary>
    /// The concatenations of one choice from each list, in order: the cartesian product, or null when a list is
    /// null or the product passes <paramref name="limit"/> values, so that a rule cannot blow up at load.
    /// </summary>
    public static IReadOnlyList<SigmaString>? Product(IEnumerable<IReadOnlyList<SigmaString>?> choices, int limit)
    {
        List<SigmaString> results = [Empty];
        foreach (var options in choices)
        {
            if (options is null || (long)results.Count * options.Count > limit)
            {
                return null;
            }
            results = [.. results.SelectMany(prefix => options.Select(option => Concat([prefix, option])))];
        }
        return results;
    }

    /// <summary>
    /// The cheapest matcher for the pattern: equality, prefix, suffix and substring tests cover nearly all rules;
    /// anything else is a wildcard matcher that needs no regular expression.
    /// </summary>
    public IValueMatcher ToMatcher(bool cased)
    {
        var comparison = cased ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var parts = CollapsedStars();
        if (!HasWildcards)
        {
            return new EqualsMatcher(Text, comparison);
        }
        return parts switch
        {
            [{ Kind: SigmaPartKind.AnyRun }] => AnyMatcher.Instance,
            [{ Kind: SigmaPartKind.Literal } prefix, { Kind: SigmaPartKind.AnyRun }] => new StartsWithMatcher(prefix.Text, comparison),
            [{ Kind: SigmaPartKind.AnyRun }, { Kind: SigmaPartKind.Literal } suffix] => new EndsWithMatcher(suffix.Text, comparison),
            [{ Kind: SigmaPartKind.AnyRun }, { Kind: SigmaPartKind.Literal } middle, { Kind: SigmaPartKind.AnyRun }] => new ContainsMatcher(middle.Text, comparison),
            _ => new WildcardMatcher(parts, comparison),
        };
    }

    public override string ToString() => Text;

    private SigmaPart[] CollapsedStars()
    {
        var result = new List<SigmaPart>(_parts.Length);
        foreach (var part in _parts)
        {
            if (part.Kind != SigmaPartKind.AnyRun || result.Count == 0 || result[^1].Kind != SigmaPartKind.AnyRun)
            {
                result.Add(part);
            }
        }
        return [.. result];
    }

    /// <summary>Where a %name% that starts at <paramref name="start"/> ends; 0 when the percent sign starts none.</summary>
    private static int PlaceholderEnd(string value, int start)
    {
        var i = start + 1;
        while (i < value.Length && (char.IsLetterOrDigit(value[i]) || value[i] is '_' or '-' or '.'))
        {
            i++;
        }
        return i > start + 1 && i < value.Length && value[i] == '%' ? i : 0;
    }

    /// <summary>Collects parts, merging adjacent literal runs so that the matcher shapes above recognise them.</summary>
    private sealed class Builder
    {
        private readonly List<SigmaPart> _parts = [];
        private readonly StringBuilder _literal = new();

        public void Append(char c) => _literal.Append(c);

        public void Add(SigmaPart part)
        {
            if (part.Kind == SigmaPartKind.Literal)
            {
                _literal.Append(part.Text);
                return;
            }
            Flush();
            _parts.Add(part);
        }

        public SigmaString Build()
        {
            Flush();
            return _parts.Count == 0 ? Empty : new SigmaString([.. _parts]);
        }

        private void Flush()
        {
            if (_literal.Length > 0)
            {
                _parts.Add(new SigmaPart(SigmaPartKind.Literal, _literal.ToString()));
                _literal.Clear();
            }
        }
    }
}
