using Vedette.Identity;

namespace Vedette.Tests.Identity;

public sealed class PasswordPolicyTests
{
    private static PasswordVerdict Check(string password, bool hasMfa = false, string user = "ana.lopez") =>
        PasswordPolicy.Check(password, user, hasMfa);

    [Theory]
    [InlineData("plum-vessel-orbit")] // 17
    [InlineData("correct horse battery staple")]
    [InlineData("granite lantern 7 cobalt")]
    [InlineData("tiny-orbit-plume")] // 16
    public void Long_uncommon_passwords_are_accepted_without_any_composition_rule(string password)
    {
        var verdict = Check(password);

        Assert.True(verdict.Accepted, verdict.Reason);
        Assert.Null(verdict.Reason);
    }

    [Fact]
    public void Fifteen_characters_are_needed_without_mfa_and_eight_with_it()
    {
        const string fourteen = "Xk9#mP2qWv7$rT";
        const string fifteen = "Xk9#mP2qWv7$rTz";
        const string eight = "Xk9#mP2q";

        var shortWithout = Check(fourteen);
        Assert.False(shortWithout.Accepted);
        Assert.Contains("at least 15 characters", shortWithout.Reason, StringComparison.Ordinal);
        Assert.Contains("this one has 14", shortWithout.Reason, StringComparison.Ordinal);
        Assert.True(Check(fifteen).Accepted, Check(fifteen).Reason);

        Assert.True(Check(eight, hasMfa: true).Accepted, Check(eight, hasMfa: true).Reason);
        var seven = Check(eight[..7], hasMfa: true);
        Assert.False(seven.Accepted);
        Assert.Contains("at least 8 characters", seven.Reason, StringComparison.Ordinal);
        Assert.False(Check(eight).Accepted);
    }

    [Fact]
    public void Characters_are_counted_as_a_person_counts_them()
    {
        // 15 emoji are 30 UTF-16 units, but 15 characters.
        var emoji = string.Concat(Enumerable.Repeat("🔥", 14));

        Assert.Equal(14, PasswordPolicy.CountCharacters(emoji));
        Assert.Contains("this one has 14", Check(emoji).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Passwords_of_64_and_up_to_256_characters_are_accepted_and_longer_ones_refused()
    {
        var random = new Random(42);
        string Random(int length) => new([.. Enumerable.Range(0, length).Select(_ => (char)random.Next('!', '~' + 1))]);

        Assert.True(Check(Random(64)).Accepted);
        Assert.True(Check(Random(256)).Accepted);
        var tooLong = Check(Random(257));
        Assert.False(tooLong.Accepted);
        Assert.Contains("at most 256 characters", tooLong.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("password1234567", "common password")]
    [InlineData("qwertyuiopasdfgh", "common password")]
    [InlineData("monkey123456789", "common password")]
    [InlineData("aaaaaaaaaaaaaaaa", "repetition")]
    [InlineData("abcdefghijklmnopq", "sequence")]
    [InlineData("passwordpassword", "common")]
    [InlineData("1qaz2wsx3edc4rfv", "")]
    public void Common_and_predictable_passwords_are_refused_with_the_reason(string password, string because)
    {
        var verdict = Check(password, hasMfa: true);

        Assert.False(verdict.Accepted);
        Assert.StartsWith("this ", verdict.Reason, StringComparison.Ordinal);
        Assert.Contains(because, verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_password_from_the_common_list_is_refused_whatever_its_case()
    {
        // "baseball" is in zxcvbn's list of common passwords; 8 characters are enough with MFA.
        var verdict = Check("BaseBall", hasMfa: true);

        Assert.False(verdict.Accepted);
        Assert.Equal("this is one of the most commonly used passwords", verdict.Reason);
    }

    [Theory]
    [InlineData("ana.lopez-sunny-garden")]
    [InlineData("my name is ANA.LOPEZ ok")]
    public void A_password_containing_the_user_name_is_refused(string password)
    {
        var verdict = Check(password);

        Assert.False(verdict.Accepted);
        Assert.Equal("a password must not contain the user name", verdict.Reason);
    }

    [Fact]
    public void The_same_password_is_fine_for_another_user()
    {
        Assert.True(Check("ana.lopez-sunny-garden", user: "bob").Accepted);
    }

    [Fact]
    public async Task Without_a_breach_service_the_async_check_is_the_local_one()
    {
        var policy = new PasswordPolicy();

        Assert.True((await policy.CheckAsync("granite lantern 7 cobalt", "ana", hasMfa: false, CancellationToken.None)).Accepted);
        Assert.False((await policy.CheckAsync("password1234567", "ana", hasMfa: false, CancellationToken.None)).Accepted);
    }
}
