using System.Text;

namespace EnrichmentWorker.Evaluation;

/// <summary>RFC 4180 CSV: quoted fields, doubled quotes inside. Enough for the catalogue and the evaluation set.</summary>
public static class Csv
{
    public static List<string[]> Read(string path)
    {
        var rows = new List<string[]>();
        var text = File.ReadAllText(path, Encoding.UTF8);
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    rows.Add([.. fields]);
                    fields.Clear();
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            rows.Add([.. fields]);
        }

        return rows;
    }

    public static string Line(IEnumerable<string> fields) =>
        string.Join(',', fields.Select(static f => f.Contains(',') || f.Contains('"') || f.Contains('\n') || f != f.Trim()
            ? "\"" + f.Replace("\"", "\"\"") + "\""
            : f));
}
