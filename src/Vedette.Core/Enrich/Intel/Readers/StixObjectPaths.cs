using Vedette.Domain;

namespace Vedette.Enrich.Intel.Readers;

/// <summary>Which STIX object paths name a value the indicator store holds, and as which observable type.</summary>
internal static class StixObjectPaths
{
    private static readonly Dictionary<string, ObservableType> Paths = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ipv4-addr:value"] = ObservableType.Ipv4,
        ["ipv6-addr:value"] = ObservableType.Ipv6,
        ["domain-name:value"] = ObservableType.Domain,
        ["url:value"] = ObservableType.Url,
        ["email-addr:value"] = ObservableType.Email,
        ["email-message:from_ref.value"] = ObservableType.Email,
        ["email-message:sender_ref.value"] = ObservableType.Email,
        ["file:name"] = ObservableType.File,
        ["autonomous-system:number"] = ObservableType.Asn,
    };

    /// <summary>Null when the comparison can become indicators; otherwise the part that cannot.</summary>
    public static string? Unsupported(StixComparison comparison)
    {
        if (comparison.Negated)
        {
            return "NOT";
        }
        if (comparison.Operator is not ("=" or "IN"))
        {
            return $"operator {comparison.Operator}";
        }
        return TryType(comparison.Path, out _) ? null : $"object path {comparison.Path}";
    }

    public static bool TryParse(string path, StixToken value, out Observable observable, out string error)
    {
        observable = default;
        if (!TryType(path, out var type))
        {
            error = $"object path {path} is not supported";
            return false;
        }
        var numberAllowed = type == ObservableType.Asn;
        if (value.Kind != StixTokenKind.String && !(numberAllowed && value.Kind == StixTokenKind.Number))
        {
            error = $"{value.Text} is not a {(numberAllowed ? "number" : "string")}";
            return false;
        }
        // ipv4-addr and ipv6-addr values may be networks ("223.166.0.0/15"): kept as networks, which match every address inside.
        if (type is ObservableType.Ipv4 or ObservableType.Ipv6 && value.Text.Contains('/', StringComparison.Ordinal))
        {
            type = ObservableType.Cidr;
        }
        return Observable.TryParse(type, value.Text, out observable, out error);
    }

    private static bool TryType(string path, out ObservableType type)
    {
        if (Paths.TryGetValue(path, out type))
        {
            return true;
        }
        const string Hashes = "file:hashes.";
        if (!path.StartsWith(Hashes, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        // The vocabulary spells them MD5, SHA-1, SHA-256; producers also write md5, SHA1, sha256, 'SHA-256'.
        var algorithm = path[Hashes.Length..].Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();
        switch (algorithm)
        {
            case "MD5":
                type = ObservableType.Md5;
                return true;
            case "SHA1":
                type = ObservableType.Sha1;
                return true;
            case "SHA256":
                type = ObservableType.Sha256;
                return true;
            default:
                return false;
        }
    }
}
