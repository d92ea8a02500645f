using System.Net;
using Vedette.Domain;

namespace Vedette.Enrich;

/// <summary>A threat-intel match and how it matched (exact value, a listed network, a listed parent domain).</summary>
public readonly record struct IndicatorMatch(Indicator Indicator, string How);

/// <summary>
/// An immutable snapshot of indicators. Updates build a new one and swap it in (<see cref="IndicatorStore"/>), so a
/// lookup never locks and never sees a half-loaded feed.
/// </summary>
public sealed class IndicatorSet
{
    private readonly Dictionary<Observable, Indicator> _exact;
    private readonly (byte[] Network, int Prefix, Indicator Indicator)[] _networks;

    public IndicatorSet(IEnumerable<Indicator> indicators)
    {
        _exact = [];
        var networks = new List<(byte[], int, Indicator)>();
        foreach (var indicator in indicators)
        {
            if (indicator.Value.Type == ObservableType.Cidr)
            {
                var slash = indicator.Value.Value.IndexOf('/', StringComparison.Ordinal);
                networks.Add((IPAddress.Parse(indicator.Value.Value.AsSpan(0, slash)).GetAddressBytes(), int.Parse(indicator.Value.Value.AsSpan(slash + 1)), indicator));
                continue;
            }
            _exact[indicator.Value] = _exact.TryGetValue(indicator.Value, out var existing) ? Merge(existing, indicator) : indicator;
        }
        // Most specific network first, so the first hit is the longest prefix.
        _networks = [.. networks.OrderByDescending(n => n.Item2)];
    }

    public static IndicatorSet Empty { get; } = new([]);

    public int Count => _exact.Count + _networks.Length;

    public bool TryMatch(Observable observable, out IndicatorMatch match)
    {
        if (_exact.TryGetValue(observable, out var indicator))
        {
            match = new IndicatorMatch(indicator, "exact");
            return true;
        }
        switch (observable.Type)
        {
            case ObservableType.Ipv4 or ObservableType.Ipv6 when _networks.Length > 0:
                var bytes = IPAddress.Parse(observable.Value).GetAddressBytes();
                foreach (var (network, prefix, listed) in _networks)
                {
                    if (network.Length == bytes.Length && InNetwork(bytes, network, prefix))
                    {
                        match = new IndicatorMatch(listed, $"in {listed.Value.Value}");
                        return true;
                    }
                }
                break;
            case ObservableType.Domain:
                // A feed listing evil.example matches a.b.evil.example.
                var domain = observable.Value;
                for (var dot = domain.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = domain.IndexOf('.', dot + 1))
                {
                    var parent = domain[(dot + 1)..];
                    if (!parent.Contains('.', StringComparison.Ordinal))
                    {
                        break;
                    }
                    if (_exact.TryGetValue(new Observable(ObservableType.Domain, parent), out var parentIndicator))
                    {
                        match = new IndicatorMatch(parentIndicator, $"subdomain of {parent}");
                        return true;
                    }
                }
                break;
        }
        match = default;
        return false;
    }

    private static bool InNetwork(byte[] address, byte[] network, int prefix)
    {
        var full = prefix / 8;
        if (!address.AsSpan(0, full).SequenceEqual(network.AsSpan(0, full)))
        {
            return false;
        }
        var rest = prefix % 8;
        if (rest == 0)
        {
            return true;
        }
        var mask = (byte)(0xFF << (8 - rest));
        return (address[full] & mask) == (network[full] & mask);
    }

    private static Indicator Merge(Indicator a, Indicator b) => a with
    {
        Score = Math.Max(a.Score, b.Score),
        Feeds = [.. a.Feeds.Union(b.Feeds, StringComparer.Ordinal)],
        FirstSeen = a.FirstSeen < b.FirstSeen ? a.FirstSeen : b.FirstSeen,
        LastSeen = a.LastSeen > b.LastSeen ? a.LastSeen : b.LastSeen,
        Tags = [.. a.Tags.Union(b.Tags, StringComparer.Ordinal)],
    };
}

/// <summary>Holds the current snapshot; readers take it without locks, a feed update swaps in a whole new one.</summary>
public sealed class IndicatorStore
{
    private IndicatorSet _current = IndicatorSet.Empty;

    public IndicatorSet Current => Volatile.Read(ref _current);

    public void Swap(IndicatorSet next) => Volatile.Write(ref _current, next);
}
