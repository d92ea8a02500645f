using System.Text;

namespace Vedette.Detection.Attack;

/// <summary>RFC 4180 CSV: fields separated by commas, quoted with '"' (doubled inside), quoted fields may span lines.</summary>
internal static class CsvRecords
{
    /// <summary>The records of the text, each with the line it starts on.</summary>
    public static IEnumerable<(int Line, List<string> Fields)> Read(TextReader reader, string origin)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var start = 1;
        var quoted = false;
        var wasQuoted = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append((char)c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0 && !wasQuoted:
                    quoted = wasQuoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    wasQuoted = false;
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    yield return (start, fields);
                    fields = [];
                    field.Clear();
                    wasQuoted = false;
                    start = ++line;
                    break;
                default:
                    field.Append((char)c);
                    break;
            }
        }
        if (quoted)
        {
            throw new InvalidDataException($"{origin}:{start}: a quoted field is not closed before the end of the file");
        }
        if (field.Length > 0 || fields.Count > 0 || wasQuoted)
        {
            fields.Add(field.ToString());
            yield return (start, fields);
        }
    }
}
