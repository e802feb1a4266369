using System.Text.Json;
using Dapper;
using EnrichmentWorker.Discogs.Models;
using Npgsql;

namespace EnrichmentWorker.Dumps;

/// <summary>
/// A release from the installed releases dump in the Discogs client's own model, so full enrichment writes it as it
/// writes a fetched one: formats, labels and catalogue numbers, credits, tracklist (index tracks followed by their
/// sub-tracks), identifiers, companies, country. The dumps hold no community or marketplace figures and no images.
/// </summary>
public sealed class DumpReleaseReader(NpgsqlDataSource dataSource)
{
    internal static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<DiscogsRelease?> GetAsync(long releaseId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await InstalledDumps.GetAsync(connection, DumpEntity.Releases, cancellationToken) is not { } installed)
        {
            return null;
        }

        var row = await connection.QuerySingleOrDefaultAsync<ReleaseRow>(new CommandDefinition(
            $"""
            SELECT id AS Id, master_id AS MasterId, status AS Status, title AS Title, artists AS Artists, artist_ids AS ArtistIds,
                   year AS Year, released AS Released, country AS Country, genres AS Genres, styles AS Styles,
                   data_quality AS DataQuality, notes AS Notes, formats::text AS Formats, labels::text AS Labels,
                   extraartists::text AS ExtraArtists, tracklist::text AS Tracklist, identifiers::text AS Identifiers,
                   companies::text AS Companies
            FROM {DumpRowWriter.Partition(DumpEntity.Releases, installed.Slot)} WHERE id = @releaseId
            """,
            new { releaseId },
            cancellationToken: cancellationToken));
        return row is null ? null : ToRelease(row);
    }

    internal static List<DumpFormat> Formats(string? json) => Read<DumpFormat>(json);

    internal static List<DumpLabelCredit> Labels(string? json) => Read<DumpLabelCredit>(json);

    private static List<T> Read<T>(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<T>>(json, Json) ?? [];

    private static DiscogsRelease ToRelease(ReleaseRow row) => new()
    {
        Id = row.Id,
        MasterId = row.MasterId,
        Status = row.Status,
        Title = row.Title,
        Artists = [.. row.Artists.Select((name, i) => new DiscogsArtistCredit { Name = name, Id = i < row.ArtistIds.Length ? row.ArtistIds[i] : 0 })],
        Year = row.Year,
        Released = row.Released,
        Country = row.Country,
        Genres = row.Genres,
        Styles = row.Styles,
        DataQuality = row.DataQuality,
        Notes = row.Notes,
        Formats = [.. Formats(row.Formats).Select(f => new DiscogsFormat { Name = f.Name, Qty = f.Qty, Text = f.Text, Descriptions = f.Descriptions })],
        Labels = [.. Labels(row.Labels).Select(l => new DiscogsCompany { Id = l.Id ?? 0, Name = l.Name, Catno = l.Catno })],
        Extraartists = [.. Read<DumpCredit>(row.ExtraArtists).Select(Credit)],
        Tracklist = [.. Read<DumpTrack>(row.Tracklist).SelectMany(Tracks)],
        Identifiers = [.. Read<DumpIdentifier>(row.Identifiers).Select(i => new DiscogsIdentifier { Type = i.Type, Value = i.Value, Description = i.Description })],
        Companies = [.. Read<DumpCompany>(row.Companies).Select(c => new DiscogsCompany
        {
            Id = c.Id ?? 0, Name = c.Name, Catno = c.Catno, EntityType = c.EntityType, EntityTypeName = c.EntityTypeName,
        })],
    };

    private static DiscogsArtistCredit Credit(DumpCredit c) =>
        new() { Id = c.Id, Name = c.Name, Anv = c.Anv, Join = c.Join, Role = c.Role, Tracks = c.Tracks };

    /// <summary>An index track as the API types it ("index"), followed by its sub-tracks.</summary>
    private static IEnumerable<DiscogsTrack> Tracks(DumpTrack track)
    {
        yield return new DiscogsTrack
        {
            Position = track.Position,
            Title = track.Title,
            Duration = track.Duration,
            Type = track.SubTracks.Count > 0 ? "index" : "track",
            Artists = [.. track.Artists.Select(Credit)],
            Extraartists = [.. track.ExtraArtists.Select(Credit)],
        };
        foreach (var sub in track.SubTracks.SelectMany(Tracks))
        {
            yield return sub;
        }
    }

    private sealed class ReleaseRow
    {
        public long Id { get; init; }

        public long? MasterId { get; init; }

        public string? Status { get; init; }

        public string Title { get; init; } = "";

        public string[] Artists { get; init; } = [];

        public long[] ArtistIds { get; init; } = [];

        public int? Year { get; init; }

        public string? Released { get; init; }

        public string? Country { get; init; }

        public string[] Genres { get; init; } = [];

        public string[] Styles { get; init; } = [];

        public string? DataQuality { get; init; }

        public string? Notes { get; init; }

        public string? Formats { get; init; }

        public string? Labels { get; init; }

        public string? ExtraArtists { get; init; }

        public string? Tracklist { get; init; }

        public string? Identifiers { get; init; }

        public string? Companies { get; init; }
    }
}
