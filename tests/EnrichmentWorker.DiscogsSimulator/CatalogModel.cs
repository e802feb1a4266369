namespace EnrichmentWorker.DiscogsSimulator;

// The simulator's entities: just the facts; the JSON shapes are produced from them per request (JsonViews).

internal sealed record SimArtist(long Id, string Name, string RealName = "", string Profile = "")
{
    /// <summary>Other spellings and scripts, from a recorded real /artists answer when there is one (else none).</summary>
    public IReadOnlyList<string> NameVariations { get; init; } = [];

    /// <summary>Other artist entries of the same person (id, name), from a recorded real /artists answer.</summary>
    public IReadOnlyList<(long Id, string Name)> Aliases { get; init; } = [];
}

/// <summary>An artist as credited on a release or master: anv is the name as printed, join the word to the next one.</summary>
internal sealed record Credit(SimArtist Artist, string Anv = "", string Join = "", string Role = "", string Tracks = "");

internal sealed record SimLabel(long Id, string Name, string Profile = "");

internal sealed record LabelCredit(SimLabel Label, string CatalogNumber);

internal sealed record FormatEntry(string Name, int Quantity, IReadOnlyList<string> Descriptions, string Text = "");

internal sealed record Track(string Position, string Title, string Duration);

internal sealed record Identifier(string Type, string Value, string? Description = null);

internal sealed class SimRelease
{
    public required long Id { get; init; }

    /// <summary>Null for a release without a master: /releases then has no master_id key, search shows 0.</summary>
    public long? MasterId { get; init; }

    public required string Title { get; init; }

    public required IReadOnlyList<Credit> Artists { get; init; }

    public IReadOnlyList<Credit> ExtraArtists { get; init; } = [];

    /// <summary>0 when unknown (Discogs then shows year 0 and no released date).</summary>
    public int Year { get; init; }

    public string Released { get; init; } = "";

    public string Country { get; init; } = "";

    public IReadOnlyList<FormatEntry> Formats { get; init; } = [];

    public IReadOnlyList<LabelCredit> Labels { get; init; } = [];

    public IReadOnlyList<Identifier> Identifiers { get; init; } = [];

    public IReadOnlyList<string> Genres { get; init; } = [];

    public IReadOnlyList<string> Styles { get; init; } = [];

    public IReadOnlyList<Track> Tracklist { get; init; } = [];

    public string Notes { get; init; } = "";

    public string DataQuality { get; init; } = "Needs Vote";

    public int Have { get; init; }

    public int Want { get; init; }

    public int RatingCount { get; init; }

    public double RatingAverage { get; init; }

    public int NumForSale { get; init; }

    /// <summary>Null when nothing is for sale (the API then sends null).</summary>
    public decimal? LowestPrice { get; init; }

    public int ImageCount { get; init; } = 1;

    public IEnumerable<string> Barcodes =>
        Identifiers.Where(i => i.Type == "Barcode").Select(i => i.Value);
}

internal sealed class SimMaster
{
    public required long Id { get; init; }

    public required string Title { get; init; }

    public required IReadOnlyList<Credit> Artists { get; init; }

    public int Year { get; init; }

    public IReadOnlyList<string> Genres { get; init; } = [];

    public IReadOnlyList<string> Styles { get; init; } = [];

    public string DataQuality { get; init; } = "Correct";

    /// <summary>The master's releases ("versions"), the main release first.</summary>
    public List<SimRelease> Versions { get; } = [];

    /// <summary>Set when the main release is not among <see cref="Versions"/> (dump masters whose main release is outside the sample).</summary>
    public long? MainReleaseIdOverride { get; init; }

    public long MainReleaseId => MainReleaseIdOverride ?? Versions[0].Id;

    public SimRelease? MainRelease => Versions.FirstOrDefault(v => v.Id == MainReleaseId) ?? Versions.FirstOrDefault();

    public SimRelease? MostRecentRelease =>
        Versions.OrderByDescending(v => v.Year).ThenByDescending(v => v.Id).FirstOrDefault();

    public int Have => Versions.Sum(v => v.Have);

    public int Want => Versions.Sum(v => v.Want);
}
