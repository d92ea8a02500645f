namespace Vedette.Tests.Matching;

/// <summary>Every condition form of the rules specification (sigma-rules-specification.md, "Condition"), on its own examples.</summary>
public sealed class ConditionTests
{
    // Searches named as in the specification; the event makes keywords1, selection1, selection_a and filter_x true.
    private const string Searches = """
        keywords1:
          - 'evil'
        keywords2:
          - 'absent-keyword'
        selection1:
          EventID: 1
        selection_a:
          Image|endswith: '\cmd.exe'
        selection_b:
          Image|endswith: '\powershell.exe'
        filter_x:
          User: SYSTEM
        filter_y:
          User: LOCAL SERVICE
        _helper:
          Image: nothing
        """;

    private const string Event = "\"Image\":\"C:\\\\Windows\\\\System32\\\\cmd.exe\",\"CommandLine\":\"evil.exe\",\"User\":\"SYSTEM\"";

    private static bool Condition(string condition) => Sigma.Matches(Searches + "\ncondition: " + condition, Event);

    [Theory]
    [InlineData("keywords1 or keywords2", true)]
    [InlineData("keywords1 and keywords2", false)]
    [InlineData("keywords2 or selection1", true)]
    [InlineData("1 of them", true)]
    [InlineData("all of them", false)]
    [InlineData("all of selection_*", false)]
    [InlineData("1 of selection_*", true)]
    [InlineData("all of selection* and keywords1", false)]
    [InlineData("1 of selection* and keywords1", true)]
    [InlineData("1 of selection* and not 1 of filter*", false)]
    [InlineData("1 of selection* and not all of filter*", true)]
    [InlineData("keywords1 and not filter_y", true)]
    [InlineData("selection1 and (keywords1 or keywords2)", true)]
    [InlineData("selection1 and (keywords2 or filter_y)", false)]
    [InlineData("any of selection_*", true)]
    public void Each_condition_form_combines_the_searches(string condition, bool expected)
    {
        Assert.Equal(expected, Condition(condition));
    }

    [Theory]
    // "Operator Precedence (least to most binding): or, and, not, x of, ( expression )".
    [InlineData("keywords1 or keywords2 and keywords2", true)]
    [InlineData("(keywords1 or keywords2) and keywords2", false)]
    [InlineData("not keywords2 and keywords1", true)]
    [InlineData("not keywords1 or keywords1", true)]
    [InlineData("not (keywords1 or keywords2)", false)]
    [InlineData("not 1 of filter* and selection1", false)]
    [InlineData("not not selection1", true)]
    public void Or_binds_least_then_and_then_not_then_x_of(string condition, bool expected)
    {
        Assert.Equal(expected, Condition(condition));
    }

    [Fact]
    public void Them_leaves_out_search_identifiers_starting_with_an_underscore()
    {
        const string searches = "selection:\n  EventID: 1\n_noise:\n  EventID: 99\n";
        Assert.True(Sigma.Matches(searches + "condition: all of them", Event));
        Assert.False(Sigma.Matches(searches + "condition: selection and _noise", Event));
    }

    [Fact]
    public void A_list_of_conditions_is_or_linked()
    {
        Assert.True(Sigma.Matches(Searches + "\ncondition:\n  - keywords2\n  - selection_a", Event));
        Assert.False(Sigma.Matches(Searches + "\ncondition:\n  - keywords2\n  - selection_b", Event));
    }

    [Fact]
    public void A_list_of_maps_is_or_linked_and_a_map_is_and_linked()
    {
        // "Lists": example.exe or a description containing "Test executable"; "Maps": all pairs must hold.
        const string list = "selection:\n  - Image|endswith: '\\example.exe'\n  - Description|contains: 'Test executable'\ncondition: selection";
        Assert.True(Sigma.Matches(list, "\"Image\":\"x.exe\",\"Description\":\"A Test Executable\""));
        Assert.False(Sigma.Matches(list, "\"Image\":\"x.exe\",\"Description\":\"other\""));
        const string map = "selection:\n  EventLog: Security\n  EventID:\n    - 517\n    - 1102\ncondition: selection";
        Assert.True(Sigma.Matches(map.Replace("EventID:\n    - 517\n    - 1102", "Code:\n    - 517\n    - 1102", StringComparison.Ordinal), "\"EventLog\":\"Security\",\"Code\":1102"));
        Assert.False(Sigma.Matches(map.Replace("EventID:\n    - 517\n    - 1102", "Code:\n    - 517\n    - 1102", StringComparison.Ordinal), "\"EventLog\":\"Application\",\"Code\":1102"));
    }
}
