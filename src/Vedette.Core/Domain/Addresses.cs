using System.Net;

namespace Vedette.Domain;

/// <summary>Whether an address belongs to an organisation's own networks (private, loopback, link-local, CGNAT, ULA).</summary>
public static class Addresses
{
    public static bool IsInternal(Observable observable) =>
        observable.Type is ObservableType.Ipv4 or ObservableType.Ipv6 && IPAddress.TryParse(observable.Value, out var address) && IsInternal(address);

    public static bool IsInternal(IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        if (!address.TryWriteBytes(b, out var length))
        {
            return false;
        }
        if (length == 4)
        {
            return b[0] == 10 || b[0] == 127 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && (b[1] & 0xC0) == 64);
        }
        return address.Equals(IPAddress.IPv6Loopback) || (b[0] & 0xFE) == 0xFC || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80);
    }
}
