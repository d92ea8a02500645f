using Vedette.Domain;

namespace Vedette.Enrich.Intel.Readers;

/// <summary>
/// The MISP attribute types that hold indicator values, and what each part of a value is. A composite type
/// ("filename|sha256") has one entry per '|'-separated part; a null part (a port) is not an indicator. Ipv4 stands for
/// "an address or network of either family", decided by the value.
/// </summary>
/// <remarks>
/// Left out on purpose: "link" (a reference page about the event, not something seen in traffic), "uri" (a path
/// without a host, which no URL observable equals), and types no observable holds (mutex, regkey, ssdeep, yara, ...).
/// </remarks>
internal static class MispAttributeTypes
{
    private static readonly Dictionary<string, ObservableType?[]> Parts = new(StringComparer.Ordinal)
    {
        ["ip-src"] = [ObservableType.Ipv4],
        ["ip-dst"] = [ObservableType.Ipv4],
        ["ip-src|port"] = [ObservableType.Ipv4, null],
        ["ip-dst|port"] = [ObservableType.Ipv4, null],
        ["domain"] = [ObservableType.Domain],
        ["hostname"] = [ObservableType.Domain],
        ["domain|ip"] = [ObservableType.Domain, ObservableType.Ipv4],
        ["hostname|port"] = [ObservableType.Domain, null],
        ["url"] = [ObservableType.Url],
        ["md5"] = [ObservableType.Md5],
        ["sha1"] = [ObservableType.Sha1],
        ["sha256"] = [ObservableType.Sha256],
        ["filename"] = [ObservableType.File],
        ["filename|md5"] = [ObservableType.File, ObservableType.Md5],
        ["filename|sha1"] = [ObservableType.File, ObservableType.Sha1],
        ["filename|sha256"] = [ObservableType.File, ObservableType.Sha256],
        // The value of a malware-sample is "filename|md5" (the sample itself travels in "data", which we never read).
        ["malware-sample"] = [ObservableType.File, ObservableType.Md5],
        ["email"] = [ObservableType.Email],
        ["email-src"] = [ObservableType.Email],
        ["email-dst"] = [ObservableType.Email],
        ["email-reply-to"] = [ObservableType.Email],
        ["AS"] = [ObservableType.Asn],
    };

    public static bool TryGet(string type, out ObservableType?[] parts) => Parts.TryGetValue(type, out parts!);

    /// <summary>Parses one part of an attribute value as its type says.</summary>
    public static bool TryParse(ObservableType type, string raw, out Observable observable, out string error) =>
        type == ObservableType.Ipv4
            ? FeedValues.TryParseAddress(raw, out observable, out error)
            : Observable.TryParse(type, raw, out observable, out error);
}
