using System.Text.RegularExpressions;
using Vedette.Detection.Rules;

namespace Vedette.Detection.Matching.Modifiers;

/// <summary>What a detection item's values are once its modifiers have applied.</summary>
internal enum ValueKind
{
    /// <summary>Sigma strings with wildcards, possibly transformed (windash, expand, encodings).</summary>
    Text,
    Regex,
    Cidr,
    Number,
    TimePart,
    FieldReference,
    Exists,
}

/// <summary>The modifiers that rewrite a string value, in the order the rule names them.</summary>
internal enum TextStep
{
    Contains,
    StartsWith,
    EndsWith,
    Windash,
    Expand,
    Utf16Le,
    Utf16Be,
    Utf16,
    Base64,
    Base64Offset,
}

internal enum TimePart
{
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

/// <summary>
/// The modifiers of one detection item (`Field|mod1|mod2`), checked once: which kind of value they make, the string
/// rewrites in the rule's order, and the flags. Combinations Sigma does not define are refused here, naming the
/// modifier, so that no rule silently means something else.
/// </summary>
internal sealed class ModifierChain
{
    private readonly List<(TextStep Step, string Name)> _steps = [];
    private string? _typedBy;

    private ModifierChain()
    {
    }

    /// <summary>A plain value: no modifiers.</summary>
    public static ModifierChain None { get; } = new();

    public ValueKind Kind { get; private set; } = ValueKind.Text;

    /// <summary>`all`: every value must match, not any one.</summary>
    public bool All { get; private set; }

    /// <summary>`neq`: the item matches where it would not.</summary>
    public bool Negate { get; private set; }

    /// <summary>`cased`: compare case-sensitively.</summary>
    public bool Cased { get; private set; }

    public IReadOnlyList<(TextStep Step, string Name)> Steps => _steps;

    /// <summary>Whether contains, startswith or endswith is named (a keyword without one is searched as a substring).</summary>
    public bool HasShape { get; private set; }

    /// <summary>Whether values are parsed for %placeholders%.</summary>
    public bool Expands => _steps.Exists(s => s.Step == TextStep.Expand);

    public RegexOptions RegexOptions { get; private set; }

    public NumericComparison Comparison { get; private set; }

    public TimePart TimePart { get; private set; }

    /// <summary>With fieldref: the other field's value must start (and/or end) the field's value rather than equal it.</summary>
    public bool ReferenceStartsWith { get; private set; }

    public bool ReferenceEndsWith { get; private set; }

    public static ModifierChain Parse(IReadOnlyList<string> names, bool keyword, int line)
    {
        if (names.Count == 0)
        {
            return None;
        }
        var chain = new ModifierChain();
        foreach (var raw in names)
        {
            chain.Add(raw.ToLowerInvariant(), names.Count, keyword, line);
        }
        if (chain.Cased && chain.Kind is not (ValueKind.Text or ValueKind.FieldReference))
        {
            throw new RuleFormatException(line, $"modifier 'cased' does not apply to '{chain._typedBy}' values");
        }
        return chain;
    }

    private void Add(string name, int count, bool keyword, int line)
    {
        switch (name)
        {
            case "all":
                All = true;
                break;
            case "neq":
                Negate = true;
                break;
            case "cased":
                Cased = true;
                break;
            case "exists":
                if (count > 1 || keyword)
                {
                    throw new RuleFormatException(line, "modifier 'exists' stands alone after a field name: 'Field|exists: true'");
                }
                Kind = ValueKind.Exists;
                break;
            case "re":
                Type(ValueKind.Regex, name, line);
                break;
            case "cidr":
                Type(ValueKind.Cidr, name, line);
                break;
            case "lt" or "lte" or "gt" or "gte":
                Type(ValueKind.Number, name, line);
                Comparison = Enum.Parse<NumericComparison>(name, ignoreCase: true);
                break;
            case "minute" or "hour" or "day" or "week" or "month" or "year":
                Type(ValueKind.TimePart, name, line);
                TimePart = Enum.Parse<TimePart>(name, ignoreCase: true);
                break;
            case "fieldref":
                if (keyword)
                {
                    throw new RuleFormatException(line, "modifier 'fieldref' needs a field name to compare with");
                }
                Type(ValueKind.FieldReference, name, line);
                break;
            case "i" or "ignorecase":
                RegexFlag(RegexOptions.IgnoreCase, name, line);
                break;
            case "m" or "multiline":
                RegexFlag(RegexOptions.Multiline, name, line);
                break;
            case "s" or "dotall":
                RegexFlag(RegexOptions.Singleline, name, line);
                break;
            case "contains" or "startswith" or "endswith":
                Shape(name, line);
                break;
            case "windash" or "expand" or "wide" or "utf16le" or "utf16be" or "utf16" or "base64" or "base64offset":
                Require(ValueKind.Text, name, line);
                _steps.Add((StepOf(name), name));
                break;
            default:
                throw new RuleFormatException(line, $"modifier '{name}' is not supported: it is not one of Sigma 2.1's modifiers");
        }
    }

    /// <summary>re, cidr, the comparisons, the time parts and fieldref take the value as written, so they come first.</summary>
    private void Type(ValueKind kind, string name, int line)
    {
        if (Kind != ValueKind.Text)
        {
            throw new RuleFormatException(line, $"modifiers '{_typedBy}' and '{name}' cannot be combined");
        }
        if (_steps.Count > 0)
        {
            throw new RuleFormatException(line, $"modifier '{name}' must come before '{_steps[0].Name}': it takes the value as written");
        }
        Kind = kind;
        _typedBy = name;
    }

    private void Require(ValueKind kind, string name, int line)
    {
        if (Kind != kind)
        {
            throw new RuleFormatException(line, $"modifier '{name}' cannot be combined with '{_typedBy}'");
        }
    }

    private void RegexFlag(RegexOptions flag, string name, int line)
    {
        if (Kind != ValueKind.Regex)
        {
            throw new RuleFormatException(line, $"modifier '{name}' is a flag of 're' and must follow it");
        }
        RegexOptions |= flag;
    }

    private void Shape(string name, int line)
    {
        HasShape = true;
        switch (Kind)
        {
            case ValueKind.Text:
                _steps.Add((StepOf(name), name));
                break;
            case ValueKind.Regex:
                // A regular expression is searched anywhere in the value already: open-ended on both sides.
                break;
            case ValueKind.FieldReference:
                ReferenceStartsWith |= name is "startswith" or "contains";
                ReferenceEndsWith |= name is "endswith" or "contains";
                break;
            default:
                throw new RuleFormatException(line, $"modifier '{name}' cannot be combined with '{_typedBy}'");
        }
    }

    private static TextStep StepOf(string name) => name switch
    {
        "contains" => TextStep.Contains,
        "startswith" => TextStep.StartsWith,
        "endswith" => TextStep.EndsWith,
        "windash" => TextStep.Windash,
        "expand" => TextStep.Expand,
        "wide" or "utf16le" => TextStep.Utf16Le,
        "utf16be" => TextStep.Utf16Be,
        "utf16" => TextStep.Utf16,
        "base64" => TextStep.Base64,
        _ => TextStep.Base64Offset,
    };
}
