using System.Text;

namespace Vedette.Tests.Matching;

/// <summary>
/// The string modifiers of the Sigma modifiers appendix (sigma-appendix-modifiers.md, "String Modifiers" and
/// "Encoding"): windash and the encodings, alone and chained as SigmaHQ rules chain them. Encoded event values are
/// computed here from the plain text, never copied in.
/// </summary>
public sealed class StringModifierTests
{
    private static readonly string[] Dashes = ["-", "/", "\u2013", "\u2014", "\u2015"];

    private static bool Cmd(string detection, string commandLine) => Sigma.Matches(detection, $"\"CommandLine\":{Sigma.Json(commandLine)}");

    public static TheoryData<string> EachDash => [.. Dashes];

    [Theory]
    [MemberData(nameof(EachDash))]
    public void Windash_matches_a_flag_written_with_each_of_the_five_dashes_of_the_appendix(string dash)
    {
        Assert.True(Cmd("sel:\n  CommandLine|contains|windash: ' -s '\ncondition: sel", $"procdump.exe {dash}s lsass"));
        Assert.True(Cmd("sel:\n  CommandLine|windash|contains: ' /s '\ncondition: sel", $"procdump.exe {dash}s lsass"));
        Assert.True(Cmd("sel:\n  CommandLine|endswith|windash: ' -f'\ncondition: sel", $"del x.txt {dash}f"));
    }

    [Fact]
    public void Windash_does_not_match_other_characters_in_the_place_of_the_dash()
    {
        Assert.False(Cmd("sel:\n  CommandLine|contains|windash: ' -s '\ncondition: sel", "procdump.exe _s lsass"));
        Assert.False(Cmd("sel:\n  CommandLine|contains|windash: ' -s '\ncondition: sel", "procdump.exe s lsass"));
    }

    [Fact]
    public void Windash_expands_every_flag_of_a_value_so_mixed_spellings_match()
    {
        const string rule = "sel:\n  CommandLine|contains|windash: ' -a -b'\ncondition: sel";
        Assert.True(Cmd(rule, "tool.exe /a \u2013b"));
        Assert.True(Cmd(rule, "tool.exe \u2015a /b"));
        Assert.False(Cmd(rule, "tool.exe /a"));
    }

    [Fact]
    public void Windash_leaves_a_dash_inside_a_word_as_written_as_pySigma_does()
    {
        const string rule = "sel:\n  CommandLine|contains|windash: 'Invoke-Expression'\ncondition: sel";
        Assert.True(Cmd(rule, "powershell Invoke-Expression $x"));
        Assert.False(Cmd(rule, "powershell Invoke/Expression $x"));
    }

    [Fact]
    public void Windash_with_all_needs_every_value_in_one_of_its_spellings()
    {
        const string rule = "sel:\n  CommandLine|contains|all|windash:\n    - ' -a'\n    - ' -b'\ncondition: sel";
        Assert.True(Cmd(rule, "tool.exe /a \u2014b"));
        Assert.False(Cmd(rule, "tool.exe /a"));
    }

    [Theory]
    [InlineData("utf16le", new byte[] { 0x63, 0x00, 0x6d, 0x00, 0x64, 0x00 })]
    [InlineData("wide", new byte[] { 0x63, 0x00, 0x6d, 0x00, 0x64, 0x00 })]
    [InlineData("utf16be", new byte[] { 0x00, 0x63, 0x00, 0x6d, 0x00, 0x64 })]
    [InlineData("utf16", new byte[] { 0xFF, 0xFE, 0x63, 0x00, 0x6d, 0x00, 0x64, 0x00 })]
    public void The_utf16_modifiers_encode_cmd_into_the_bytes_the_appendix_lists(string modifier, byte[] specBytes)
    {
        var rule = $"sel:\n  CommandLine|{modifier}|base64: cmd\ncondition: sel";
        Assert.True(Cmd(rule, Convert.ToBase64String(specBytes)));
        Assert.False(Cmd(rule, Convert.ToBase64String(Encoding.UTF8.GetBytes("cmd"))));
    }

    [Fact]
    public void Wide_without_base64_matches_the_text_with_a_zero_after_each_character()
    {
        Assert.True(Cmd("sel:\n  CommandLine|wide|contains: cmd\ncondition: sel", "x c\0m\0d\0 y"));
        Assert.False(Cmd("sel:\n  CommandLine|wide|contains: cmd\ncondition: sel", "x cmd y"));
    }

    [Fact]
    public void Base64_encodes_the_value_as_UTF8_and_compares_the_encoding()
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes("secret passwörd"));
        Assert.True(Cmd("sel:\n  CommandLine|base64: 'secret passwörd'\ncondition: sel", encoded));
        Assert.True(Cmd("sel:\n  CommandLine|base64|contains: 'secret passwörd'\ncondition: sel", "echo " + encoded + " | base64 -d"));
        Assert.False(Cmd("sel:\n  CommandLine|base64: 'secret password'\ncondition: sel", encoded));
    }

    [Fact]
    public void Base64_is_compared_case_insensitively_like_every_value_unless_cased()
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes("secret"));
        Assert.True(Cmd("sel:\n  CommandLine|base64: secret\ncondition: sel", encoded.ToLowerInvariant()));
        Assert.False(Cmd("sel:\n  CommandLine|base64|cased: secret\ncondition: sel", encoded.ToLowerInvariant()));
    }

    public static TheoryData<string, string> Surroundings => new()
    {
        { "", "" },
        { "a", "" },
        { "ab", "z" },
        { "abc", "yz" },
        { "Set-Item x; ", " -Force" },
        { "\u00e9", "!" },
    };

    [Theory]
    [MemberData(nameof(Surroundings))]
    public void Base64offset_finds_the_value_at_any_byte_offset_of_an_encoded_text(string before, string after)
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(before + "Invoke-Mimikatz" + after));
        Assert.True(Cmd("sel:\n  CommandLine|base64offset|contains: Invoke-Mimikatz\ncondition: sel", "powershell -c " + encoded));
        Assert.False(Cmd("sel:\n  CommandLine|base64offset|contains: Invoke-Mimikittens\ncondition: sel", "powershell -c " + encoded));
    }

    [Theory]
    [MemberData(nameof(Surroundings))]
    public void Wide_base64offset_finds_text_in_a_PowerShell_encoded_command(string before, string after)
    {
        // -EncodedCommand takes base64 of UTF-16LE: what SigmaHQ's |wide|base64offset|contains rules look for.
        var encoded = Convert.ToBase64String(Encoding.Unicode.GetBytes(before + "IEX (New-Object Net.WebClient)" + after));
        Assert.True(Cmd("sel:\n  CommandLine|wide|base64offset|contains: 'New-Object Net.WebClient'\ncondition: sel", "powershell.exe -enc " + encoded));
        Assert.False(Cmd("sel:\n  CommandLine|base64offset|contains: 'New-Object Net.WebClient'\ncondition: sel", "powershell.exe -enc " + encoded));
    }

    [Fact]
    public void Base64offset_produces_the_three_cut_encodings_pySigma_defines()
    {
        // pySigma: b64encode(i * b" " + value)[(0, 2, 3)[i] : (None, -3, -2)[(len(value) + i) % 3]] for i in 0..2.
        var offsets = Vedette.Detection.Matching.Modifiers.TextTransforms.Base64Offsets(Encoding.UTF8.GetBytes("/bin/sh"));
        Assert.Equal(["L2Jpbi9za", "9iaW4vc2", "vYmluL3No"], offsets);
    }
}
