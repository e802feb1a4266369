using System.Globalization;
using System.IO.Compression;
using System.Xml;

namespace EnrichmentWorker.DiscogsSimulator;

/// <summary>
/// Writes records in the shape of Discogs' monthly XML dumps (as the real 2020 samples in tests/discogs-data/dumps
/// have them: one record a line, empty elements for empty fields), gzipped. Used to export the simulator's catalogue
/// as a dump and by the benchmark's full-scale generator.
/// </summary>
public sealed class DumpXmlWriter : IDisposable
{
    private readonly GZipStream gzip;
    private readonly XmlWriter xml;

    public DumpXmlWriter(string path, string root)
    {
        gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        xml = XmlWriter.Create(gzip, new XmlWriterSettings { OmitXmlDeclaration = true, Indent = false, NewLineHandling = NewLineHandling.None });
        xml.WriteStartElement(root);
        xml.WriteRaw("\n");
    }

    /// <summary>An artist credit as the dumps write it: id, name, anv, join, role, tracks.</summary>
    public readonly record struct CreditXml(long Id, string Name, string Anv = "", string Join = "", string Role = "", string Tracks = "");

    public readonly record struct TrackXml(string Position, string Title, string Duration);

    public readonly record struct FormatXml(string Name, int Quantity, string Text, IReadOnlyList<string> Descriptions);

    public readonly record struct LabelXml(long Id, string Name, string CatalogNumber);

    public readonly record struct IdentifierXml(string Type, string Description, string Value);

    public void Master(long id, long mainRelease, IReadOnlyList<CreditXml> artists, IReadOnlyList<string> genres, IReadOnlyList<string> styles, int year, string title, string dataQuality)
    {
        xml.WriteStartElement("master");
        xml.WriteAttributeString("id", Number(id));
        xml.WriteElementString("main_release", Number(mainRelease));
        Credits("artists", artists);
        Words("genres", "genre", genres);
        Words("styles", "style", styles);
        xml.WriteElementString("year", Number(year));
        xml.WriteElementString("title", title);
        xml.WriteElementString("data_quality", dataQuality);
        End();
    }

    public void Release(
        long id, IReadOnlyList<CreditXml> artists, string title, IReadOnlyList<LabelXml> labels, IReadOnlyList<CreditXml> extraArtists,
        IReadOnlyList<FormatXml> formats, IReadOnlyList<string> genres, IReadOnlyList<string> styles, string country, string released,
        string notes, string dataQuality, long? masterId, bool isMainRelease, IReadOnlyList<TrackXml> tracklist, IReadOnlyList<IdentifierXml> identifiers)
    {
        xml.WriteStartElement("release");
        xml.WriteAttributeString("id", Number(id));
        xml.WriteAttributeString("status", "Accepted");
        Credits("artists", artists);
        xml.WriteElementString("title", title);
        xml.WriteStartElement("labels");
        foreach (var label in labels)
        {
            xml.WriteStartElement("label");
            xml.WriteAttributeString("name", label.Name);
            xml.WriteAttributeString("catno", label.CatalogNumber);
            xml.WriteAttributeString("id", Number(label.Id));
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        Credits("extraartists", extraArtists);
        xml.WriteStartElement("formats");
        foreach (var format in formats)
        {
            xml.WriteStartElement("format");
            xml.WriteAttributeString("name", format.Name);
            xml.WriteAttributeString("qty", Number(format.Quantity));
            xml.WriteAttributeString("text", format.Text);
            Words("descriptions", "description", format.Descriptions);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        Words("genres", "genre", genres);
        Words("styles", "style", styles);
        if (country.Length > 0)
        {
            xml.WriteElementString("country", country);
        }

        if (released.Length > 0)
        {
            xml.WriteElementString("released", released);
        }

        if (notes.Length > 0)
        {
            xml.WriteElementString("notes", notes);
        }

        xml.WriteElementString("data_quality", dataQuality);
        if (masterId is { } master)
        {
            xml.WriteStartElement("master_id");
            xml.WriteAttributeString("is_main_release", isMainRelease ? "true" : "false");
            xml.WriteString(Number(master));
            xml.WriteEndElement();
        }

        xml.WriteStartElement("tracklist");
        foreach (var track in tracklist)
        {
            xml.WriteStartElement("track");
            xml.WriteElementString("position", track.Position);
            xml.WriteElementString("title", track.Title);
            xml.WriteElementString("duration", track.Duration);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteStartElement("identifiers");
        foreach (var identifier in identifiers)
        {
            xml.WriteStartElement("identifier");
            xml.WriteAttributeString("type", identifier.Type);
            xml.WriteAttributeString("description", identifier.Description);
            xml.WriteAttributeString("value", identifier.Value);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        End();
    }

    public void Artist(long id, string name, string realName, IReadOnlyList<string> nameVariations)
    {
        xml.WriteStartElement("artist");
        xml.WriteElementString("id", Number(id));
        xml.WriteElementString("name", name);
        if (realName.Length > 0)
        {
            xml.WriteElementString("realname", realName);
        }

        xml.WriteStartElement("profile");
        xml.WriteEndElement();
        xml.WriteElementString("data_quality", "Needs Vote");
        if (nameVariations.Count > 0)
        {
            Words("namevariations", "name", nameVariations);
        }

        End();
    }

    public void Label(long id, string name)
    {
        xml.WriteStartElement("label");
        xml.WriteElementString("id", Number(id));
        xml.WriteElementString("name", name);
        xml.WriteElementString("data_quality", "Needs Vote");
        End();
    }

    private void Credits(string element, IReadOnlyList<CreditXml> credits)
    {
        xml.WriteStartElement(element);
        foreach (var credit in credits)
        {
            xml.WriteStartElement("artist");
            xml.WriteElementString("id", Number(credit.Id));
            xml.WriteElementString("name", credit.Name);
            Text("anv", credit.Anv);
            Text("join", credit.Join);
            Text("role", credit.Role);
            Text("tracks", credit.Tracks);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    /// <summary>An element even when empty, written &lt;anv/&gt; as the dumps do.</summary>
    private void Text(string element, string value)
    {
        xml.WriteStartElement(element);
        if (value.Length > 0)
        {
            xml.WriteString(value);
        }

        xml.WriteEndElement();
    }

    private void Words(string list, string item, IReadOnlyList<string> words)
    {
        if (words.Count == 0)
        {
            return;
        }

        xml.WriteStartElement(list);
        foreach (var word in words)
        {
            xml.WriteElementString(item, word);
        }

        xml.WriteEndElement();
    }

    private void End()
    {
        xml.WriteEndElement();
        xml.WriteRaw("\n");
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        xml.WriteEndElement();
        xml.WriteRaw("\n");
        xml.Dispose();
        gzip.Dispose();
    }
}

/// <summary>The simulator's whole catalogue (catalogue albums, decoys, the dump samples' records) written as a monthly dump.</summary>
public static class SimulatorDumpExport
{
    public static readonly IReadOnlyList<string> Entities = ["masters", "releases", "artists", "labels"];

    /// <summary>The path of one entity's file: discogs_YYYYMMDD_{entity}.xml.gz in <paramref name="folder"/>.</summary>
    public static string PathOf(string folder, DateOnly date, string entity) =>
        Path.Combine(folder, $"discogs_{date:yyyyMMdd}_{entity}.xml.gz");

    /// <summary>Writes the four files into <paramref name="folder"/>; returns their paths, masters first.</summary>
    public static IReadOnlyList<string> Write(SimulatorCatalog catalog, string folder, DateOnly date)
    {
        using (var masters = new DumpXmlWriter(PathOf(folder, date, "masters"), "masters"))
        {
            WriteMasters(catalog, masters);
        }

        using (var releases = new DumpXmlWriter(PathOf(folder, date, "releases"), "releases"))
        {
            WriteReleases(catalog, releases);
        }

        using (var artists = new DumpXmlWriter(PathOf(folder, date, "artists"), "artists"))
        {
            WriteArtists(catalog, artists);
        }

        using (var labels = new DumpXmlWriter(PathOf(folder, date, "labels"), "labels"))
        {
            WriteLabels(catalog, labels);
        }

        return [.. Entities.Select(e => PathOf(folder, date, e))];
    }

    public static long MaxMasterId(SimulatorCatalog catalog) => catalog.Masters.Keys.Max();

    public static long MaxReleaseId(SimulatorCatalog catalog) => catalog.Releases.Keys.Max();

    public static long MaxArtistId(SimulatorCatalog catalog) => catalog.ArtistsById.Keys.Max();

    public static int WriteMasters(SimulatorCatalog catalog, DumpXmlWriter masters)
    {
        foreach (var m in catalog.Masters.Values.OrderBy(m => m.Id))
        {
            masters.Master(m.Id, m.MainReleaseId, Credits(m.Artists), m.Genres, m.Styles, m.Year, m.Title, m.DataQuality);
        }

        return catalog.Masters.Count;
    }

    public static int WriteReleases(SimulatorCatalog catalog, DumpXmlWriter releases)
    {
        foreach (var r in catalog.Releases.Values.OrderBy(r => r.Id))
        {
            var isMain = r.MasterId is { } masterId && catalog.Masters.TryGetValue(masterId, out var master) && master.MainReleaseId == r.Id;
            releases.Release(
                r.Id, Credits(r.Artists), r.Title,
                [.. r.Labels.Select(l => new DumpXmlWriter.LabelXml(l.Label.Id, l.Label.Name, l.CatalogNumber))],
                Credits(r.ExtraArtists),
                [.. r.Formats.Select(f => new DumpXmlWriter.FormatXml(f.Name, f.Quantity, f.Text, f.Descriptions))],
                r.Genres, r.Styles, r.Country, r.Released, r.Notes, r.DataQuality, r.MasterId, isMain,
                [.. r.Tracklist.Select(t => new DumpXmlWriter.TrackXml(t.Position, t.Title, t.Duration))],
                [.. r.Identifiers.Select(i => new DumpXmlWriter.IdentifierXml(i.Type, i.Description ?? "", i.Value))]);
        }

        return catalog.Releases.Count;
    }

    public static int WriteArtists(SimulatorCatalog catalog, DumpXmlWriter artists)
    {
        foreach (var a in catalog.ArtistsById.Values.OrderBy(a => a.Id))
        {
            artists.Artist(a.Id, a.Name, a.RealName, []);
        }

        return catalog.ArtistsById.Count;
    }

    public static int WriteLabels(SimulatorCatalog catalog, DumpXmlWriter labels)
    {
        foreach (var l in catalog.LabelsById.Values.OrderBy(l => l.Id))
        {
            labels.Label(l.Id, l.Name);
        }

        return catalog.LabelsById.Count;
    }

    private static List<DumpXmlWriter.CreditXml> Credits(IReadOnlyList<Credit> credits) =>
        [.. credits.Select(c => new DumpXmlWriter.CreditXml(c.Artist.Id, c.Artist.Name, c.Anv, c.Join, c.Role, c.Tracks))];
}
