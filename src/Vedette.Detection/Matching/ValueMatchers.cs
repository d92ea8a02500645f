using System.Globalization;
using System.Net;
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
    public string Value => value;

    public bool Matches(string text) => text.Contains(value, comparison);

    public override string ToString() => $"contains '{value}'";
}

internal sealed class AnyMatcher : IValueMatcher
{
    public static AnyMatcher Instance { get; } = new();

    public bool Matches(string text) => true;
}

internal sealed class RegexMatcher(Regex regex, string source) : IValueMatcher
{
    public bool Matches(string text) => regex.IsMatch(text);

    public override string ToString() => $"re '{source}'";
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
