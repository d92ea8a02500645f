using System.Diagnostics.CodeAnalysis;

namespace Vedette.Simulation;

/// <summary>
/// The simulator's only source of chance. One seeded generator, drawn in a fixed order, is what makes a seed replay
/// the same traffic on every run and machine.
/// </summary>
[SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Simulated traffic must be reproducible from its seed, not unpredictable.")]
internal sealed class Dice(int seed)
{
    private readonly Random _random = new(seed);

    public int Between(int minInclusive, int maxInclusive) => _random.Next(minInclusive, maxInclusive + 1);

    public int Below(int maxExclusive) => _random.Next(maxExclusive);

    public double Fraction() => _random.NextDouble();

    public bool Chance(double probability) => _random.NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>An item not yet in <paramref name="used"/>, which then holds it; with nothing used, the same draw as <see cref="Pick"/>.</summary>
    public T PickUnused<T>(IReadOnlyList<T> items, ISet<T> used)
    {
        if (items.All(used.Contains))
        {
            throw new InvalidOperationException($"all {items.Count} choices are already used");
        }
        while (true)
        {
            var item = Pick(items);
            if (used.Add(item))
            {
                return item;
            }
        }
    }

    /// <summary>A client port from the dynamic range, as Windows and Linux pick them.</summary>
    public int Port() => _random.Next(49152, 65536);

    /// <summary>Windows process ids are multiples of four.</summary>
    public int ProcessId() => _random.Next(200, 16000) * 4;

    public Guid Guid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes);
    }

    /// <summary>Upper-case hex of the given even length, as Sysmon prints hashes.</summary>
    public string Hex(int length)
    {
        Span<byte> bytes = stackalloc byte[length / 2];
        _random.NextBytes(bytes);
        return Convert.ToHexString(bytes);
    }

    public long FlowId() => 1_000_000_000_000_000 + ((long)_random.Next(1 << 30) << 20) + _random.Next(1 << 20);

    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}

/// <summary>A fixed set of choices with weights, drawn with one roll.</summary>
internal sealed class Weighted<T>
{
    private readonly T[] _items;
    private readonly int[] _cumulative;

    public Weighted(params (T Item, int Weight)[] entries)
    {
        _items = new T[entries.Length];
        _cumulative = new int[entries.Length];
        var total = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            total += entries[i].Weight;
            _items[i] = entries[i].Item;
            _cumulative[i] = total;
        }
    }

    public T Pick(Dice dice)
    {
        var roll = dice.Below(_cumulative[^1]);
        var i = 0;
        while (_cumulative[i] <= roll)
        {
            i++;
        }
        return _items[i];
    }
}
