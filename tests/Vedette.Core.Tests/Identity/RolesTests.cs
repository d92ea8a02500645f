using Vedette.Identity;

namespace Vedette.Tests.Identity;

public sealed class RolesTests
{
    [Theory]
    [InlineData("viewer", Role.Viewer)]
    [InlineData("Analyst", Role.Analyst)]
    [InlineData("senior-analyst", Role.SeniorAnalyst)]
    [InlineData("senior_analyst", Role.SeniorAnalyst)]
    [InlineData("SeniorAnalyst", Role.SeniorAnalyst)]
    [InlineData(" lead ", Role.Lead)]
    [InlineData("ADMIN", Role.Admin)]
    public void Role_names_parse_in_any_usual_spelling(string text, Role expected)
    {
        Assert.Equal(expected, Roles.Parse(text));
        Assert.Equal(expected, Roles.Parse(expected.ToName()));
    }

    [Theory]
    [InlineData("root")]
    [InlineData("")]
    [InlineData("senior")]
    public void Unknown_roles_are_refused_naming_the_known_ones(string text)
    {
        Assert.False(Roles.TryParse(text, out _));
        Assert.Contains("viewer, analyst, senior-analyst, lead, admin", Assert.Throws<FormatException>(() => Roles.Parse(text)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Roles_are_ordered_and_only_leads_and_admins_require_mfa()
    {
        Assert.Equal([Role.Viewer, Role.Analyst, Role.SeniorAnalyst, Role.Lead, Role.Admin], Roles.All.Order());
        Assert.Equal([Role.Lead, Role.Admin], Roles.All.Where(r => r.RequiresMfa()));
        Assert.True(Role.Admin.IsAtLeast(Role.Lead));
        Assert.False(Role.Analyst.IsAtLeast(Role.SeniorAnalyst));
    }

    [Theory]
    [InlineData("ana", true)]
    [InlineData("ana.lopez@corp.example", true)]
    [InlineData("svc_edr-1", true)]
    [InlineData("", false)]
    [InlineData("ana lopez", false)]
    [InlineData(".hidden", false)]
    [InlineData("ana/../admin", false)]
    public void User_names_are_plain(string name, bool valid)
    {
        Assert.Equal(valid, UserNames.Validate(name) is null);
    }

    [Fact]
    public void A_user_who_must_have_mfa_and_has_none_must_enrol()
    {
        var now = DateTimeOffset.UnixEpoch;
        var lead = new UserSummary(Guid.NewGuid(), "lee", Role.Lead, false, false, 0, 0, now, now);

        Assert.True(lead.MustEnrolMfa);
        Assert.False((lead with { TotpEnabled = true }).MustEnrolMfa);
        Assert.False((lead with { PasskeyCount = 1 }).MustEnrolMfa);
        Assert.False((lead with { Role = Role.SeniorAnalyst }).MustEnrolMfa);
    }
}
