using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vedette.Domain;

public enum ObservableType
{
    Ipv4,
    Ipv6,
    Cidr,
    Domain,
    Url,
    Md5,
    Sha1,
    Sha256,
    Email,
    User,
    Host,
    Process,
    File,

    /// <summary>An autonomous system number (Spamhaus ASN-DROP), canonical "AS64496".</summary>
    Asn,
}

/// <summary>
/// A typed value found in an event or alert, always in canonical form so that equal things compare equal:
/// canonical addresses, lower-case domains and hashes, refanged URLs.
/// </summary>
public readonly record struct Observable(ObservableType Type, string Value)
{
    public override string ToString() => $"{ObservableTypes.ToName(Type)}:{Value}";

    /// <summary>Parses a value of a known type; the message says why a value is not of that type.</summary>
    public static Observable Parse(ObservableType type, string raw) =>
        TryParse(type, raw, out var observable, out var error)
            ? observable
            : throw new FormatException(error);

    public static bool TryParse(ObservableType type, string raw, out Observable observable) =>
        TryParse(type, raw, out observable, out _);

    public static bool TryParse(ObservableType type, string raw, out Observable observable, out string error)
    {
        observable = default;
        error = "";
        var text = raw.Trim();
        if (text.Length == 0)
        {
            error = $"empty {ObservableTypes.ToName(type)}";
            return false;
        }
        string? value = type switch
        {
            ObservableType.Ipv4 => CanonicalIp(Refang.Text(text), AddressFamily.InterNetwork),
            ObservableType.Ipv6 => CanonicalIp(Refang.Text(text), AddressFamily.InterNetworkV6),
            ObservableType.Cidr => CanonicalCidr(Refang.Text(text)),
            ObservableType.Domain => CanonicalDomain(Refang.Text(text)),
            ObservableType.Url => CanonicalUrl(Refang.Url(text)),
            ObservableType.Md5 => CanonicalHex(text, 32),
            ObservableType.Sha1 => CanonicalHex(text, 40),
            ObservableType.Sha256 => CanonicalHex(text, 64),
            ObservableType.Email => CanonicalEmail(Refang.Text(text)),
            ObservableType.User => CanonicalUser(text),
            ObservableType.Host => CanonicalHost(text),
            ObservableType.Process or ObservableType.File => text.Trim('"'),
            ObservableType.Asn => CanonicalAsn(text),
            _ => null,
        };
        if (value is null)
        {
            error = $"'{Truncate(raw)}' is not a valid {ObservableTypes.ToName(type)}";
            return false;
        }
        observable = new Observable(type, value);
        return true;
    }

    /// <summary>Guesses the type of an untyped indicator value (feeds and analysts paste values without a type).</summary>
    public static bool TryDetect(string raw, out Observable observable)
    {
        var text = raw.Trim();
        ReadOnlySpan<ObservableType> order =
        [
            ObservableType.Ipv4, ObservableType.Ipv6, ObservableType.Cidr, ObservableType.Md5, ObservableType.Sha1,
            ObservableType.Sha256, ObservableType.Url, ObservableType.Email, ObservableType.Domain,
        ];
        foreach (var type in order)
        {
            if (type == ObservableType.Url && !LooksLikeUrl(text))
            {
                continue;
            }
            if (TryParse(type, text, out observable))
            {
                return true;
            }
        }
        observable = default;
        return false;
    }

    private static bool LooksLikeUrl(string text) =>
        text.Contains("://", StringComparison.Ordinal) || text.StartsWith("hxxp", StringComparison.OrdinalIgnoreCase);

    private static string? CanonicalIp(string text, AddressFamily family)
    {
        var span = text.AsSpan();
        if (family == AddressFamily.InterNetworkV6 && span.Length > 2 && span[0] == '[' && span[^1] == ']')
        {
            span = span[1..^1];
        }
        if (family == AddressFamily.InterNetwork && !IsDottedQuad(span))
        {
            // IPAddress.Parse accepts "1", "0x7f.1" and other legacy forms that no log means as an address.
            return null;
        }
        if (!IPAddress.TryParse(span, out var address) || address.AddressFamily != family)
        {
            return null;
        }
        if (family == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6)
        {
            return null;
        }
        if (family == AddressFamily.InterNetworkV6)
        {
            address.ScopeId = 0;
        }
        return address.ToString();
    }

    private static bool IsDottedQuad(ReadOnlySpan<char> span)
    {
        var parts = 0;
        var digits = 0;
        var value = 0;
        foreach (var c in span)
        {
            if (c == '.')
            {
                if (digits == 0)
                {
                    return false;
                }
                parts++;
                digits = 0;
                value = 0;
                continue;
            }
            if (!char.IsAsciiDigit(c) || digits == 3)
            {
                return false;
            }
            if (digits == 1 && value == 0)
            {
                return false; // leading zeros are octal to some parsers: refuse the ambiguity
            }
            value = (value * 10) + (c - '0');
            digits++;
            if (value > 255)
            {
                return false;
            }
        }
        return parts == 3 && digits > 0;
    }

    private static string? CanonicalCidr(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !int.TryParse(text.AsSpan(slash + 1), out var prefix))
        {
            return null;
        }
        var ip = text[..slash];
        var family = ip.Contains(':', StringComparison.Ordinal) ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        var canonical = CanonicalIp(ip, family);
        var max = family == AddressFamily.InterNetwork ? 32 : 128;
        if (canonical is null || prefix < 0 || prefix > max)
        {
            return null;
        }
        var bytes = IPAddress.Parse(canonical).GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }
        return $"{new IPAddress(bytes)}/{prefix}";
    }

    private static readonly System.Globalization.IdnMapping Idn = new();

    private static string? CanonicalDomain(string text)
    {
        var domain = text.TrimEnd('.').ToLowerInvariant();
        if (domain.Length is 0 or > 253 || !domain.Contains('.', StringComparison.Ordinal))
        {
            return null;
        }
        if (!Ascii.IsValid(domain))
        {
            try
            {
                domain = Idn.GetAscii(domain);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
        foreach (var label in domain.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return null;
            }
            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
                {
                    return null;
                }
            }
        }
        // A dotted quad is an address, not a domain.
        return IsDottedQuad(domain) ? null : domain;
    }

    private static string? CanonicalUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme.Length == 0 || uri.Host.Length == 0)
        {
            return null;
        }
        var builder = new UriBuilder(uri) { Scheme = uri.Scheme.ToLowerInvariant(), Host = uri.IdnHost.ToLowerInvariant() };
        if (uri.IsDefaultPort)
        {
            builder.Port = -1;
        }
        return builder.Uri.AbsoluteUri;
    }

    private static string? CanonicalHex(string text, int length)
    {
        if (text.Length != length)
        {
            return null;
        }
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return null;
            }
        }
        return text.ToLowerInvariant();
    }

    private static string? CanonicalEmail(string text)
    {
        var at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1 || text.AsSpan(0, at).ContainsAny(' ', '<', '>'))
        {
            return null;
        }
        var domain = CanonicalDomain(text[(at + 1)..]);
        return domain is null ? null : $"{text[..at].ToLowerInvariant()}@{domain}";
    }

    private static string? CanonicalUser(string text)
    {
        // "CORP\jdoe", "jdoe@corp.example" and "jdoe" are one person to an analyst; the account name is the identity.
        var name = text;
        var backslash = name.LastIndexOf('\\');
        if (backslash >= 0)
        {
            name = name[(backslash + 1)..];
        }
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
        {
            name = name[..at];
        }
        // "-" and empty are how Windows writes "no user"; machine accounts end in '$' and are hosts, not people.
        if (name.Length == 0 || name is "-" || name.EndsWith('$'))
        {
            return null;
        }
        return name.ToLowerInvariant();
    }

    private static string? CanonicalAsn(string text)
    {
        var digits = text.StartsWith("AS", StringComparison.OrdinalIgnoreCase) ? text.AsSpan(2) : text.AsSpan();
        return uint.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? $"AS{number}" : null;
    }

    private static string? CanonicalHost(string text) =>
        text is "-" or "localhost" ? null : text.TrimEnd('.').ToLowerInvariant();

    private static string Truncate(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
}

public static class ObservableTypes
{
    /// <summary>
    /// What an analyst types to look something up: "type:value" names the type; a bare value is recognised (address,
    /// network, hash, URL, e-mail, domain, ASN). Null when it is none of them.
    /// </summary>
    public static Observable? ParseQuery(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && !text.Contains("://", StringComparison.Ordinal) && TryParse(text[..colon], out _)
            && TryParseValue(text[..colon], text[(colon + 1)..], out var typed))
        {
            return typed;
        }
        if (Observable.TryDetect(text, out var detected))
        {
            return detected;
        }
        return text.StartsWith("AS", StringComparison.OrdinalIgnoreCase) && Observable.TryParse(ObservableType.Asn, text, out var asn) ? asn : null;
    }

    public static string ToName(ObservableType type) => type switch
    {
        ObservableType.Ipv4 => "ipv4",
        ObservableType.Ipv6 => "ipv6",
        ObservableType.Cidr => "cidr",
        ObservableType.Domain => "domain",
        ObservableType.Url => "url",
        ObservableType.Md5 => "md5",
        ObservableType.Sha1 => "sha1",
        ObservableType.Sha256 => "sha256",
        ObservableType.Email => "email",
        ObservableType.User => "user",
        ObservableType.Host => "host",
        ObservableType.Process => "process",
        ObservableType.File => "file",
        ObservableType.Asn => "asn",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool TryParse(string name, out ObservableType type)
    {
        foreach (var candidate in Enum.GetValues<ObservableType>())
        {
            if (string.Equals(ToName(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }
        // "ip" is what people write; the value decides the family.
        type = ObservableType.Ipv4;
        return string.Equals(name, "ip", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Parses "ip" by trying IPv4 then IPv6, and every other type by name.</summary>
    public static bool TryParseValue(string typeName, string raw, out Observable observable)
    {
        if (string.Equals(typeName, "ip", StringComparison.OrdinalIgnoreCase))
        {
            return Observable.TryParse(ObservableType.Ipv4, raw, out observable)
                || Observable.TryParse(ObservableType.Ipv6, raw, out observable);
        }
        observable = default;
        return TryParse(typeName, out var type) && Observable.TryParse(type, raw, out observable);
    }
}

/// <summary>Undoes the defanging analysts and feeds apply to keep indicators unclickable.</summary>
public static class Refang
{
    public static string Text(string text)
    {
        if (text.AsSpan().IndexOfAny("[(") < 0)
        {
            return text;
        }
        return text
            .Replace("[.]", ".", StringComparison.Ordinal)
            .Replace("(.)", ".", StringComparison.Ordinal)
            .Replace("[dot]", ".", StringComparison.OrdinalIgnoreCase)
            .Replace("(dot)", ".", StringComparison.OrdinalIgnoreCase)
            .Replace("[:]", ":", StringComparison.Ordinal)
            .Replace("[@]", "@", StringComparison.Ordinal)
            .Replace("[at]", "@", StringComparison.OrdinalIgnoreCase)
            .Replace("[/]", "/", StringComparison.Ordinal)
            .Replace("[://]", "://", StringComparison.Ordinal);
    }

    public static string Url(string text)
    {
        var refanged = Text(text);
        if (refanged.StartsWith("hxxp", StringComparison.OrdinalIgnoreCase))
        {
            refanged = string.Concat("http", refanged.AsSpan(4));
        }
        else if (refanged.StartsWith("fxp", StringComparison.OrdinalIgnoreCase))
        {
            refanged = string.Concat("ftp", refanged.AsSpan(3));
        }
        return refanged;
    }
}
