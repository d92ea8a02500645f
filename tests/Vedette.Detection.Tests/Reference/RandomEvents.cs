using System.Text;
using System.Text.Json;

namespace Vedette.Tests.Reference;

/// <summary>
/// Random flat Windows events whose values are built from the rules' own vocabulary (plain, re-cased, with other
/// dashes, base64- and UTF-16-encoded at random offsets, copied between fields), so that a fair share of random
/// rules match them. Process-creation events come as Sysmon 1 or as Security 4688 with its own field names; a few
/// are network events that no process-creation rule may match.
/// </summary>
internal sealed class RandomEvents(Random random)
{
    private static readonly string[] Addresses = ["10.1.2.3", "10.200.0.1", "192.168.1.20", "172.16.0.1", "fe80::1", "not an address"];
    private static readonly string[] Dashes = ["-", "/", "\u2013", "\u2014", "\u2015"];

    /// <summary>An event; about half its text fields are built from what the batch's rules look for.</summary>
    public string Next(IReadOnlyList<Hint> hints)
    {
        var fields = new Dictionary<string, object?>();
        var kind = random.NextDouble();
        var security = kind is >= 0.45 and < 0.9;
        fields["EventID"] = security ? 4688 : kind < 0.45 ? 1 : 3;
        fields["Channel"] = security ? "Security" : "Microsoft-Windows-Sysmon/Operational";
        // 4688 names two of Sysmon's fields differently; the rules' Image and ParentImage must find them there.
        string Name(string field) => security ? field switch { "Image" => "NewProcessName", "ParentImage" => "ParentProcessName", _ => field } : field;
        foreach (var field in RandomRules.TextFields)
        {
            var mine = hints.Where(h => (h.Field == field || h.Field == "*") && h.Kind != HintKind.FieldReference).ToList();
            fields[Name(field)] = random.NextDouble() switch
            {
                < 0.10 => null,
                < 0.15 => "",
                < 0.25 => Absent,
                < 0.65 when mine.Count > 0 => field == "Tags" ? new[] { Value(), FromHint(mine[random.Next(mine.Count)]) } : FromHint(mine[random.Next(mine.Count)]),
                _ when field == "Tags" => new[] { Value(), Value() },
                _ => Value(),
            };
        }
        foreach (var hint in hints.Where(h => h.Kind == HintKind.FieldReference && random.Next(4) == 0))
        {
            // The field repeats the referenced field's value, whole, in part, or within more text.
            var copy = fields.GetValueOrDefault(Name(hint.Value)) is string { Length: > 1 } text ? text : Value();
            fields[Name(hint.Value)] = copy;
            fields[Name(hint.Field)] = random.Next(5) switch
            {
                0 => copy[..(copy.Length / 2)],
                1 => copy[(copy.Length / 2)..],
                2 => "x " + copy + " y",
                3 => copy.ToUpperInvariant(),
                _ => copy,
            };
        }
        fields["Count"] = random.Next(5) == 0 ? Absent : random.Next(0, 11);
        fields["SourceIp"] = random.Next(5) == 0 ? Absent : Pick(Addresses);
        return JsonSerializer.Serialize(fields.Where(f => f.Value != Absent).ToDictionary(f => f.Key, f => f.Value));
    }

    private string FromHint(Hint hint) => hint.Kind switch
    {
        HintKind.Encoded => Encoded(hint.Value),
        HintKind.Text => Filler() + hint.Value + Filler(),
        _ => Variant(Denotation(hint.Value)),
    };

    private string Encoded(string text)
    {
        var bytes = random.Next(2) == 0 ? Encoding.UTF8.GetBytes(Filler() + text + Filler()) : Encoding.Unicode.GetBytes(Filler() + text + Filler());
        return Pick(["", "powershell -enc ", "echo "]) + Convert.ToBase64String(bytes);
    }

    private static readonly object Absent = new();

    private string Value()
    {
        var parts = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Fragment());
        return string.Join(Pick(["", " ", " ", @"\"]), parts);
    }

    private string Fragment() => random.NextDouble() switch
    {
        < 0.20 => Encoded(Pick(RandomRules.EncodedWords)),
        < 0.25 => Pick(["root", "rootkit", "run cmd /c", "%xcmd", "C:\\Windows\\System32\\cmd.exe"]),
        < 0.30 => Filler(),
        _ => Variant(Denotation(Pick(RandomRules.Words))),
    };

    /// <summary>The text as it is, in capitals, with its dashes replaced, or within more text.</summary>
    private string Variant(string text) => random.NextDouble() switch
    {
        < 0.15 => text.ToUpperInvariant(),
        < 0.45 => string.Concat(text.Select(c => c is '-' or '/' ? Pick(Dashes)[0] : c)),
        < 0.60 => Filler() + text + Filler(),
        _ => text,
    };

    /// <summary>A text the Sigma value matches: escapes resolved, each * replaced by some characters, each ? by one.</summary>
    private string Denotation(string value)
    {
        var text = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length && value[i + 1] is '*' or '?' or '\\')
            {
                text.Append(value[++i]);
            }
            else
            {
                text.Append(value[i] switch { '*' => Filler(), '?' => "q", var c => c.ToString() });
            }
        }
        return text.ToString();
    }

    private string Filler() => Pick(["", "a", "bc", "xyz", " "]);

    private T Pick<T>(T[] items) => items[random.Next(items.Length)];
}
