using System.Text.Json;
using Vedette.Detection.Attack;

namespace Vedette.Cli.Commands;

/// <summary>A rule's ATT&amp;CK techniques as the rules and hunt commands print them: ids always, names and tactics with a catalog.</summary>
internal static class RulesAttack
{
    public static AttackCatalog? LoadCatalog(string? path) => path is null ? null : AttackCatalog.Load(path);

    /// <summary>"techniques": [{"id", "name"?, "tactics"?}] — name and tactics only when a catalog was given.</summary>
    public static void WriteTechniques(Utf8JsonWriter writer, IEnumerable<string> tags, AttackCatalog? catalog)
    {
        writer.WriteStartArray("techniques");
        foreach (var technique in Techniques(tags, catalog))
        {
            writer.WriteStartObject();
            writer.WriteString("id", technique.Id);
            if (catalog is not null)
            {
                writer.WriteString("name", technique.Name);
                writer.WriteStartArray("tactics");
                foreach (var tactic in technique.Tactics)
                {
                    writer.WriteStringValue(tactic);
                }
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>"T1110.001 Brute Force: Password Guessing (Credential Access)" with a catalog, the ids alone without.</summary>
    public static string Describe(IEnumerable<string> tags, AttackCatalog? catalog) =>
        string.Join("; ", Techniques(tags, catalog).Select(t => catalog is null ? t.Id : $"{t.Id} {t.Name} ({string.Join(", ", t.Tactics)})"));

    private static IEnumerable<AttackTag> Techniques(IEnumerable<string> tags, AttackCatalog? catalog) =>
        (catalog ?? AttackCatalog.Empty).ResolveAll(tags).Where(t => t.Kind == AttackTagKind.Technique);
}
