using System.Text;

namespace Vedette.Tests.Reference;

/// <summary>
/// Random process-creation rules over a small vocabulary of fields and values, so that random events built from
/// the same vocabulary (<see cref="RandomEvents"/>) match some of them: lists and maps, keywords, every modifier the
/// engine supports in common combinations, and conditions with and, or, not, parentheses and quantifiers.
/// </summary>
internal sealed class RandomRules(Random random)
{
    private readonly List<Hint> _hints = [];

    /// <summary>What the rules generated so far look for, so that events can contain it.</summary>
    public IReadOnlyList<Hint> Hints => _hints;

    public static readonly string[] TextFields = ["Image", "CommandLine", "ParentImage", "User", "Note", "Tags"];

    /// <summary>Values as a rule writes them (Sigma escaping, wildcards).</summary>
    public static readonly string[] Words =
    [
        "cmd", "powershell", "whoami", "-enc", "/c", " -nop ", "Invoke-Expression", "net user", @"\cmd.exe", @"C:\Windows\",
        "evil*", "*tmp*", "x?z", @"a\*b", "Admin", "SYSTEM", "\u2014w", "%temp%", @"ab\", @"\\share", "-w hidden", "/add",
    ];

    /// <summary>Texts the encoding modifiers look for, few so that encoded events often contain them.</summary>
    public static readonly string[] EncodedWords = ["Invoke-Mimikatz", "cmd", "/bin/sh", "whoami", "IEX (", "ab"];

    public static readonly string[] Networks = ["10.0.0.0/8", "10.1.0.0/16", "192.168.1.0/24", "0.0.0.0/0", "fe80::/10"];

    public static readonly Dictionary<string, IReadOnlyList<string>> Placeholders = new()
    {
        ["Admins"] = ["Admin", "root*"],
        ["Shells"] = ["cmd", "powershell"],
    };

    private static readonly (string Pattern, string Sample)[] Patterns =
        [("who(am)?i", "whoami"), ("^C:", @"C:\x"), (@"\.exe$", "run.exe"), ("P[a-z]+shell", "Powershell"), ("a.b", "a-b"), ("(evil|tmp)", "tmp"), (@"-\w+", "-enc")];

    private static readonly (string Value, string Sample)[] Expansions =
        [("%Admins%", "Admin"), ("%Admins%", "rootkit"), ("%Shells%", "powershell"), (@"\%x%Shells%", "%xcmd"), ("run %Shells% /c", "run cmd /c")];
    private static readonly string[] SearchNames = ["selection", "sel_a", "sel_b", "filter_a", "filter_b", "keywords", "_aux"];
    private static readonly string[] Quantified = ["sel_*", "filter_*", "selection*", "*"];

    public string Next(string id)
    {
        var names = SearchNames.OrderBy(_ => random.Next()).Take(random.Next(1, 5)).ToList();
        var yaml = new StringBuilder($"title: Random {id}\nid: {id}\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n");
        foreach (var name in names)
        {
            yaml.Append($"  {name}:\n").Append(Search());
        }
        yaml.Append($"  condition: {Condition(names, depth: 0)}\nlevel: low\n");
        return yaml.ToString();
    }

    /// <summary>A rule of one item: no other item or condition can mask what that item's modifiers decide.</summary>
    public string NextItem(string id)
    {
        var item = random.NextDouble() < 0.1
            ? $"  keywords:\n    '{Pick(["|all", "|windash", "|contains|all"])}':\n      - {Quote(Keyword())}\n      - {Quote(Keyword())}\n"
            : $"  sel:\n    {Item("      ", Pick([.. TextFields, "Count", "SourceIp"]))}";
        return $"title: Item {id}\nid: {id}\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n{item}  condition: {(item.StartsWith("  sel", StringComparison.Ordinal) ? "sel" : "keywords")}\nlevel: low\n";
    }

    private string Search()
    {
        var roll = random.NextDouble();
        if (roll < 0.12)
        {
            var (first, second) = (Keyword(), Keyword());
            return roll < 0.06 ? $"    - {Quote(first)}\n    - {Quote(second)}\n" : $"    '{Pick(["|all", "|windash", "|contains|all"])}':\n      - {Quote(first)}\n      - {Quote(second)}\n";
        }
        if (roll < 0.25)
        {
            return $"    - {Item("      ")}    - {Item("      ")}";
        }
        var items = new StringBuilder();
        foreach (var field in TextFields.Append("Count").Append("SourceIp").OrderBy(_ => random.Next()).Take(random.Next(1, 4)))
        {
            items.Append("    ").Append(Item("      ", field));
        }
        return items.ToString();
    }

    /// <summary>One `Field|modifiers: value(s)` line (and list lines indented by <paramref name="indent"/>).</summary>
    private string Item(string indent, string? field = null)
    {
        field ??= Pick(TextFields);
        var neq = random.NextDouble() < 0.07 ? "|neq" : "";
        var roll = random.NextDouble();
        if (field == "Count")
        {
            return $"Count{Pick(["", "|gt", "|gte", "|lt", "|lte"])}{neq}: {random.Next(0, 11)}\n";
        }
        if (field == "SourceIp")
        {
            return roll < 0.8 ? $"SourceIp|cidr{neq}: {Quote(Pick(Networks))}\n" : $"SourceIp{neq}: '10.1.2.3'\n";
        }
        switch (roll)
        {
            case < 0.05:
                return $"{field}|exists: {(random.Next(2) == 0 ? "true" : "false")}\n";
            case < 0.10:
                return $"{field}{neq}: null\n";
            case < 0.16:
                var other = Pick(TextFields);
                _hints.Add(new Hint(field, other, HintKind.FieldReference));
                return $"{field}|fieldref{Pick(["", "|contains", "|startswith", "|endswith"])}{Pick(["", "", "|cased"])}{neq}: {other}\n";
            case < 0.25:
                var (pattern, sample) = Pick(Patterns);
                _hints.Add(new Hint(field, sample, HintKind.Text));
                return $"{field}|re{Pick(["", "", "|i"])}{neq}: {Quote(pattern)}\n";
            case < 0.35:
                var word = Pick(EncodedWords);
                _hints.Add(new Hint(field, word, HintKind.Encoded));
                return $"{field}|{Pick(["base64offset|contains", "wide|base64offset|contains", "base64|contains", "utf16le|base64offset|contains"])}{neq}: {Quote(word)}\n";
            case < 0.40:
                var (value, expanded) = Pick(Expansions);
                _hints.Add(new Hint(field, expanded, HintKind.Text));
                return $"{field}|expand{Pick(["", "|contains"])}{neq}: {Quote(value)}\n";
            default:
                return TextItem(field, neq, indent);
        }
    }

    private string Keyword()
    {
        var word = Pick(Words);
        _hints.Add(new Hint("*", word, HintKind.Sigma));
        return word;
    }

    private string TextItem(string field, string neq, string indent)
    {
        var modifiers = new List<string>();
        if (Pick(["", "|contains", "|contains", "|startswith", "|endswith"]) is { Length: > 0 } shape)
        {
            modifiers.Add(shape);
        }
        if (random.NextDouble() < 0.3)
        {
            modifiers.Insert(random.Next(modifiers.Count + 1), "|windash");
        }
        if (random.NextDouble() < 0.1)
        {
            modifiers.Add("|cased");
        }
        var values = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Pick(Words)).ToList();
        _hints.AddRange(values.Select(v => new Hint(field, v, HintKind.Sigma)));
        if (values.Count > 1 && random.NextDouble() < 0.4)
        {
            modifiers.Add("|all");
        }
        var key = field + string.Concat(modifiers) + neq;
        return values.Count == 1
            ? $"{key}: {Quote(values[0])}\n"
            : $"{key}:\n" + string.Concat(values.Select(v => $"{indent}- {Quote(v)}\n"));
    }

    private string Condition(List<string> names, int depth)
    {
        var roll = random.NextDouble();
        if (depth >= 3 || roll < 0.35)
        {
            var patterns = Quantified.Where(p => names.Any(n => Glob(p, n))).ToList();
            var them = names.Any(n => !n.StartsWith('_'));
            return random.NextDouble() switch
            {
                < 0.15 when patterns.Count > 0 => $"{Pick(["1", "all"])} of {Pick(patterns)}",
                < 0.22 when them => $"{Pick(["1", "all"])} of them",
                _ => Pick(names),
            };
        }
        return roll switch
        {
            < 0.5 => "not " + Condition(names, depth + 1),
            // Without parentheses the two parsers must agree on precedence, too.
            < 0.8 => $"{Condition(names, depth + 1)} {Pick(["and", "or"])} {Condition(names, depth + 1)}",
            _ => $"({Condition(names, depth + 1)} {Pick(["and", "or"])} {Condition(names, depth + 1)})",
        };
    }

    private static bool Glob(string pattern, string name) =>
        pattern == "*" || (pattern.EndsWith('*') && name.StartsWith(pattern[..^1], StringComparison.Ordinal));

    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}

internal enum HintKind
{
    /// <summary>A Sigma value: an event value it matches is built from it.</summary>
    Sigma,

    /// <summary>A plain text to put in the field as it is.</summary>
    Text,

    /// <summary>A text to put in the field base64-encoded (as UTF-8 or UTF-16LE) at some offset.</summary>
    Encoded,

    /// <summary>The name of another field whose value the field should repeat, whole or in part.</summary>
    FieldReference,
}

/// <summary>What a generated rule item looks for in a field ("*" for keywords).</summary>
internal sealed record Hint(string Field, string Value, HintKind Kind);
