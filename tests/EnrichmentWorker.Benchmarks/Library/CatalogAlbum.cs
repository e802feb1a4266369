using System.Globalization;
using System.Text;

namespace EnrichmentWorker.Benchmarks.Library;

/// <summary>One album of tests/discogs-data/catalog/albums.csv: real titles, artists, years and master ids.</summary>
public sealed record CatalogAlbum(string Title, string Artist, int? Year, long? MasterId, long? ReleaseId, IReadOnlyList<string> Genres)
{
    /// <summary>Reads the catalogue file (no header: title, artist, year, lists, master URL, artist ids, genres, styles).</summary>
    public static IReadOnlyList<CatalogAlbum> ReadAll(string path)
    {
        var albums = new List<CatalogAlbum>();
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = SplitCsvLine(line);
            if (fields.Count < 7)
            {
                continue;
            }

            int? year = int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var y) ? y : null;
            // The URL names a master, or a release for albums that have no master on Discogs.
            var url = fields[4];
            var slash = url.LastIndexOf('/');
            long? id = slash >= 0 && long.TryParse(url[(slash + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
            var isMaster = url.Contains("/master/", StringComparison.Ordinal);
            var genres = fields[6].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            albums.Add(new CatalogAlbum(fields[0], fields[1], year, isMaster ? id : null, isMaster ? null : id, genres));
        }

        return albums;
    }

    private static List<string> SplitCsvLine(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
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
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
