using Vedette.Detection.Attack;

namespace Vedette.Tests.Attack;

/// <summary>The ATT&amp;CK catalog read from the real MITRE CSV export, and Sigma tags resolved against it.</summary>
public sealed class AttackCatalogTests
{
    private static readonly AttackCatalog Catalog = AttackCatalog.Load(SharedData.Path("attack", "enterprise-attack.csv"));

    [Fact]
    public void The_CSV_holds_566_techniques_and_sub_techniques_despite_quoted_commas_and_newlines()
    {
        Assert.Equal(566, Catalog.Count);
        Assert.True(Catalog.TryGetTechnique("T1001", out var obfuscation));
        Assert.Equal("Data Obfuscation", obfuscation.Name);
        Assert.Equal(["Command and Control"], obfuscation.Tactics);
        Assert.Equal("https://attack.mitre.org/techniques/T1001", obfuscation.Url);
    }

    [Fact]
    public void A_sub_technique_tag_resolves_to_its_full_name_and_tactics()
    {
        var tag = Catalog.Resolve("attack.t1110.001");

        Assert.NotNull(tag);
        Assert.Equal(AttackTagKind.Technique, tag.Kind);
        Assert.Equal("T1110.001", tag.Id);
        Assert.Equal("Brute Force: Password Guessing", tag.Name);
        Assert.Equal(["Credential Access"], tag.Tactics);
        Assert.True(tag.Known);
    }

    [Fact]
    public void A_technique_in_several_tactics_lists_them_all()
    {
        var tag = Catalog.Resolve("attack.T1078")!;

        Assert.Equal("Valid Accounts", tag.Name);
        Assert.Equal(["Defense Evasion", "Persistence", "Privilege Escalation", "Initial Access"], tag.Tactics);
    }

    [Theory]
    [InlineData("attack.credential-access", "Credential Access")]
    [InlineData("attack.command-and-control", "Command and Control")]
    [InlineData("attack.resource-development", "Resource Development")]
    [InlineData("attack.stealth", "Stealth")]
    [InlineData("attack.defense-impairment", "Defense Impairment")]
    public void A_tactic_tag_resolves_to_the_tactic_name(string tag, string name)
    {
        var resolved = Catalog.Resolve(tag)!;

        Assert.Equal(AttackTagKind.Tactic, resolved.Kind);
        Assert.Equal(name, resolved.Name);
        Assert.True(resolved.Known);
    }

    [Fact]
    public void Ids_newer_than_the_catalog_resolve_as_unknown_without_failing()
    {
        var newer = Catalog.Resolve("attack.t1649")!;
        Assert.Equal(("T1649", "unknown technique", false), (newer.Id, newer.Name, newer.Known));
        Assert.Empty(newer.Tactics);

        Assert.Equal("unknown tactic", Catalog.Resolve("attack.not-a-tactic")!.Name);
        Assert.Equal((AttackTagKind.Group, "G0032"), (Catalog.Resolve("attack.g0032")!.Kind, Catalog.Resolve("attack.g0032")!.Id));
        Assert.Equal(AttackTagKind.Software, Catalog.Resolve("attack.s0002")!.Kind);
    }

    [Fact]
    public void Tags_that_are_not_ATTACK_are_left_out()
    {
        var resolved = Catalog.ResolveAll(["cve.2021-44228", "attack.execution", "detection.emerging-threats", "attack.t1059.001"]);

        Assert.Equal(["attack.execution", "attack.t1059.001"], resolved.Select(t => t.Tag));
        Assert.Equal("Command and Scripting Interpreter: PowerShell", resolved[1].Name);
    }

    [Fact]
    public void Almost_every_technique_SigmaHQ_tags_is_in_the_catalog()
    {
        var tags = Directory.EnumerateFiles(SharedData.Path("sigma", "rules"), "*.yml", SearchOption.AllDirectories)
            .SelectMany(File.ReadLines)
            .Select(l => l.Trim().TrimStart('-').Trim())
            .Where(l => l.StartsWith("attack.t", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Select(Catalog.Resolve)
            .OfType<AttackTag>()
            .ToList();

        Assert.NotEmpty(tags);
        // SOURCES.md: 34 of the 401 technique ids SigmaHQ tags are newer than this 2021 list.
        Assert.InRange(tags.Count(t => !t.Known), 1, tags.Count / 10);
    }

    [Fact]
    public void A_quoted_field_left_open_is_an_error_naming_file_and_line()
    {
        using var reader = new StringReader("name,id,url,kill chain phases\n\"Brute Force,T1110,u,Credential Access\n");
        var error = Assert.Throws<InvalidDataException>(() => AttackCatalog.Read(reader, "bad.csv"));
        Assert.StartsWith("bad.csv:2:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_column_is_an_error()
    {
        using var reader = new StringReader("name,id\nBrute Force,T1110\n");
        Assert.Contains("no 'kill chain phases' column", Assert.Throws<InvalidDataException>(() => AttackCatalog.Read(reader, "x.csv")).Message, StringComparison.Ordinal);
    }
}
