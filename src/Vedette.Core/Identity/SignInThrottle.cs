namespace Vedette.Identity;

/// <summary>
/// Backoff settings. An account gets <see cref="AccountFreeFailures"/> failures without delay, then must wait
/// <see cref="BaseDelay"/> after the next failure, twice as long after each further one, up to <see cref="MaxDelay"/>.
/// A source address gets more free failures, because an office behind one NAT address shares it.
/// </summary>
public sealed record ThrottleOptions
{
    public int AccountFreeFailures { get; init; } = 5;

    public int SourceFreeFailures { get; init; } = 20;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Failures older than this (counted from the last one) are forgotten.</summary>
    public TimeSpan ForgetAfter { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Accounts and sources remembered each; beyond it the least recently failed are forgotten first.</summary>
    public int MaxEntries { get; init; } = 100_000;
}

/// <summary>Whether a sign-in attempt may be tried now; if not, how long until it may, and whether the account or the source is held back.</summary>
public readonly record struct ThrottleDecision(bool Allowed, TimeSpan RetryAfter, ThrottleScope Scope)
{
    public static ThrottleDecision Allow { get; } = new(true, TimeSpan.Zero, ThrottleScope.None);
}

public enum ThrottleScope
{
    None,
    Account,
    Source,
}

/// <summary>
/// Sign-in throttling per account and per source address with exponential backoff. State is in memory only: a restart
/// forgets it (an attacker gains a few free guesses per restart, which Argon2's cost and the audit trail make cheap to
/// bear) and it is per process. Memory is bounded: at most <see cref="ThrottleOptions.MaxEntries"/> accounts and as
/// many sources, least recently failed evicted first, and entries are dropped (at the next failure or look-up) once
/// <see cref="ThrottleOptions.ForgetAfter"/> has passed since their last failure. Flooding failures under many names can evict an account's entry early; the
/// per-source backoff is what holds that flood back. Names are compared case-insensitively, known or not, so the
/// throttle does not tell which accounts exist.
/// </summary>
public sealed class SignInThrottle(TimeProvider time, ThrottleOptions? options = null)
{
    private readonly ThrottleOptions _options = options ?? new ThrottleOptions();
    private readonly Lock _lock = new();
    private readonly FailureTable _accounts = new();
    private readonly FailureTable _sources = new();

    public ThrottleOptions Options => _options;

    /// <summary>Accounts and sources currently remembered.</summary>
    public (int Accounts, int Sources) Size
    {
        get
        {
            lock (_lock)
            {
                return (_accounts.Count, _sources.Count);
            }
        }
    }

    /// <summary>Call before verifying a password: a refused attempt must not be verified (nor counted).</summary>
    public ThrottleDecision Check(string account, string source)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var accountWait = Wait(_accounts, AccountKey(account), _options.AccountFreeFailures, now);
            var sourceWait = Wait(_sources, source, _options.SourceFreeFailures, now);
            if (accountWait <= TimeSpan.Zero && sourceWait <= TimeSpan.Zero)
            {
                return ThrottleDecision.Allow;
            }
            return accountWait >= sourceWait
                ? new ThrottleDecision(false, accountWait, ThrottleScope.Account)
                : new ThrottleDecision(false, sourceWait, ThrottleScope.Source);
        }
    }

    public void RecordFailure(string account, string source)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            _accounts.Fail(AccountKey(account), now, _options);
            _sources.Fail(source, now, _options);
        }
    }

    /// <summary>A successful sign-in clears the account's failures; the source keeps its count (a sprayer may guess one account right).</summary>
    public void RecordSuccess(string account, string source)
    {
        lock (_lock)
        {
            _accounts.Remove(AccountKey(account));
        }
    }

    /// <summary>The delay that <paramref name="failures"/> consecutive failures earn.</summary>
    public TimeSpan DelayAfter(int failures, int freeFailures)
    {
        if (failures < freeFailures)
        {
            return TimeSpan.Zero;
        }
        var doublings = failures - freeFailures;
        // Past 2^30 the cap has long been reached; stop before the shift overflows.
        return doublings >= 30 ? _options.MaxDelay : TimeSpan.FromTicks(Math.Min(_options.BaseDelay.Ticks << doublings, _options.MaxDelay.Ticks));
    }

    private TimeSpan Wait(FailureTable table, string key, int freeFailures, DateTimeOffset now)
    {
        if (!table.TryGet(key, out var entry))
        {
            return TimeSpan.Zero;
        }
        if (now - entry.LastFailure >= _options.ForgetAfter)
        {
            table.Remove(key);
            return TimeSpan.Zero;
        }
        var until = entry.LastFailure + DelayAfter(entry.Failures, freeFailures);
        return until > now ? until - now : TimeSpan.Zero;
    }

    private static string AccountKey(string account) => account.Trim().ToLowerInvariant();

    private sealed record FailureCount(int Failures, DateTimeOffset LastFailure);

    /// <summary>A dictionary with least-recently-failed eviction; callers hold the throttle's lock.</summary>
    private sealed class FailureTable
    {
        private readonly Dictionary<string, LinkedListNode<(string Key, FailureCount Value)>> _index = new(StringComparer.Ordinal);
        private readonly LinkedList<(string Key, FailureCount Value)> _order = new();

        public int Count => _index.Count;

        public bool TryGet(string key, out FailureCount entry)
        {
            if (_index.TryGetValue(key, out var node))
            {
                entry = node.Value.Value;
                return true;
            }
            entry = null!;
            return false;
        }

        public void Fail(string key, DateTimeOffset now, ThrottleOptions options)
        {
            var failures = 1;
            if (_index.Remove(key, out var node))
            {
                _order.Remove(node);
                if (now - node.Value.Value.LastFailure < options.ForgetAfter)
                {
                    failures = node.Value.Value.Failures + 1;
                }
            }
            _index[key] = _order.AddFirst((key, new FailureCount(failures, now)));
            // The list is in order of last failure, so forgotten entries are all at its end.
            while (_index.Count > options.MaxEntries || now - _order.Last!.Value.Value.LastFailure >= options.ForgetAfter)
            {
                var oldest = _order.Last!;
                _order.RemoveLast();
                _index.Remove(oldest.Value.Key);
            }
        }

        public void Remove(string key)
        {
            if (_index.Remove(key, out var node))
            {
                _order.Remove(node);
            }
        }
    }
}
