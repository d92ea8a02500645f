using System.Net;
using System.Net.Sockets;

namespace Vedette.Enrich.Intel.Sources;

/// <summary>
/// Keeps feed URLs (which come from configuration and from redirects) away from the host's own network: a feed URL
/// must not become a way to reach an admin interface or the cloud metadata service (SSRF).
/// </summary>
internal static class AddressGuard
{
    private static readonly IPNetwork[] Internal =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("224.0.0.0/3"),
        IPNetwork.Parse("::/128"),
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("ff00::/8"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    // AWS/GCP/Azure/OpenStack, AWS over IPv6, Alibaba.
    private static readonly IPAddress[] Metadata =
    [
        IPAddress.Parse("169.254.169.254"),
        IPAddress.Parse("fd00:ec2::254"),
        IPAddress.Parse("100.100.100.200"),
    ];

    /// <summary>Why the address is refused, or null when a feed may be fetched from it.</summary>
    public static string? Refusal(IPAddress address, bool allowPrivate)
    {
        address = Unwrap(address);
        if (Array.Exists(Metadata, address.Equals))
        {
            return $"{address} is a cloud metadata address";
        }
        if (!allowPrivate && Array.Exists(Internal, network => network.Contains(address)))
        {
            return $"{address} is a loopback, private, link-local or reserved address (set AllowPrivateAddresses to fetch from it)";
        }
        return null;
    }

    /// <summary>Why the URL's host is refused, or null; a name is refused when any of its addresses is.</summary>
    public static async Task<string?> RefusalAsync(Uri url, bool allowPrivate, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(url.IdnHost, out var literal))
        {
            return Refusal(literal, allowPrivate);
        }
        var addresses = await Dns.GetHostAddressesAsync(url.IdnHost, cancellationToken);
        return addresses.Select(address => Refusal(address, allowPrivate)).FirstOrDefault(reason => reason is not null);
    }

    // An IPv4 address in IPv6 clothing (::ffff:10.0.0.1, 64:ff9b::a00:1) reaches the IPv4 host.
    private static IPAddress Unwrap(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && Nat64.Contains(address))
        {
            return new IPAddress(address.GetAddressBytes().AsSpan(12, 4));
        }
        return address;
    }
}

/// <summary>The guard refused the address a connection was about to be made to.</summary>
internal sealed class AddressRefusedException(string reason) : IOException(reason);
