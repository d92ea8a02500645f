using Vedette.Domain;
using Vedette.Ingest;

namespace Vedette.Tests.Ingest;

/// <summary>Checked line by line against loghub's structured CSV, whose template ids nobody on the team assigned.</summary>
public sealed class SshdMessageTests
{
    private static IEnumerable<(string Content, string Template)> LoghubLines()
    {
        var path = SharedData.Path("linux-auth", "OpenSSH", "OpenSSH_2k.log_structured.csv");
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var cells = Csv(line);
            yield return (cells[6], cells[7]);
        }
    }

    [Fact]
    public void Every_failed_and_accepted_password_line_of_loghub_decodes_to_outcome_user_and_address()
    {
        var counts = new Dictionary<string, int>();
        foreach (var (content, template) in LoghubLines())
        {
            var fields = new Dictionary<string, FieldValue>();
            SshdMessage.AddFields(content, fields);
            var outcome = fields.TryGetValue("outcome", out var o) ? o.Text : null;
            switch (template)
            {
                case "E9" or "E10":
                    Assert.Equal("failure", outcome);
                    Assert.Equal(template == "E10" ? "invalid_user" : "bad_password", fields["reason"].Text);
                    AssertAddress(content, fields);
                    break;
                case "E1":
                    Assert.Equal("success", outcome);
                    AssertAddress(content, fields);
                    break;
                case "E13":
                    Assert.Equal("failure", outcome);
                    Assert.Equal("invalid_user", fields["reason"].Text);
                    break;
                case "E2":
                    Assert.Null(outcome);
                    AssertAddress(content, fields);
                    break;
                default:
                    Assert.Null(outcome);
                    break;
            }
            counts[template] = counts.GetValueOrDefault(template) + 1;
        }
        // SOURCES.md: E9 383 lines, E10 135, E1 1.
        Assert.Equal(383, counts["E9"]);
        Assert.Equal(135, counts["E10"]);
        Assert.Equal(1, counts["E1"]);
    }

    private static void AssertAddress(string content, Dictionary<string, FieldValue> fields)
    {
        var ip = fields["src_ip"].Text!;
        Assert.True(Observable.TryParse(ObservableType.Ipv4, ip, out _), $"'{ip}' from '{content}' is no address");
        Assert.Contains(ip, content, StringComparison.Ordinal);
    }

    private static List<string> Csv(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }
        cells.Add(cell.ToString());
        return cells;
    }
}
