using System.Text.RegularExpressions;
using Vedette.Identity;

namespace Vedette.Tests.Identity;

public sealed class PasswordHasherTests
{
    private const string Password = "correct horse battery staple";

    [Fact]
    public void A_hash_is_an_argon2id_phc_string_with_owasp_parameters_and_a_random_salt()
    {
        var hasher = new PasswordHasher();

        var first = hasher.Hash(Password);
        var second = hasher.Hash(Password);

        var phc = Regex.Match(first, @"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$");
        Assert.True(phc.Success, first);
        Assert.Equal(("19456", "2", "1"), (phc.Groups[1].Value, phc.Groups[2].Value, phc.Groups[3].Value));
        Assert.Equal(22, phc.Groups[4].Value.Length); // 16-byte salt, unpadded base64
        Assert.Equal(43, phc.Groups[5].Value.Length); // 32-byte hash
        Assert.NotEqual(first, second);
        Assert.DoesNotContain(Password, first, StringComparison.Ordinal);
    }

    [Fact]
    public void The_right_password_verifies_and_any_other_does_not()
    {
        var hasher = new PasswordHasher();
        var hash = hasher.Hash(Password);

        Assert.Equal(PasswordCheck.Verified, hasher.Verify(hash, Password));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify(hash, Password + " "));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify(hash, "Correct horse battery staple"));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify(hash, ""));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a hash")]
    [InlineData("$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW")]
    [InlineData("$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")]
    public void A_stored_value_that_is_not_an_argon2id_hash_fails_like_a_wrong_password(string? stored)
    {
        var hasher = new PasswordHasher();

        Assert.Equal(PasswordCheck.Failed, hasher.Verify(stored, Password));
    }

    [Fact]
    public void A_hash_made_with_other_parameters_verifies_and_asks_for_a_rehash()
    {
        var old = new PasswordHasher(new Argon2Parameters(1, 8 * 1024));
        var current = new PasswordHasher();
        var oldHash = old.Hash(Password);
        var currentHash = current.Hash(Password);

        Assert.True(current.NeedsRehash(oldHash));
        Assert.False(current.NeedsRehash(currentHash));
        Assert.Equal(PasswordCheck.VerifiedNeedsRehash, current.Verify(oldHash, Password));
        Assert.Equal(PasswordCheck.Failed, current.Verify(oldHash, "wrong password entirely"));
        Assert.Equal(PasswordCheck.Verified, current.Verify(currentHash, Password));
        // Stronger parameters than the hasher's count as different too: the configuration decides.
        Assert.True(old.NeedsRehash(currentHash));
    }

    [Fact]
    public void Passwords_are_compared_exactly_as_typed_including_unicode()
    {
        var hasher = new PasswordHasher();
        var hash = hasher.Hash("пароль-мой-длинный-🔑-ключ");

        Assert.Equal(PasswordCheck.Verified, hasher.Verify(hash, "пароль-мой-длинный-🔑-ключ"));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify(hash, "пароль-мой-длинный-🔒-ключ"));
    }
}
