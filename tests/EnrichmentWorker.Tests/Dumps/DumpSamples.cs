using System.IO.Compression;
using EnrichmentWorker.Dumps;
using EnrichmentWorker.Tests.Discogs;

namespace EnrichmentWorker.Tests.Dumps;

/// <summary>The real dump samples in tests/discogs-data/dumps, and variants of them written to a test's own folder.</summary>
internal static class DumpSamples
{
    public static string Directory { get; } = Path.Combine(Path.GetDirectoryName(DiscogsData.ApiDirectory)!, "dumps");

    public static string Masters => PathOf("discogs_20200806_masters.xml.gz");

    public static string Releases => PathOf("discogs_20200806_releases.xml.gz");

    public static string Artists => PathOf("discogs_20200806_artists.xml.gz");

    public static string Labels => PathOf("discogs_20200806_labels.xml.gz");

    public static string PathOf(string name) => Path.Combine(Directory, "philipmat-discogs-xml2db__" + name);

    public static string Text(string gzPath)
    {
        using var gzip = new GZipStream(File.OpenRead(gzPath), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return reader.ReadToEnd();
    }

    /// <summary>Writes <paramref name="xml"/> gzipped as <paramref name="name"/> in <paramref name="folder"/>.</summary>
    public static string WriteGzip(string folder, string name, string xml)
    {
        var path = Path.Combine(folder, name);
        using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        using var writer = new StreamWriter(gzip);
        writer.Write(xml);
        return path;
    }

    public static List<T> ReadAll<T>(string path, Func<System.Xml.Linq.XElement, T> map)
    {
        using var reader = new DumpXmlReader(DumpFile.Parse(path));
        var records = new List<T>();
        while (reader.Next() is { } element)
        {
            records.Add(map(element));
        }

        return records;
    }
}
