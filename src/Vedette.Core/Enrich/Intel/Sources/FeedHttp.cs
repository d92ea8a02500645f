using System.Net;
using System.Net.Sockets;

namespace Vedette.Enrich.Intel.Sources;

/// <summary>The HttpClient feeds should be fetched with.</summary>
public static class FeedHttp
{
    /// <summary>
    /// A client that follows no redirects and decompresses nothing by itself (the fetcher does both, to check every hop
    /// and to cap the decompressed size), and that applies the address guard to the address it actually connects to,
    /// so that a DNS answer changing between the check and the connection cannot reach an internal address. It uses no
    /// proxy: through one, the guard would see the proxy's address instead of the feed's.
    /// </summary>
    public static HttpClient CreateClient(FeedFetchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var allowPrivate = options.AllowPrivateAddresses;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivate, cancellationToken),
        };
        // Timeouts are per feed (FeedDefinition.Timeout), applied by the fetcher.
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        foreach (var address in addresses)
        {
            if (AddressGuard.Refusal(address, allowPrivate) is { } reason)
            {
                throw new AddressRefusedException(reason);
            }
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
