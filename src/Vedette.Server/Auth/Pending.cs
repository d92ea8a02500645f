using System.Collections.Concurrent;

namespace Vedette.Server.Auth;

/// <summary>
/// Short-lived server-side state of a two-step ceremony (a TOTP enrolment awaiting its first code, a passkey challenge
/// awaiting the authenticator's answer), keyed by a random id or a user. Bounded: entries expire, and past the limit
/// new ceremonies are refused rather than old ones evicted, so a flood cannot push out a user's ceremony in progress.
/// </summary>
internal sealed class Pending<T>(TimeProvider time, TimeSpan lifetime, int limit = 10_000)
{
    private readonly ConcurrentDictionary<string, (T Value, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);

    public bool TryAdd(string key, T value)
    {
        var now = time.GetUtcNow();
        if (_entries.Count >= limit)
        {
            foreach (var (k, entry) in _entries)
            {
                if (entry.Expires <= now)
                {
                    _entries.TryRemove(k, out _);
                }
            }
            if (_entries.Count >= limit)
            {
                return false;
            }
        }
        _entries[key] = (value, now + lifetime);
        return true;
    }

    /// <summary>Looks at the entry without taking it; false when there is none or it expired.</summary>
    public bool TryPeek(string key, out T value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Expires > time.GetUtcNow())
        {
            value = entry.Value;
            return true;
        }
        value = default!;
        return false;
    }

    /// <summary>Takes the entry out (a ceremony is answered once); false when there is none or it expired.</summary>
    public bool TryTake(string key, out T value)
    {
        if (_entries.TryRemove(key, out var entry) && entry.Expires > time.GetUtcNow())
        {
            value = entry.Value;
            return true;
        }
        value = default!;
        return false;
    }
}
