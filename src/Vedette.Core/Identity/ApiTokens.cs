using System.Buffers.Text;

namespace Vedette.Identity;

/// <summary>An API token as stored and listed: never the token itself, nor its hash.</summary>
public sealed record ApiToken(
    Guid Id,
    Guid UserId,
    string UserName,
    Role Role,
    string Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    string? RevokedBy)
{
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expiry && now >= expiry;

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && !IsExpired(now);

    /// <summary>What the token may do now: its own role, but never more than its user's current role.</summary>
    public Role EffectiveRole(Role userRole) => Role <= userRole ? Role : userRole;
}

/// <summary>A token to store: its hash, never the token.</summary>
public sealed record NewApiToken(Guid Id, string TokenHash, Guid UserId, Role Role, string Name, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

/// <summary>A freshly made token: <see cref="Token"/> is shown to its owner once and then forgotten.</summary>
public sealed record IssuedApiToken(string Token, NewApiToken Record)
{
    public override string ToString() => $"IssuedApiToken {{ Id = {Record.Id} }}";
}

public enum TokenState
{
    Valid,
    Unknown,
    Expired,
    Revoked,
    UserDisabled,
}

/// <summary>
/// API tokens: <c>vdt_</c> and 256 random bits in base64url. The prefix makes a leaked token recognisable to secret
/// scanners; the rest is stored as its SHA-256 only, so a copy of the database cannot be replayed against the API.
/// </summary>
public static class ApiTokens
{
    public const string Prefix = "vdt_";
    public const int SecretBytes = 32;

    private static readonly int EncodedLength = Prefix.Length + Base64Url.GetEncodedLength(SecretBytes);

    /// <summary>
    /// Makes a token for <paramref name="user"/> with <paramref name="role"/>, which may not be above the user's own
    /// role; <paramref name="lifetime"/> null means it never expires.
    /// </summary>
    public static IssuedApiToken Issue(UserSummary user, Role role, string name, Guid id, DateTimeOffset now, TimeSpan? lifetime)
    {
        if (role > user.Role)
        {
            throw new ArgumentException($"a token for {user.Name} cannot have role {role.ToName()}, above the user's own role {user.Role.ToName()}", nameof(role));
        }
        if (lifetime is { } span && span <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, "a token's lifetime must be positive");
        }
        var token = Prefix + Secrets.Random(SecretBytes);
        return new IssuedApiToken(token, new NewApiToken(id, Hash(token), user.Id, role, name, now, now + lifetime));
    }

    /// <summary>True when the text has a token's shape: worth a store lookup.</summary>
    public static bool LooksLikeToken(string? text) =>
        text is not null && text.Length == EncodedLength && text.StartsWith(Prefix, StringComparison.Ordinal) && Base64Url.IsValid(text.AsSpan(Prefix.Length));

    /// <summary>The stored form; look a presented token up by this.</summary>
    public static string Hash(string token) => Secrets.Hash(token);

    /// <summary>Whether a presented token (found by its hash, or not) lets its user in now.</summary>
    public static TokenState Check(ApiToken? token, UserSummary? user, DateTimeOffset now) => token switch
    {
        null => TokenState.Unknown,
        { RevokedAt: not null } => TokenState.Revoked,
        _ when token.IsExpired(now) => TokenState.Expired,
        _ when user is null || user.Id != token.UserId => TokenState.Unknown,
        _ when user.Disabled => TokenState.UserDisabled,
        _ => TokenState.Valid,
    };
}
