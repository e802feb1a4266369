using System.Diagnostics;
using System.Globalization;
using EnrichmentWorker.DiscogsSimulator;

namespace EnrichmentWorker.Benchmarks.Dumps;

public sealed record GeneratedDump(IReadOnlyList<string> Files, long Masters, long Releases, long Artists, long Labels, long Bytes, TimeSpan Elapsed);

/// <summary>
/// A monthly dump at full scale in the real XML shape: the simulator's catalogue (the real albums, the decoys and the
/// real 2020 dump samples' records) first, then generated masters up to the size asked for, with releases, artists
/// (one name variation each) and labels. Generated artists have made-up names (syllables), so they never collide with
/// a real artist; their titles are made of the catalogue's title words, so title keys collide as real ones do.
/// </summary>
public static class FullScaleDumpGenerator
{
    private const int MastersPerArtist = 5;
    private const long FirstId = 50_000_000;

    private static readonly string[] Syllables =
    [
        "ka", "lo", "mi", "ren", "tas", "vo", "qui", "zan", "bel", "dor", "fe", "gul", "hix", "jo", "ny", "pra", "sul", "tev", "ux", "wem",
    ];

    private static readonly string[] Formats = ["CD", "Vinyl", "Cassette", "File"];
    private static readonly string[] Descriptions = ["Album", "LP", "Reissue", "Remastered", "Compilation", "Stereo"];
    private static readonly string[] Countries = ["US", "UK", "Germany", "France", "Japan", "Netherlands", "Sweden", "Italy", "Canada", "Europe"];
    private static readonly string[] Roles = ["Producer", "Mixed By", "Mastered By", "Written-By", "Engineer", "Design"];

    public static GeneratedDump Write(SimulatorCatalog catalog, string folder, DateOnly date, int masters, int releases, int seed)
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(seed);
        var words = catalog.Albums.SelectMany(a => a.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(w => w.Length > 1).Distinct().ToArray();
        var genres = catalog.Albums.SelectMany(a => a.Genres).Distinct().ToArray();
        var styles = catalog.Albums.SelectMany(a => a.Styles).Distinct().ToArray();
        var path = (string entity) => SimulatorDumpExport.PathOf(folder, date, entity);

        long masterCount, releaseCount, artistCount, labelCount;
        var generatedMasters = Math.Max(0, masters - catalog.MasterCount);
        var generatedReleases = Math.Min(Math.Max(0, releases - catalog.ReleaseCount), generatedMasters);
        var artists = (generatedMasters + MastersPerArtist - 1) / MastersPerArtist;
        const int GeneratedLabels = 50_000;

        using (var writer = new DumpXmlWriter(path("masters"), "masters"))
        {
            masterCount = SimulatorDumpExport.WriteMasters(catalog, writer);
            for (var i = 0; i < generatedMasters; i++)
            {
                var artist = i / MastersPerArtist;
                writer.Master(
                    FirstId + i, FirstId + i, [new(FirstId + artist, ArtistName(artist))],
                    Pick(random, genres, 1, 2), Pick(random, styles, 0, 3), random.Next(1950, 2021), Title(random, words), "Correct");
                masterCount++;
            }
        }

        using (var writer = new DumpXmlWriter(path("releases"), "releases"))
        {
            releaseCount = SimulatorDumpExport.WriteReleases(catalog, writer);
            for (var i = 0; i < generatedReleases; i++)
            {
                var artist = i / MastersPerArtist;
                var tracks = Enumerable.Range(1, random.Next(6, 14))
                    .Select(t => new DumpXmlWriter.TrackXml(t.ToString(CultureInfo.InvariantCulture), Title(random, words), $"{random.Next(2, 8)}:{random.Next(0, 60):00}"))
                    .ToList();
                var year = random.Next(1950, 2021);
                writer.Release(
                    FirstId + i, [new(FirstId + artist, ArtistName(artist))], Title(random, words),
                    [new(FirstId + random.Next(GeneratedLabels), LabelName(random.Next(GeneratedLabels)), $"CAT-{random.Next(100000):00000}")],
                    [new(FirstId + random.Next(artists), ArtistName(random.Next(artists)), Role: Roles[random.Next(Roles.Length)])],
                    [new(Formats[random.Next(Formats.Length)], 1, "", Pick(random, Descriptions, 1, 3))],
                    Pick(random, genres, 1, 2), Pick(random, styles, 0, 3), Countries[random.Next(Countries.Length)],
                    $"{year}-{random.Next(1, 13):00}-00", "", "Needs Vote", FirstId + i, true, tracks,
                    [new("Barcode", "", random.NextInt64(100_000_000_000, 999_999_999_999).ToString(CultureInfo.InvariantCulture))]);
                releaseCount++;
            }
        }

        using (var writer = new DumpXmlWriter(path("artists"), "artists"))
        {
            artistCount = SimulatorDumpExport.WriteArtists(catalog, writer);
            for (var i = 0; i < artists; i++)
            {
                var name = ArtistName(i);
                writer.Artist(FirstId + i, name, "", [name.ToUpperInvariant(), "The " + name]);
                artistCount++;
            }
        }

        using (var writer = new DumpXmlWriter(path("labels"), "labels"))
        {
            labelCount = SimulatorDumpExport.WriteLabels(catalog, writer);
            for (var i = 0; i < GeneratedLabels; i++)
            {
                writer.Label(FirstId + i, LabelName(i));
                labelCount++;
            }
        }

        var files = SimulatorDumpExport.Entities.Select(path).ToList();
        return new GeneratedDump(files, masterCount, releaseCount, artistCount, labelCount, files.Sum(f => new FileInfo(f).Length), clock.Elapsed);
    }

    /// <summary>A made-up but stable name for generated artist <paramref name="index"/>: two syllable words.</summary>
    private static string ArtistName(int index)
    {
        var n = index;
        var first = Word(ref n, 2);
        var last = Word(ref n, 3);
        return $"{first} {last}{(n > 0 ? " " + Word(ref n, 2) : "")}";

        static string Word(ref int n, int length)
        {
            var chars = new System.Text.StringBuilder();
            for (var i = 0; i < length; i++)
            {
                chars.Append(Syllables[n % Syllables.Length]);
                n /= Syllables.Length;
            }

            return char.ToUpperInvariant(chars[0]) + chars.ToString(1, chars.Length - 1);
        }
    }

    private static string LabelName(int index) => ArtistName(index + 7_000_000) + " Records";

    private static string Title(Random random, string[] words) =>
        string.Join(' ', Enumerable.Range(0, random.Next(1, 5)).Select(_ => words[random.Next(words.Length)]));

    private static List<string> Pick(Random random, string[] pool, int min, int max) =>
        pool.Length == 0 ? [] : [.. Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => pool[random.Next(pool.Length)]).Distinct()];
}
