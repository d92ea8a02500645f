using System.Security.Cryptography;
using System.Text;
using Vedette.Identity;

namespace Vedette.Tests.Identity;

public sealed class ApiTokensTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static UserSummary User(Role role = Role.Analyst, bool disabled = false) =>
        new(Guid.CreateVersion7(Now), "ana", role, disabled, false, 0, 0, Now, Now);

    private static ApiToken Stored(IssuedApiToken issued, UserSummary user) => new(
        issued.Record.Id, user.Id, user.Name, issued.Record.Role, issued.Record.Name, issued.Record.CreatedAt, issued.Record.ExpiresAt, null, null);

    [Fact]
    public void A_token_is_the_prefix_and_256_random_bits_and_only_its_sha256_is_kept()
    {
        var user = User();

        var issued = ApiTokens.Issue(user, Role.Analyst, "edr", Guid.CreateVersion7(Now), Now, TimeSpan.FromDays(30));
        var other = ApiTokens.Issue(user, Role.Analyst, "edr", Guid.CreateVersion7(Now), Now, TimeSpan.FromDays(30));

        Assert.StartsWith("vdt_", issued.Token, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(Pad(issued.Token[4..])).Length);
        Assert.True(ApiTokens.LooksLikeToken(issued.Token));
        Assert.NotEqual(issued.Token, other.Token);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(issued.Token))), issued.Record.TokenHash);
        Assert.Equal(issued.Record.TokenHash, ApiTokens.Hash(issued.Token));
        Assert.DoesNotContain(issued.Token, issued.ToString(), StringComparison.Ordinal);
        Assert.Equal(Now.AddDays(30), issued.Record.ExpiresAt);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("vdt_")]
    [InlineData("Bearer vdt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("xyz_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("vdt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("vdt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")]
    public void Text_without_a_tokens_shape_is_not_worth_a_lookup(string? text)
    {
        Assert.False(ApiTokens.LooksLikeToken(text));
    }

    [Fact]
    public void A_token_cannot_have_a_role_above_its_users()
    {
        var user = User(Role.Analyst);

        var error = Assert.Throws<ArgumentException>(() => ApiTokens.Issue(user, Role.Lead, "x", Guid.NewGuid(), Now, null));

        Assert.Contains("above the user's own role analyst", error.Message, StringComparison.Ordinal);
        Assert.Equal(Role.Viewer, ApiTokens.Issue(user, Role.Viewer, "x", Guid.NewGuid(), Now, null).Record.Role);
    }

    [Fact]
    public void A_token_is_valid_until_it_expires_or_is_revoked_or_its_user_is_disabled()
    {
        var user = User();
        var token = Stored(ApiTokens.Issue(user, Role.Analyst, "edr", Guid.NewGuid(), Now, TimeSpan.FromHours(1)), user);

        Assert.Equal(TokenState.Valid, ApiTokens.Check(token, user, Now.AddMinutes(59)));
        Assert.Equal(TokenState.Expired, ApiTokens.Check(token, user, Now.AddHours(1)));
        Assert.Equal(TokenState.Revoked, ApiTokens.Check(token with { RevokedAt = Now.AddMinutes(1) }, user, Now.AddMinutes(2)));
        Assert.Equal(TokenState.UserDisabled, ApiTokens.Check(token, user with { Disabled = true }, Now));
        Assert.Equal(TokenState.Unknown, ApiTokens.Check(null, user, Now));
        Assert.Equal(TokenState.Unknown, ApiTokens.Check(token, User(), Now));
    }

    [Fact]
    public void A_token_never_acts_above_its_users_current_role()
    {
        var user = User(Role.Lead);
        var token = Stored(ApiTokens.Issue(user, Role.SeniorAnalyst, "x", Guid.NewGuid(), Now, null), user);

        Assert.Equal(Role.SeniorAnalyst, token.EffectiveRole(Role.Lead));
        Assert.Equal(Role.Viewer, token.EffectiveRole(Role.Viewer));
        Assert.True(token.IsActive(Now.AddYears(10)));
    }

    private static string Pad(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        return text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
    }
}
