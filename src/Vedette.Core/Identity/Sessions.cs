namespace Vedette.Identity;

/// <summary>How long a console session lives without activity, and at most.</summary>
public sealed record SessionOptions(TimeSpan IdleTimeout, TimeSpan AbsoluteTimeout, TimeSpan TouchInterval)
{
    /// <summary>
    /// 30 minutes idle, 12 hours at most (one analyst shift), activity recorded at most once a minute so that every
    /// request does not cost a write.
    /// </summary>
    public static SessionOptions Default { get; } = new(TimeSpan.FromMinutes(30), TimeSpan.FromHours(12), TimeSpan.FromMinutes(1));
}

/// <summary>A console session as stored and listed: never its id (the cookie value), nor that id's hash.</summary>
public sealed record Session(
    Guid Id,
    Guid UserId,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset IdleExpiresAt,
    DateTimeOffset AbsoluteExpiresAt,
    string SecurityStamp)
{
    public override string ToString() => $"Session {{ Id = {Id}, UserId = {UserId} }}";
}

/// <summary>A session to store with the hash of its secret id.</summary>
public sealed record NewSession(Session Session, string TokenHash);

/// <summary>A new session; <see cref="Token"/> goes into the cookie and nowhere else.</summary>
public sealed record IssuedSession(string Token, NewSession Record)
{
    public override string ToString() => $"IssuedSession {{ Id = {Record.Session.Id} }}";
}

public enum SessionState
{
    Valid,
    Unknown,
    IdleExpired,
    Expired,

    /// <summary>The user's password, role or MFA changed since the session began.</summary>
    StampChanged,
    UserDisabled,
}

/// <summary>
/// Console sessions: a 256-bit random id in the cookie, its SHA-256 in the store, idle and absolute expiry, and the
/// user's security stamp at creation, so a change of password, role or MFA ends every earlier session.
/// </summary>
public static class Sessions
{
    public const int SecretBytes = 32;

    /// <summary>A new session for the user; issue one at every sign-in and privilege change (never reuse an id).</summary>
    public static IssuedSession Issue(UserCredentials user, Guid id, DateTimeOffset now, SessionOptions options)
    {
        var token = Secrets.Random(SecretBytes);
        var session = new Session(id, user.User.Id, now, now, Min(now + options.IdleTimeout, now + options.AbsoluteTimeout), now + options.AbsoluteTimeout, user.SecurityStamp);
        return new IssuedSession(token, new NewSession(session, Hash(token)));
    }

    /// <summary>The stored form of a cookie's session id; look the session up by this.</summary>
    public static string Hash(string token) => Secrets.Hash(token);

    public static SessionState Check(Session? session, UserCredentials? user, DateTimeOffset now)
    {
        if (session is null || user is null || user.User.Id != session.UserId)
        {
            return SessionState.Unknown;
        }
        if (now >= session.AbsoluteExpiresAt)
        {
            return SessionState.Expired;
        }
        if (now >= session.IdleExpiresAt)
        {
            return SessionState.IdleExpired;
        }
        if (user.User.Disabled)
        {
            return SessionState.UserDisabled;
        }
        return Secrets.HashesEqual(session.SecurityStamp, user.SecurityStamp) ? SessionState.Valid : SessionState.StampChanged;
    }

    /// <summary>
    /// The new idle expiry to store after activity at <paramref name="now"/>, or null when the last one recorded is
    /// recent enough (<see cref="SessionOptions.TouchInterval"/>). Never past the absolute expiry.
    /// </summary>
    public static DateTimeOffset? Touch(Session session, DateTimeOffset now, SessionOptions options) =>
        now - session.LastSeenAt < options.TouchInterval ? null : Min(now + options.IdleTimeout, session.AbsoluteExpiresAt);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;
}
