using System.Globalization;
using System.IO.Compression;
using System.Xml;
using System.Xml.Linq;

namespace EnrichmentWorker.DiscogsSimulator;

/// <summary>What the dump samples give the catalogue: real masters and releases (decoys that search finds) and pools of
/// real track titles and credits to dress the generated releases.</summary>
internal sealed class DumpData
{
    public List<SimMaster> Masters { get; } = [];

    public List<SimRelease> Releases { get; } = [];

    public List<string> TrackTitles { get; } = [];

    public List<Credit> ExtraArtists { get; } = [];
}

/// <summary>Reads the monthly XML dump samples (gzip) record by record with System.Xml.</summary>
internal static class DumpReader
{
    public static DumpData Read(string dumpsDirectory, ArtistRegistry artists, LabelRegistry labels)
    {
        var data = new DumpData();
        var releasesFile = Directory.GetFiles(dumpsDirectory, "*releases.xml.gz").FirstOrDefault();
        if (releasesFile is not null)
        {
            foreach (var element in Records(releasesFile, "release"))
            {
                var release = ReadRelease(element, artists, labels);
                data.Releases.Add(release);
                data.TrackTitles.AddRange(release.Tracklist.Select(t => t.Title).Where(t => t.Length is > 2 and < 40));
                data.ExtraArtists.AddRange(release.ExtraArtists.Where(c => c.Role.Length > 0));
            }
        }

        var mastersFile = Directory.GetFiles(dumpsDirectory, "*masters.xml.gz").FirstOrDefault();
        if (mastersFile is not null)
        {
            var releasesByMaster = data.Releases.Where(r => r.MasterId is not null).ToLookup(r => r.MasterId!.Value);
            foreach (var element in Records(mastersFile, "master"))
            {
                var id = Long(element.Attribute("id")?.Value) ?? 0;
                var master = new SimMaster
                {
                    Id = id,
                    Title = (string?)element.Element("title") ?? "",
                    Artists = Credits(element.Element("artists"), artists),
                    Year = (int?)Long((string?)element.Element("year")) ?? 0,
                    Genres = [.. element.Element("genres")?.Elements("genre").Select(e => e.Value) ?? []],
                    Styles = [.. element.Element("styles")?.Elements("style").Select(e => e.Value) ?? []],
                    DataQuality = (string?)element.Element("data_quality") ?? "Needs Vote",
                    MainReleaseIdOverride = Long((string?)element.Element("main_release")),
                };
                master.Versions.AddRange(releasesByMaster[id]);
                if (master.Versions.Count > 0)
                {
                    data.Masters.Add(master);
                }
            }
        }

        return data;
    }

    private static IEnumerable<XElement> Records(string path, string name)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = XmlReader.Create(gzip, new XmlReaderSettings { IgnoreWhitespace = true });
        reader.MoveToContent();
        reader.Read();
        while (!reader.EOF)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.Name == name)
            {
                yield return (XElement)XNode.ReadFrom(reader);
            }
            else
            {
                reader.Read();
            }
        }
    }

    private static SimRelease ReadRelease(XElement element, ArtistRegistry artists, LabelRegistry labels)
    {
        var released = (string?)element.Element("released") ?? "";
        var masterElement = element.Element("master_id");
        var hash = TextFolding.StableHash(element.Attribute("id")?.Value ?? "");
        var forSale = (int)(hash % 23);
        return new SimRelease
        {
            Id = Long(element.Attribute("id")?.Value) ?? 0,
            MasterId = Long(masterElement?.Value),
            Title = (string?)element.Element("title") ?? "",
            Artists = Credits(element.Element("artists"), artists),
            ExtraArtists = Credits(element.Element("extraartists"), artists),
            Year = released.Length >= 4 && int.TryParse(released[..4], CultureInfo.InvariantCulture, out var y) ? y : 0,
            Released = released,
            Country = (string?)element.Element("country") ?? "",
            Formats = [.. element.Element("formats")?.Elements("format").Select(f => new FormatEntry(
                f.Attribute("name")?.Value ?? "",
                (int?)Long(f.Attribute("qty")?.Value) ?? 1,
                [.. f.Element("descriptions")?.Elements("description").Select(d => d.Value) ?? []],
                f.Attribute("text")?.Value ?? "")) ?? []],
            Labels = [.. element.Element("labels")?.Elements("label").Select(l => new LabelCredit(
                labels.GetOrAdd(Long(l.Attribute("id")?.Value) ?? 0, l.Attribute("name")?.Value ?? ""),
                l.Attribute("catno")?.Value ?? "")) ?? []],
            Identifiers = [.. element.Element("identifiers")?.Elements("identifier").Select(i => new Identifier(
                i.Attribute("type")?.Value ?? "",
                i.Attribute("value")?.Value ?? "",
                i.Attribute("description")?.Value)) ?? []],
            Genres = [.. element.Element("genres")?.Elements("genre").Select(e => e.Value) ?? []],
            Styles = [.. element.Element("styles")?.Elements("style").Select(e => e.Value) ?? []],
            Tracklist = [.. element.Element("tracklist")?.Elements("track").Select(t => new Track(
                (string?)t.Element("position") ?? "",
                (string?)t.Element("title") ?? "",
                (string?)t.Element("duration") ?? "")) ?? []],
            Notes = (string?)element.Element("notes") ?? "",
            DataQuality = (string?)element.Element("data_quality") ?? "Needs Vote",
            Have = (int)(hash % 700),
            Want = (int)(hash / 7 % 400),
            RatingCount = (int)(hash % 40),
            RatingAverage = 3 + (hash % 200 / 100.0),
            NumForSale = forSale,
            LowestPrice = forSale == 0 ? null : 1.5m + (hash % 3000 / 100m),
            ImageCount = Math.Max(1, element.Element("images")?.Elements("image").Count() ?? 0),
        };
    }

    private static List<Credit> Credits(XElement? artistsElement, ArtistRegistry artists) =>
        artistsElement is null
            ? []
            : [.. artistsElement.Elements("artist").Select(a => new Credit(
                artists.GetOrAdd(Long((string?)a.Element("id")) ?? 0, (string?)a.Element("name") ?? ""),
                (string?)a.Element("anv") ?? "",
                (string?)a.Element("join") ?? "",
                (string?)a.Element("role") ?? "",
                (string?)a.Element("tracks") ?? ""))];

    private static long? Long(string? text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}

/// <summary>Artists by id: the first name seen for an id wins, as the API has one name per artist.</summary>
internal sealed class ArtistRegistry
{
    public Dictionary<long, SimArtist> ById { get; } = [];

    public SimArtist GetOrAdd(long id, string name)
    {
        if (!ById.TryGetValue(id, out var artist))
        {
            artist = new SimArtist(id, name);
            ById[id] = artist;
        }

        return artist;
    }
}

internal sealed class LabelRegistry
{
    public Dictionary<long, SimLabel> ById { get; } = [];

    public SimLabel GetOrAdd(long id, string name)
    {
        if (!ById.TryGetValue(id, out var label))
        {
            label = new SimLabel(id, name);
            ById[id] = label;
        }

        return label;
    }
}
