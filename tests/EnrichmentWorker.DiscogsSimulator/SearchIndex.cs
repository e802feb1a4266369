namespace EnrichmentWorker.DiscogsSimulator;

internal enum SearchType
{
    Master,
    Release,
    Artist,
    Label,
}

/// <summary>One searchable entity with its folded tokens, computed once at start-up.</summary>
internal sealed record SearchDoc
{
    public required SearchType Type { get; init; }

    public required long Id { get; init; }

    public SimMaster? Master { get; init; }

    public SimRelease? Release { get; init; }

    public SimArtist? Artist { get; init; }

    public SimLabel? Label { get; init; }

    public required HashSet<string> ArtistTokens { get; init; }

    public required HashSet<string> TitleTokens { get; init; }

    /// <summary>Every token q may match: artist, title, labels, catalogue numbers.</summary>
    public required HashSet<string> AllTokens { get; init; }

    public HashSet<string> LabelTokens { get; init; } = [];

    public string[] CatalogNumbers { get; init; } = [];

    public string[] Barcodes { get; init; } = [];

    public int Year { get; init; }

    public HashSet<string> Formats { get; init; } = [];

    public HashSet<string> Genres { get; init; } = [];

    public HashSet<string> Styles { get; init; } = [];

    public HashSet<string> Countries { get; init; } = [];

    public int Have { get; init; }
}

/// <summary>The /database/search parameters the simulator understands (Discogs' names in comments).</summary>
internal sealed record SearchQuery
{
    public string? Q { get; init; }

    public SearchType? Type { get; init; }

    /// <summary>"title": the combined "Artist - Title" field.</summary>
    public string? Title { get; init; }

    /// <summary>"release_title": the title alone.</summary>
    public string? ReleaseTitle { get; init; }

    public string? Artist { get; init; }

    public string? Year { get; init; }

    public string? Format { get; init; }

    public string? CatalogNumber { get; init; }

    public string? Barcode { get; init; }

    public string? Genre { get; init; }

    public string? Style { get; init; }

    public string? Country { get; init; }

    public string? Label { get; init; }
}

/// <summary>
/// Search over every entity, ranked like Discogs in the ways that matter to a matcher: all query words must match
/// (case- and diacritic-insensitive), hits whose title and artist the query covers come first, extra title words
/// (a tribute's "A Tribute To ...") push a hit down, then popularity ("have") breaks ties.
/// </summary>
internal sealed class SearchIndex(List<SearchDoc> docs)
{
    public int Count => docs.Count;

    public static SearchIndex Build(IEnumerable<SimMaster> masters, IEnumerable<SimRelease> releases,
        IEnumerable<SimArtist> artists, IEnumerable<SimLabel> labels)
    {
        var docs = new List<SearchDoc>();
        foreach (var master in masters.OrderBy(m => m.Id))
        {
            docs.Add(EntityDoc(SearchType.Master, master.Id, master.Title, master.Artists, master.Year, master.Genres, master.Styles,
                master.Versions, master.Have) with { Master = master });
        }

        foreach (var release in releases.OrderBy(r => r.Id))
        {
            docs.Add(EntityDoc(SearchType.Release, release.Id, release.Title, release.Artists, release.Year, release.Genres, release.Styles,
                [release], release.Have) with { Release = release });
        }

        foreach (var artist in artists.Where(a => a.Name.Length > 0).OrderBy(a => a.Id))
        {
            var tokens = TextFolding.Tokens(artist.Name).ToHashSet(StringComparer.Ordinal);
            docs.Add(new SearchDoc
            {
                Type = SearchType.Artist, Id = artist.Id, Artist = artist, ArtistTokens = tokens, TitleTokens = tokens, AllTokens = tokens,
            });
        }

        foreach (var label in labels.Where(l => l.Name.Length > 0).OrderBy(l => l.Id))
        {
            var tokens = TextFolding.Tokens(label.Name).ToHashSet(StringComparer.Ordinal);
            docs.Add(new SearchDoc
            {
                Type = SearchType.Label, Id = label.Id, Label = label, ArtistTokens = [], TitleTokens = tokens, AllTokens = tokens, LabelTokens = tokens,
            });
        }

        return new SearchIndex(docs);
    }

    public List<SearchDoc> Run(SearchQuery query)
    {
        var q = TextFolding.Tokens(query.Q);
        var title = TextFolding.Tokens(query.Title);
        var releaseTitle = TextFolding.Tokens(query.ReleaseTitle);
        var artist = TextFolding.Tokens(query.Artist);
        var label = TextFolding.Tokens(query.Label);
        var catno = TextFolding.Compact(query.CatalogNumber);
        var barcode = TextFolding.Compact(query.Barcode);
        var format = Folded(query.Format);
        var genre = Folded(query.Genre);
        var style = Folded(query.Style);
        var country = Folded(query.Country);
        int? year = int.TryParse(query.Year, out var y) ? y : null;
        var scoring = q.Concat(title).Concat(releaseTitle).Concat(artist).ToHashSet(StringComparer.Ordinal);

        var hits = new List<(SearchDoc Doc, double Score)>();
        foreach (var doc in docs)
        {
            if ((query.Type is { } type && doc.Type != type)
                || !q.All(doc.AllTokens.Contains)
                || !title.All(t => doc.TitleTokens.Contains(t) || doc.ArtistTokens.Contains(t))
                || (releaseTitle.Length > 0 && (doc.Type is SearchType.Artist or SearchType.Label || !releaseTitle.All(doc.TitleTokens.Contains)))
                || (artist.Length > 0 && (doc.Type == SearchType.Label || !artist.All(doc.ArtistTokens.Contains)))
                || !label.All(doc.LabelTokens.Contains)
                || (catno.Length > 0 && !doc.CatalogNumbers.Any(c => c.Contains(catno, StringComparison.Ordinal)))
                || (barcode.Length > 0 && !doc.Barcodes.Any(b => b.Contains(barcode, StringComparison.Ordinal)))
                || (year is { } wanted && doc.Year != wanted)
                || (format is not null && !doc.Formats.Contains(format))
                || (genre is not null && !doc.Genres.Contains(genre))
                || (style is not null && !doc.Styles.Contains(style))
                || (country is not null && !doc.Countries.Contains(country)))
            {
                continue;
            }

            hits.Add((doc, Score(doc, scoring)));
        }

        return [.. hits
            .OrderByDescending(h => h.Score)
            .ThenBy(h => h.Doc.Type)
            .ThenByDescending(h => h.Doc.Have)
            .ThenBy(h => h.Doc.Id)
            .Select(h => h.Doc)];
    }

    private static double Score(SearchDoc doc, HashSet<string> query)
    {
        if (query.Count == 0)
        {
            return 0;
        }

        var score = 0.0;
        foreach (var token in query)
        {
            score += doc.TitleTokens.Contains(token) ? 3 : doc.ArtistTokens.Contains(token) ? 2 : 0.5;
        }

        var uncoveredTitle = doc.TitleTokens.Count(t => !query.Contains(t));
        score -= 0.75 * uncoveredTitle;
        if (uncoveredTitle == 0)
        {
            score += 6;
        }

        // " (2)" suffix tokens are digits; a query need not name them.
        if (doc.ArtistTokens.Count > 0 && doc.ArtistTokens.All(t => query.Contains(t) || t.All(char.IsAsciiDigit)))
        {
            score += 4;
        }

        return score;
    }

    private static string? Folded(string? text) => string.IsNullOrWhiteSpace(text) ? null : TextFolding.Fold(text.Trim());

    private static SearchDoc EntityDoc(SearchType type, long id, string title, IReadOnlyList<Credit> credits, int year,
        IReadOnlyList<string> genres, IReadOnlyList<string> styles, IReadOnlyList<SimRelease> versions, int have)
    {
        var artistTokens = credits.SelectMany(c => TextFolding.Tokens(c.Artist.Name).Concat(TextFolding.Tokens(c.Anv)))
            .ToHashSet(StringComparer.Ordinal);
        var titleTokens = TextFolding.Tokens(title).ToHashSet(StringComparer.Ordinal);
        var labelTokens = versions.SelectMany(v => v.Labels).SelectMany(l => TextFolding.Tokens(l.Label.Name)).ToHashSet(StringComparer.Ordinal);
        var catalogNumbers = versions.SelectMany(v => v.Labels).Select(l => l.CatalogNumber).Where(c => c.Length > 0).ToArray();
        var all = new HashSet<string>(artistTokens, StringComparer.Ordinal);
        all.UnionWith(titleTokens);
        all.UnionWith(labelTokens);
        all.UnionWith(catalogNumbers.SelectMany(TextFolding.Tokens));
        return new SearchDoc
        {
            Type = type,
            Id = id,
            ArtistTokens = artistTokens,
            TitleTokens = titleTokens,
            AllTokens = all,
            LabelTokens = labelTokens,
            CatalogNumbers = [.. catalogNumbers.Select(TextFolding.Compact)],
            Barcodes = [.. versions.SelectMany(v => v.Barcodes).Select(TextFolding.Compact)],
            Year = year,
            Formats = versions.SelectMany(v => v.Formats).SelectMany(f => f.Descriptions.Prepend(f.Name)).Select(TextFolding.Fold).ToHashSet(StringComparer.Ordinal),
            Genres = genres.Select(TextFolding.Fold).ToHashSet(StringComparer.Ordinal),
            Styles = styles.Select(TextFolding.Fold).ToHashSet(StringComparer.Ordinal),
            Countries = versions.Select(v => TextFolding.Fold(v.Country)).ToHashSet(StringComparer.Ordinal),
            Have = have,
        };
    }
}
