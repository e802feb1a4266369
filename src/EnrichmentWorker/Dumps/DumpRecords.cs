namespace EnrichmentWorker.Dumps;

// One record of each dump file, as the monthly XML holds it (only the parts this service keeps: images, videos,
// profiles, urls and contact details are skipped by the reader).

/// <summary>An artist credit: &lt;artist&gt;&lt;id/&gt;&lt;name/&gt;&lt;anv/&gt;&lt;join/&gt;&lt;role/&gt;&lt;tracks/&gt;&lt;/artist&gt;.</summary>
public sealed record DumpCredit(long Id, string Name, string Anv, string Join, string Role, string Tracks);

public sealed record DumpMaster(
    long Id,
    string Title,
    IReadOnlyList<DumpCredit> Artists,
    int? Year,
    long? MainReleaseId,
    IReadOnlyList<string> Genres,
    IReadOnlyList<string> Styles,
    string? DataQuality);

public sealed record DumpFormat(string Name, string Qty, string Text, IReadOnlyList<string> Descriptions);

public sealed record DumpLabelCredit(long? Id, string Name, string Catno);

public sealed record DumpIdentifier(string Type, string Description, string Value);

public sealed record DumpCompany(long? Id, string Name, string Catno, string EntityType, string EntityTypeName);

/// <summary>A track; an index track carries its parts as <see cref="SubTracks"/>.</summary>
public sealed record DumpTrack(
    string Position,
    string Title,
    string Duration,
    IReadOnlyList<DumpCredit> Artists,
    IReadOnlyList<DumpCredit> ExtraArtists,
    IReadOnlyList<DumpTrack> SubTracks);

public sealed record DumpRelease
{
    public required long Id { get; init; }

    public string? Status { get; init; }

    public required string Title { get; init; }

    public IReadOnlyList<DumpCredit> Artists { get; init; } = [];

    public IReadOnlyList<DumpCredit> ExtraArtists { get; init; } = [];

    public IReadOnlyList<DumpLabelCredit> Labels { get; init; } = [];

    public IReadOnlyList<DumpFormat> Formats { get; init; } = [];

    public IReadOnlyList<string> Genres { get; init; } = [];

    public IReadOnlyList<string> Styles { get; init; } = [];

    public string? Country { get; init; }

    /// <summary>As written: "1999-03-00", "1999", or absent.</summary>
    public string? Released { get; init; }

    public string? Notes { get; init; }

    public string? DataQuality { get; init; }

    public long? MasterId { get; init; }

    public bool IsMainRelease { get; init; }

    public IReadOnlyList<DumpTrack> Tracklist { get; init; } = [];

    public IReadOnlyList<DumpIdentifier> Identifiers { get; init; } = [];

    public IReadOnlyList<DumpCompany> Companies { get; init; } = [];

    /// <summary>The year of <see cref="Released"/>, when it starts with one.</summary>
    public int? Year => Released is { Length: >= 4 } r && int.TryParse(r.AsSpan(0, 4), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y) && y > 0 ? y : null;
}

public sealed record DumpAlias(long? Id, string Name);

public sealed record DumpArtist(
    long Id,
    string Name,
    string? RealName,
    IReadOnlyList<string> NameVariations,
    IReadOnlyList<DumpAlias> Aliases,
    string? DataQuality);

public sealed record DumpLabel(
    long Id,
    string Name,
    long? ParentLabelId,
    string? ParentLabel,
    IReadOnlyList<string> Sublabels,
    string? DataQuality);
