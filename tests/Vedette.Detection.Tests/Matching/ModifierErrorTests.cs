namespace Vedette.Tests.Matching;

/// <summary>
/// Modifiers and combinations that Sigma does not define refuse the rule with a reason naming the modifier, so a
/// rule never silently means something else.
/// </summary>
public sealed class ModifierErrorTests
{
    [Theory]
    [InlineData("Image|base65: x", "modifier 'base65' is not supported")]
    [InlineData("Image|contains|base64offset: x", "modifier 'base64offset' cannot encode the wildcards")]
    [InlineData("Image|base64: 'a*b'", "modifier 'base64' cannot encode the wildcards")]
    [InlineData("Image|contains|re: x", "modifier 're' must come before 'contains'")]
    [InlineData("Image|windash|cidr: 10.0.0.0/8", "modifier 'cidr' must come before 'windash'")]
    [InlineData("Image|cidr|contains: 10.0.0.0/8", "modifier 'contains' cannot be combined with 'cidr'")]
    [InlineData("Image|re|cidr: x", "modifiers 're' and 'cidr' cannot be combined")]
    [InlineData("Image|re|base64: x", "modifier 'base64' cannot be combined with 're'")]
    [InlineData("Image|re|expand: '%x%'", "modifier 'expand' cannot be combined with 're'")]
    [InlineData("Image|i: x", "modifier 'i' is a flag of 're'")]
    [InlineData("Image|contains|exists: true", "modifier 'exists' stands alone")]
    [InlineData("Image|exists: maybe", "modifier 'exists' of 'Image|exists' needs true or false")]
    [InlineData("'|exists': true", "modifier 'exists' stands alone")]
    [InlineData("'|fieldref': Image", "modifier 'fieldref' needs a field name")]
    [InlineData("Image|fieldref: 'Parent*'", "modifier 'fieldref' of 'Image|fieldref' needs field names, not patterns")]
    [InlineData("Image|hour|gte: 20", "modifiers 'hour' and 'gte' cannot be combined")]
    [InlineData("Image|hour: 24", "modifier 'hour' needs a whole number from 0 to 23")]
    [InlineData("Image|gt: many", "modifier 'gt' needs a number")]
    [InlineData("Image|cidr|cased: 10.0.0.0/8", "modifier 'cased' does not apply to 'cidr'")]
    [InlineData("Image|re: '(unclosed'", "modifier 're': invalid regular expression")]
    [InlineData("Image|wide|expand: '%x%'", "modifier 'wide' cannot encode a placeholder: put 'expand' before 'wide'")]
    [InlineData("Image|windash: '-a -b -c -d -e -f'", "modifier 'windash' expands")]
    public void An_undefined_modifier_or_combination_is_refused_naming_the_modifier(string item, string reason)
    {
        Assert.Contains(reason, Sigma.Error(Sigma.Item(item)), StringComparison.Ordinal);
    }
}
