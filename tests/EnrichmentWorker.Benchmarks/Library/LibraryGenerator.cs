using System.Globalization;
using System.Text;

namespace EnrichmentWorker.Benchmarks.Library;

/// <summary>
/// A deterministic library drawn from the real catalogue with the tag noise real libraries carry (remaster and
/// deluxe suffixes, a dropped "The", feat. credits, stripped accents, reissue years, disc suffixes, lower case),
/// repeated across the catalogue as needed with distinct source keys, plus a slice of albums Discogs does not have.
/// </summary>
public static class LibraryGenerator
{
    private static readonly string[] EditionSuffixes =
    [
        " (Remastered)", " (2011 Remaster)", " [Deluxe Edition]", " (Deluxe)", " - Remastered 2009", " (Expanded Edition)",
        " (40th Anniversary Edition)", " [Bonus Tracks]", " (Mono)",
    ];

    private static readonly string[] DiscSuffixes = [" (Disc 1)", " [CD 2]", " (CD1)", " - Disc 2"];

    private static readonly string[] Guests = ["Nile Rodgers", "Kendrick Lamar", "Robert Plant", "Dolly Parton", "Nas"];

    private static readonly string[] FakeWords =
    [
        "Velmora", "Quiet", "Harbour", "Kestrel", "Ondine", "Paper", "Lantern", "Saltmarsh", "Gravel", "Orrin", "Tamsin",
        "Basement", "Sessions", "Hollow", "Meridian", "Ferrous", "Wrenfield", "Static", "Lull", "Cobalt", "Drift",
    ];

    public static IReadOnlyList<LibraryAlbum> Generate(IReadOnlyList<CatalogAlbum> catalog, int count, double absentShare, int seed)
    {
        var random = new Random(seed);
        var order = Enumerable.Range(0, catalog.Count).ToArray();
        random.Shuffle(order);
        var albums = new List<LibraryAlbum>(count);
        var absentEvery = absentShare > 0 ? (int)Math.Round(1 / absentShare) : int.MaxValue;
        var next = 0;
        for (var i = 0; i < count; i++)
        {
            var key = "bench-" + i.ToString("D7", CultureInfo.InvariantCulture);
            if (i % absentEvery == absentEvery - 1)
            {
                albums.Add(Absent(key, random));
                continue;
            }

            var source = catalog[order[next++ % order.Length]];
            albums.Add(WithNoise(key, source, random));
        }

        return albums;
    }

    private static LibraryAlbum Absent(string key, Random random)
    {
        string Words(int n) => string.Join(' ', Enumerable.Range(0, n).Select(_ => FakeWords[random.Next(FakeWords.Length)]));
        return new LibraryAlbum(key, Words(2) + " " + random.Next(10, 99).ToString(CultureInfo.InvariantCulture), Words(3), random.Next(1970, 2024), null, "absent");
    }

    private static LibraryAlbum WithNoise(string key, CatalogAlbum source, Random random)
    {
        var artist = source.Artist;
        var title = source.Title;
        var year = source.Year;
        var noise = new List<string>();

        // About 40% of albums are tagged cleanly; the rest carry one or two kinds of noise.
        var kinds = random.NextDouble() switch
        {
            < 0.40 => 0,
            < 0.85 => 1,
            _ => 2,
        };
        for (var k = 0; k < kinds; k++)
        {
            switch (random.Next(7))
            {
                case 0:
                    title += EditionSuffixes[random.Next(EditionSuffixes.Length)];
                    noise.Add("edition");
                    break;
                case 1 when artist.StartsWith("The ", StringComparison.OrdinalIgnoreCase):
                    artist = artist[4..];
                    noise.Add("no-the");
                    break;
                case 2:
                    artist += " feat. " + Guests[random.Next(Guests.Length)];
                    noise.Add("feat");
                    break;
                case 3 when StripAccents(artist + title) != artist + title:
                    artist = StripAccents(artist);
                    title = StripAccents(title);
                    noise.Add("accents");
                    break;
                case 4 when year is not null:
                    year = Math.Min(2024, year.Value + random.Next(5, 40));
                    noise.Add("reissue-year");
                    break;
                case 5:
                    title += DiscSuffixes[random.Next(DiscSuffixes.Length)];
                    noise.Add("disc");
                    break;
                default:
                    title = title.ToLowerInvariant();
                    artist = artist.ToLowerInvariant();
                    noise.Add("lower-case");
                    break;
            }
        }

        return new LibraryAlbum(key, artist, title, year, source, noise.Count == 0 ? "clean" : string.Join('+', noise));
    }

    private static string StripAccents(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var kept = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                kept.Append(c);
            }
        }

        return kept.ToString().Normalize(NormalizationForm.FormC);
    }
}
