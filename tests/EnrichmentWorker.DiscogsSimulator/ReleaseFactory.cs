using System.Globalization;

namespace EnrichmentWorker.DiscogsSimulator;

/// <summary>
/// Dresses a catalogue album as Discogs would hold it: a main release in the master's year and a few later versions
/// (reissue, deluxe edition, cassette) in other countries and formats, with labels, catalogue numbers, barcodes and a
/// tracklist. Everything is derived from stable hashes of the ids, so every run serves the same data.
/// </summary>
internal sealed class ReleaseFactory(IReadOnlyList<string> trackTitles, IReadOnlyList<Credit> extraArtists, LabelRegistry labels)
{
    /// <summary>Generated releases live far above real release ids (about 35 M in 2025) so they never collide.</summary>
    public const long GeneratedReleaseIdBase = 900_000_000;

    /// <summary>Simulator-made labels (real names, ids in a reserved range).</summary>
    public const long GeneratedLabelIdBase = 97_000_000;

    private static readonly string[] Countries = ["US", "UK", "US", "UK", "Europe", "Germany", "Japan", "France", "Canada", "Netherlands", "Italy", "Australia"];

    private static readonly Dictionary<string, string[]> LabelsByGenre = new(StringComparer.Ordinal)
    {
        ["Rock"] = ["Columbia", "Capitol Records", "EMI", "Parlophone", "Island Records", "Virgin", "Elektra", "Atlantic", "Warner Bros. Records", "Sub Pop", "Matador", "Rough Trade", "Domino", "4AD", "Reprise Records", "Epic", "Sire"],
        ["Jazz"] = ["Blue Note", "Impulse!", "Verve Records", "Prestige", "Riverside Records", "Columbia", "Atlantic", "Contemporary Records", "ECM Records"],
        ["Electronic"] = ["Warp Records", "XL Recordings", "Mute", "Ninja Tune", "R & S Records", "Ghostly International", "Hyperdub", "Kompakt"],
        ["Hip Hop"] = ["Def Jam Recordings", "Rawkus", "Stones Throw Records", "Jive", "Tommy Boy", "Loud Records", "Interscope Records", "Top Dawg Entertainment"],
        ["Funk / Soul"] = ["Motown", "Stax", "Atlantic", "Tamla", "Philadelphia International Records", "Curtom"],
        ["Pop"] = ["Columbia", "Epic", "RCA", "Interscope Records", "Capitol Records", "Island Records"],
        ["Folk, World, & Country"] = ["Vanguard", "Elektra", "Columbia", "Nonesuch", "Sugar Hill Records"],
        ["Classical"] = ["Deutsche Grammophon", "Decca", "Philips", "Nonesuch"],
        ["Reggae"] = ["Island Records", "Trojan Records", "Studio One"],
        ["Latin"] = ["Philips", "Elenco", "Odeon"],
        ["Stage & Screen"] = ["Milan", "Varèse Sarabande", "Victor"],
    };

    // "Electronic; Rock" (OK Computer) is a rock record: the more specific genres pick the label first.
    private static readonly string[] GenrePreference =
        ["Jazz", "Hip Hop", "Funk / Soul", "Reggae", "Latin", "Classical", "Stage & Screen", "Folk, World, & Country", "Rock", "Electronic", "Pop"];

    private readonly Dictionary<string, SimLabel> _labelsByName = new(StringComparer.Ordinal);

    /// <summary>The versions of a catalogue master, the main release first.</summary>
    public List<SimRelease> VersionsFor(long masterId, string title, IReadOnlyList<Credit> artists, int year,
        IReadOnlyList<string> genres, IReadOnlyList<string> styles, int popularity)
    {
        var hash = TextFolding.StableHash(masterId);
        var count = 2 + (int)(hash % 3);
        var versions = new List<SimRelease>(count);
        var firstFormat = year is > 0 and < 1984 ? Vinyl("LP", "Album") : Cd("Album");
        versions.Add(Build(GeneratedReleaseIdBase + (masterId * 8), masterId, title, artists, year, genres, styles,
            firstFormat, Countries[hash % 4], 0, popularity, 0));

        var reissueYear = year == 0 ? 0 : Math.Min(2020, Math.Max(year + 1, year + 8 + (int)(hash / 3 % 25)));
        var reissueFormat = firstFormat.Name == "Vinyl" ? Cd("Album", "Reissue", "Remastered") : Vinyl("LP", "Album", "Reissue", "Remastered");
        versions.Add(Build(GeneratedReleaseIdBase + (masterId * 8) + 1, masterId, title, artists, reissueYear, genres, styles,
            reissueFormat, Countries[(hash / 5 % (uint)Countries.Length)], 0, popularity / 3, 1));

        if (count > 2)
        {
            var deluxeYear = year == 0 ? 0 : Math.Min(2021, reissueYear + 2 + (int)(hash % 5));
            var deluxe = new FormatEntry("CD", 2, ["Album", "Deluxe Edition", "Remastered"]);
            versions.Add(Build(GeneratedReleaseIdBase + (masterId * 8) + 2, masterId, title, artists, deluxeYear, genres, styles,
                deluxe, Countries[(hash / 11 % 4)], 2 + (int)(hash % 6), popularity / 5, 2));
        }

        if (count > 3)
        {
            var cassette = new FormatEntry("Cassette", 1, ["Album"]);
            versions.Add(Build(GeneratedReleaseIdBase + (masterId * 8) + 3, masterId, title, artists, year, genres, styles,
                cassette, Countries[(hash / 13 % (uint)Countries.Length)], 0, popularity / 8, 3));
        }

        return versions;
    }

    /// <summary>A release without a master (the catalogue's /release/N rows), under its real id.</summary>
    public SimRelease Standalone(long releaseId, string title, IReadOnlyList<Credit> artists, int year,
        IReadOnlyList<string> genres, IReadOnlyList<string> styles, int popularity)
    {
        var hash = TextFolding.StableHash(releaseId);
        var format = year is > 0 and < 1984 ? Vinyl("LP", "Album") : hash % 3 == 0 ? new FormatEntry("File", 1, ["FLAC", "Album"]) : Cd("Album");
        return Build(releaseId, null, title, artists, year, genres, styles, format, Countries[hash % 4], 0, popularity, 0);
    }

    private SimRelease Build(long id, long? masterId, string title, IReadOnlyList<Credit> artists, int year,
        IReadOnlyList<string> genres, IReadOnlyList<string> styles, FormatEntry format, string country, int bonusTracks,
        int popularity, int variant)
    {
        var hash = TextFolding.StableHash(id);
        var label = LabelFor(genres, masterId ?? id, variant);
        var catalogNumber = CatalogNumber(label.Name, hash);
        var trackCount = 8 + (int)(TextFolding.StableHash(masterId ?? id) % 7);
        var tracks = Tracklist(masterId ?? id, trackCount + bonusTracks, format);
        var identifiers = new List<Identifier>();
        if (year >= 1982 && format.Name != "File")
        {
            var barcode = Barcode(id);
            identifiers.Add(new Identifier("Barcode", barcode, "Text"));
        }

        identifiers.Add(new Identifier("Matrix / Runout", $"{catalogNumber} A1", "Side A"));
        var forSale = (int)(hash % 41);
        var monthDay = $"{1 + (hash % 12):00}-{1 + (hash / 12 % 28):00}";
        return new SimRelease
        {
            Id = id,
            MasterId = masterId,
            Title = title,
            Artists = artists,
            ExtraArtists = extraArtists.Count == 0 ? [] : [extraArtists[(int)(hash % (uint)extraArtists.Count)] with { Role = "Producer" }],
            Year = year,
            Released = year == 0 ? "" : hash % 5 == 0 ? year.ToString(CultureInfo.InvariantCulture) : $"{year}-{monthDay}",
            Country = country,
            Formats = [format],
            Labels = [new LabelCredit(label, catalogNumber)],
            Identifiers = identifiers,
            Genres = genres,
            Styles = styles,
            Tracklist = tracks,
            DataQuality = variant == 0 ? "Correct" : "Needs Vote",
            Have = Math.Max(1, popularity + (int)(hash % 97)),
            Want = Math.Max(0, (popularity / 3) + (int)(hash % 31)),
            RatingCount = 5 + (int)(hash % 300),
            RatingAverage = Math.Round(3.5 + (hash % 140 / 100.0), 2),
            NumForSale = forSale,
            LowestPrice = forSale == 0 ? null : Math.Round(2m + (hash % 5800 / 100m), 2),
            ImageCount = 1 + (int)(hash % 4),
        };
    }

    private SimLabel LabelFor(IReadOnlyList<string> genres, long seed, int variant)
    {
        var genre = GenrePreference.FirstOrDefault(genres.Contains) ?? "Pop";
        var pool = LabelsByGenre[genre];
        var name = pool[(int)((TextFolding.StableHash(seed) + (uint)variant) % (uint)pool.Length)];
        if (!_labelsByName.TryGetValue(name, out var label))
        {
            label = labels.GetOrAdd(GeneratedLabelIdBase + _labelsByName.Count, name);
            _labelsByName[name] = label;
        }

        return label;
    }

    private static string CatalogNumber(string labelName, uint hash)
    {
        var initials = string.Concat(TextFolding.Tokens(labelName).Select(t => char.ToUpperInvariant(t[0])));
        if (initials.Length < 2)
        {
            initials = labelName.Length >= 3 ? labelName[..3].ToUpperInvariant() : "CAT";
        }

        return $"{initials} {1000 + (hash % 89000)}";
    }

    /// <summary>A 12-digit UPC-A with a valid check digit, spaced as printed ("0 12345 67890 5").</summary>
    private static string Barcode(long id)
    {
        var digits = (TextFolding.StableHash(id) % 100_000_000_000L).ToString("00000000000", CultureInfo.InvariantCulture);
        var sum = 0;
        for (var i = 0; i < 11; i++)
        {
            sum += (digits[i] - '0') * (i % 2 == 0 ? 3 : 1);
        }

        var check = (10 - (sum % 10)) % 10;
        return $"{digits[0]} {digits[1..6]} {digits[6..11]} {check}";
    }

    private List<Track> Tracklist(long seed, int count, FormatEntry format)
    {
        var sided = format.Name is "Vinyl" or "Cassette";
        var tracks = new List<Track>(count);
        for (var i = 0; i < count; i++)
        {
            var hash = TextFolding.StableHash($"{seed}/{i}");
            var title = trackTitles.Count == 0 ? $"Track {i + 1}" : trackTitles[(int)(hash % (uint)trackTitles.Count)];
            var half = (count + 1) / 2;
            var position = sided
                ? (i < half ? $"A{i + 1}" : $"B{i - half + 1}")
                : (i + 1).ToString(CultureInfo.InvariantCulture);
            var seconds = 120 + (int)(hash % 300);
            tracks.Add(new Track(position, title, $"{seconds / 60}:{seconds % 60:00}"));
        }

        return tracks;
    }

    private static FormatEntry Vinyl(params string[] descriptions) => new("Vinyl", 1, descriptions);

    private static FormatEntry Cd(params string[] descriptions) => new("CD", 1, descriptions);
}
