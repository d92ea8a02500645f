namespace Vedette.Tests.Matching;

/// <summary>
/// Values as the rules specification defines them (sigma-rules-specification.md, "Detection"): wildcards, the
/// escape character, special field values, and keyword searches with and without modifiers.
/// </summary>
public sealed class ValueSemanticsTests
{
    private static bool Field(string value, string eventValue) =>
        Sigma.Matches($"sel:\n  Value: '{value}'\ncondition: sel", $"\"Value\":{Sigma.Json(eventValue)}");

    [Theory]
    // "String Wildcard": ? is one mandatory character, * any run.
    [InlineData("prog?.exe", "progA.exe", true)]
    [InlineData("prog?.exe", "prog.exe", false)]
    [InlineData("antivirus_V*.exe", "antivirus_V21.2.1.exe", true)]
    [InlineData("antivirus_V*.exe", "antivirus_V21.2.1.dll", false)]
    [InlineData("a*b*c", "abc", true)]
    [InlineData("a*b*c", "aXXbYYbZZc", true)]
    [InlineData("a*b*c", "acb", false)]
    [InlineData("*a?c*", "xxabcxx", true)]
    [InlineData("?", "", false)]
    [InlineData("*", "", true)]
    [InlineData("**a", "ba", true)]
    public void Wildcards_match_as_the_specification_says(string value, string eventValue, bool expected)
    {
        Assert.Equal(expected, Field(value, eventValue));
    }

    [Theory]
    // "Escape Character": \* and \? are literal; \\* is a backslash then a wildcard; \\\* a backslash and a star;
    // three or four backslashes are two; a backslash before anything else is itself.
    [InlineData(@"a\*b", "a*b", true)]
    [InlineData(@"a\*b", "aXb", false)]
    [InlineData(@"a\?b", "a?b", true)]
    [InlineData(@"a\?b", "aXb", false)]
    [InlineData(@"C:\\*", @"C:\Windows", true)]
    [InlineData(@"C:\\*", @"C:Windows", false)]
    [InlineData(@"C:\\\*", @"C:\*", true)]
    [InlineData(@"C:\\\*", @"C:\Windows", false)]
    [InlineData(@"\\\\server", @"\\server", true)]
    [InlineData(@"\\\server", @"\\server", true)]
    [InlineData(@"C:\Windows\System32", @"C:\Windows\System32", true)]
    [InlineData(@"C:\\Windows", @"C:\Windows", true)]
    [InlineData(@"ends with a backslash\", @"ends with a backslash\", true)]
    [InlineData(@"trailing\\", @"trailing\", true)]
    public void The_backslash_escapes_wildcards_and_itself_only(string value, string eventValue, bool expected)
    {
        Assert.Equal(expected, Field(value, eventValue));
    }

    [Theory]
    // "Special Field Values": '' is the empty value; null is a field that is absent or has no value.
    [InlineData("Empty: ''", true)]
    [InlineData("Missing: ''", false)]
    [InlineData("Nothing: ''", false)]
    [InlineData("Empty: null", true)]
    [InlineData("Nothing: null", true)]
    [InlineData("Missing: null", true)]
    [InlineData("Image: null", false)]
    [InlineData("Image: ''", false)]
    [InlineData("Image|contains: ''", true)]
    [InlineData("Missing|contains: ''", false)]
    public void Empty_and_null_values_follow_the_special_field_values_section(string item, bool expected)
    {
        Assert.Equal(expected, Sigma.Matches($"sel:\n  {item}\ncondition: sel", "\"Image\":\"cmd.exe\",\"Empty\":\"\",\"Nothing\":null"));
    }

    [Fact]
    public void Not_null_is_written_as_a_negated_selection_as_the_specification_shows()
    {
        const string rule = "selection:\n  EventID: 1\nfilter:\n  PasswordLastSet: null\ncondition: selection and not filter";
        Assert.True(Sigma.Matches(rule, "\"PasswordLastSet\":\"2024-01-01\""));
        Assert.False(Sigma.Matches(rule, "\"PasswordLastSet\":null"));
        Assert.False(Sigma.Matches(rule, ""));
    }

    [Fact]
    public void Empty_or_null_as_two_selections_is_the_specifications_valid_example()
    {
        const string rule = "selection_main:\n  FieldA: something\nselection_empty1:\n  FieldB: ''\nselection_empty2:\n  FieldB: null\ncondition: selection_main and 1 of selection_empty*";
        Assert.True(Sigma.Matches(rule, "\"FieldA\":\"something\",\"FieldB\":\"\""));
        Assert.True(Sigma.Matches(rule, "\"FieldA\":\"something\""));
        Assert.False(Sigma.Matches(rule, "\"FieldA\":\"something\",\"FieldB\":\"x\""));
    }

    private const string Exchange = "\"Payload\":\"Set-OabVirtualDirectory -ExternalUrl 'http://x'\",\"Count\":7";

    [Theory]
    // "Keywords search": a list of strings searched across the event, or-linked; '|all' and-links them.
    [InlineData("keywords:\n  - 'event::clear'\n  - 'OABVIRTUALDIRECTORY'\ncondition: keywords", true)]
    [InlineData("keywords:\n  '|all':\n    - 'OabVirtualDirectory'\n    - ' -ExternalUrl '\ncondition: keywords", true)]
    [InlineData("keywords:\n  '|all':\n    - 'OabVirtualDirectory'\n    - ' -InternalUrl '\ncondition: keywords", false)]
    [InlineData("keywords:\n  '|contains|windash': ' /ExternalUrl '\ncondition: keywords", true)]
    [InlineData("keywords:\n  '|windash': ' /ExternalUrl '\ncondition: keywords", true)]
    [InlineData("keywords:\n  '|startswith': 'Set-Oab'\ncondition: keywords", true)]
    [InlineData("keywords:\n  '|startswith': 'OabVirtual'\ncondition: keywords", false)]
    [InlineData("keywords:\n  '|cased': 'oabvirtualdirectory'\ncondition: keywords", false)]
    [InlineData("keywords:\n  '|re': 'Oab\\w+ -E'\ncondition: keywords", true)]
    [InlineData("keywords:\n  - 'Set-*Directory'\ncondition: keywords", true)]
    [InlineData("keywords:\n  - '7'\ncondition: keywords", false)]
    [InlineData("keywords:\n  '|neq': 'OabVirtualDirectory'\ncondition: keywords", false)]
    public void Keywords_are_searched_in_every_string_field_with_or_without_modifiers(string detection, bool expected)
    {
        Assert.Equal(expected, Sigma.Matches(detection, Exchange));
    }

    [Fact]
    public void A_base64offset_keyword_is_searched_as_a_substring_once_encoded()
    {
        var encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("xx Invoke-Mimikatz yy"));
        Assert.True(Sigma.Matches("keywords:\n  '|base64offset': 'Invoke-Mimikatz'\ncondition: keywords", $"\"Payload\":\"{encoded}\""));
    }

    [Fact]
    public void A_null_keyword_refuses_the_rule()
    {
        Assert.Contains("a keyword cannot be null", Sigma.Error("keywords:\n  - foo\n  - null\ncondition: keywords"), StringComparison.Ordinal);
    }
}
