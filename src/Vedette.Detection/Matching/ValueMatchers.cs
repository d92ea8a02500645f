using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Vedette.Detection.Matching;

/// <summary>Tests one field value (as text). Built once per rule value at load; never allocates per call.</summary>
internal interface IValueMatcher
{
    bool Matches(string text);
}

internal sealed class EqualsMatcher(string value, StringComparison comparison) : IValueMatcher
{
    public string Value => value;

    public bool Matches(string text) => string.Equals(text, value, comparison);

    public override string ToString() => $"= '{value}'";
}

internal sealed class StartsWithMatcher(string value, StringComparison comparison) : IValueMatcher
{
    public string Value => value;

    public bool Matches(string text) => text.StartsWith(value, comparison);

    public override string ToString() => $"startswith '{value}'";
}

internal sealed class EndsWithMatcher(string value, StringComparison comparison) : IValueMatcher
{
    public string Value => value;

    public bool Matches(string text) => text.EndsWith(value, comparison);

    public override string ToString() => $"endswith '{value}'";
}

internal sealed class ContainsMatcher(string value, StringComparison comparison) : IValueMatcher
{
    // Text without letters (emoji, digits, punctuation) has no case: an ordinal search is the same test, and vectorised.
    private readonly StringComparison _search = comparison == StringComparison.OrdinalIgnoreCase && Caseless.Is(value) ? StringComparison.Ordinal : comparison;

    // With invariant globalization, a case-insensitive IndexOf runs a scalar loop; the BCL's string search is vectorised.
    private readonly System.Buffers.SearchValues<string>? _ignoreCase =
        comparison == StringComparison.OrdinalIgnoreCase && !Caseless.Is(value) && value.Length > 0 ? System.Buffers.SearchValues.Create([value], StringComparison.OrdinalIgnoreCase) : null;

    public string Value => value;

    public StringComparison Comparison => comparison;

    public bool Matches(string text) => _ignoreCase is not null ? text.AsSpan().ContainsAny(_ignoreCase) : text.Contains(value, _search);

    public override string ToString() => $"contains '{value}'";
}

internal sealed class AnyMatcher : IValueMatcher
{
    public static AnyMatcher Instance { get; } = new();

    public bool Matches(string text) => true;
}

/// <summary>
/// The re modifier: a search anywhere in the value. The pattern is checked at load by the backtracking engine,
/// which is cheap to build; the guaranteed-linear engine, costly to build, is built on first use (thread-safe), so
/// a rule whose other conditions never pass never pays for it.
/// </summary>
internal sealed class RegexMatcher : IValueMatcher
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(100);

    private readonly Regex _checked;
    private Regex? _engine;

    /// <summary>Throws <see cref="ArgumentException"/> when the pattern is not a regular expression.</summary>
    public RegexMatcher(string pattern, RegexOptions options)
    {
        _checked = new Regex(pattern, options | RegexOptions.CultureInvariant, Timeout);
        _required = RegexLiteral.Required(pattern, options, out _ignoreCase);
        // Ignoring case, the regex engine also takes the Kelvin sign for k, which an ordinal comparison and the
        // prefilter's ASCII folding do not: such a literal may only gate when it is ASCII without a k, and a miss
        // is trusted only on ASCII text.
        Literal = _required is not null && (!_ignoreCase || (Ascii.IsValid(_required) && !_required.AsSpan().ContainsAny('k', 'K'))) ? _required : null;
    }

    private readonly string? _required;
    private readonly bool _ignoreCase;

    /// <summary>Text every match contains, as the plan's prefilter may search for it (null when there is none it can use).</summary>
    public string? Literal { get; }

    public string Pattern => _checked.ToString();

    /// <summary>Whether the linear engine runs the pattern (false until first use, and for patterns it cannot run).</summary>
    public bool IsLinear => Volatile.Read(ref _engine) is { } engine && (engine.Options & RegexOptions.NonBacktracking) != 0;

    public bool Matches(string text)
    {
        if (_required is not null && !text.Contains(_required, _ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)
            && (!_ignoreCase || Ascii.IsValid(text)))
        {
            return false;
        }
        var regex = Volatile.Read(ref _engine) ?? Build();
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            // Only the backtracking fallback can time out. One hostile pattern must not stop detection for every
            // other rule on this event, so a value it cannot decide in time does not match.
            return false;
        }
    }

    private Regex Build()
    {
        Regex built;
        try
        {
            built = new Regex(Pattern, _checked.Options | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            // Backreferences and lookarounds need the backtracking engine; its timeout bounds a hostile pattern.
            built = _checked;
        }
        return Interlocked.CompareExchange(ref _engine, built, null) ?? built;
    }

    public override string ToString() => $"re '{Pattern}'";
}

/// <summary>
/// A pattern with * and ? that is no plain prefix, suffix or substring test, matched without a regular expression.
/// The * split it into segments (literal runs and ?); the first and last are anchored unless a * stands before or
/// after them, and each middle segment is taken at its leftmost occurrence, which never loses a match.
/// </summary>
internal sealed class WildcardMatcher : IValueMatcher
{
    private readonly Segment[] _segments;
    private readonly bool _leadingStar;
    private readonly bool _trailingStar;
    private readonly StringComparison _comparison;
    private readonly string _source;

    /// <summary>The longest literal run of the pattern: any matching value contains it (the plan's prefilter uses it).</summary>
    public string? LongestLiteral { get; }

    public StringComparison Comparison => _comparison;

    public WildcardMatcher(IReadOnlyList<SigmaPart> parts, StringComparison comparison)
    {
        _comparison = comparison;
        var run = new System.Text.StringBuilder();
        foreach (var part in parts.Append(new SigmaPart(SigmaPartKind.AnyRun, "*")))
        {
            if (part.Kind == SigmaPartKind.Literal)
            {
                run.Append(part.Text);
            }
            else
            {
                if (run.Length > (LongestLiteral?.Length ?? 0))
                {
                    LongestLiteral = run.ToString();
                }
                run.Clear();
            }
        }
        _source = string.Concat(parts.Select(p => p.Text));
        _leadingStar = parts.Count > 0 && parts[0].Kind == SigmaPartKind.AnyRun;
        _trailingStar = parts.Count > 0 && parts[^1].Kind == SigmaPartKind.AnyRun;
        var segments = new List<Segment>();
        var pieces = new List<(int Offset, string Literal)>();
        var length = 0;
        foreach (var part in parts.Append(new SigmaPart(SigmaPartKind.AnyRun, "*")))
        {
            switch (part.Kind)
            {
                case SigmaPartKind.AnyRun when length > 0:
                    segments.Add(new Segment([.. pieces], length));
                    pieces.Clear();
                    length = 0;
                    break;
                case SigmaPartKind.AnyChar:
                    length++;
                    break;
                case SigmaPartKind.Literal or SigmaPartKind.Placeholder:
                    pieces.Add((length, part.Text));
                    length += part.Text.Length;
                    break;
            }
        }
        _segments = [.. segments];
    }

    public bool Matches(string text)
    {
        var span = text.AsSpan();
        int start = 0, end = span.Length, first = 0, last = _segments.Length;
        if (last == 0)
        {
            return _leadingStar || end == 0;
        }
        if (!_leadingStar)
        {
            if (!_segments[0].MatchesAt(span, 0, _comparison))
            {
                return false;
            }
            start = _segments[0].Length;
            first = 1;
        }
        if (!_trailingStar)
        {
            if (last == first)
            {
                // One segment anchored at both ends: it must be the whole value.
                return start == end;
            }
            var tail = _segments[^1];
            if (end - tail.Length < start || !tail.MatchesAt(span, end - tail.Length, _comparison))
            {
                return false;
            }
            end -= tail.Length;
            last--;
        }
        for (var i = first; i < last; i++)
        {
            var at = _segments[i].IndexIn(span[start..end], _comparison);
            if (at < 0)
            {
                return false;
            }
            start += at + _segments[i].Length;
        }
        return true;
    }

    public override string ToString() => $"like '{_source}'";

    /// <summary>A run between two *: literal pieces at fixed offsets, the gaps between them being ? wildcards.</summary>
    private sealed class Segment((int Offset, string Literal)[] pieces, int length)
    {
        public int Length => length;

        public bool MatchesAt(ReadOnlySpan<char> text, int position, StringComparison comparison)
        {
            if (position < 0 || position + length > text.Length)
            {
                return false;
            }
            foreach (var (offset, literal) in pieces)
            {
                if (!text.Slice(position + offset, literal.Length).Equals(literal, comparison))
                {
                    return false;
                }
            }
            return true;
        }

        public int IndexIn(ReadOnlySpan<char> text, StringComparison comparison)
        {
            if (pieces.Length == 0)
            {
                return length <= text.Length ? 0 : -1;
            }
            var (offset, literal) = pieces[0];
            for (var from = 0; from + length <= text.Length;)
            {
                var found = text[(from + offset)..].IndexOf(literal, comparison);
                if (found < 0)
                {
                    return -1;
                }
                var candidate = from + found;
                if (MatchesAt(text, candidate, comparison))
                {
                    return candidate;
                }
                from = candidate + 1;
            }
            return -1;
        }
    }
}

/// <summary>Membership of an address in a network (the cidr modifier), IPv4 or IPv6.</summary>
internal sealed class CidrMatcher : IValueMatcher
{
    private readonly byte[] _network;
    private readonly int _prefix;
    private readonly string _text;

    public CidrMatcher(string cidr)
    {
        _text = cidr;
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(cidr.AsSpan(0, slash), out var address) || !int.TryParse(cidr.AsSpan(slash + 1), out _prefix)
            || _prefix < 0 || _prefix > address.GetAddressBytes().Length * 8)
        {
            throw new FormatException($"'{cidr}' is not a network in CIDR notation");
        }
        _network = address.GetAddressBytes();
    }

    public bool Matches(string text)
    {
        if (!IPAddress.TryParse(text, out var address))
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written) || written != _network.Length)
        {
            return false;
        }
        var full = _prefix / 8;
        if (!bytes[..full].SequenceEqual(_network.AsSpan(0, full)))
        {
            return false;
        }
        var rest = _prefix % 8;
        var mask = (byte)(0xFF << (8 - rest));
        return rest == 0 || (bytes[full] & mask) == (_network[full] & mask);
    }

    public override string ToString() => $"cidr {_text}";
}

internal enum NumericComparison
{
    Lt,
    Lte,
    Gt,
    Gte,
}

/// <summary>The lt/lte/gt/gte modifiers: numeric comparison; a value that is no number does not match.</summary>
internal sealed class NumericMatcher(NumericComparison comparison, double bound) : IValueMatcher
{
    public bool Matches(string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }
        return comparison switch
        {
            NumericComparison.Lt => number < bound,
            NumericComparison.Lte => number <= bound,
            NumericComparison.Gt => number > bound,
            _ => number >= bound,
        };
    }

    public override string ToString() => $"{comparison.ToString().ToLowerInvariant()} {bound}";
}

/// <summary>Whether a text reads the same in upper and lower case.</summary>
internal static class Caseless
{
    public static bool Is(string text)
    {
        foreach (var c in text)
        {
            if (char.ToUpperInvariant(c) != char.ToLowerInvariant(c))
            {
                return false;
            }
        }
        return true;
    }
}
