using System.Text;

namespace EnrichmentWorker.DiscogsSimulator;

/// <summary>
/// RFC 4180 records: quoted fields, "" for a quote inside, CRLF or LF line ends. The one reader of the catalogue and
/// the evaluation set, shared by the simulator, the benchmarks and the evaluation so they cannot read a row differently.
/// </summary>
public static class CsvRecords
{
    public static IEnumerable<List<string>> Read(string path) => Parse(File.ReadAllText(path, Encoding.UTF8));

    public static IEnumerable<List<string>> Parse(string text)
    {
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
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                fields.Add(field.ToString());
                field.Clear();
                yield return fields;
                fields = [];
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return fields;
        }
    }
}
