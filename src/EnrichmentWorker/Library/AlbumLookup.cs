using System.Text.Json.Serialization;
using Dapper;
using Npgsql;

namespace EnrichmentWorker.Library;

/// <summary>An album's stored tags as the HTTP API shows them, with the same field names the intake accepts.</summary>
public sealed record AlbumView
{
    [JsonPropertyName("id")]
    public long Id { get; init; }

    [JsonPropertyName("source")]
    public string Source { get; init; } = "";

    [JsonPropertyName("source_key")]
    public string SourceKey { get; init; } = "";

    [JsonPropertyName("artist")]
    public string Artist { get; init; } = "";

    [JsonPropertyName("album_artist")]
    public string? AlbumArtist { get; init; }

    [JsonPropertyName("title")]
    public string Title { get; init; } = "";

    [JsonPropertyName("year")]
    public int? Year { get; init; }

    [JsonPropertyName("track_count")]
    public int? TrackCount { get; init; }

    [JsonPropertyName("catalog_number")]
    public string? CatalogNumber { get; init; }

    [JsonPropertyName("barcode")]
    public string? Barcode { get; init; }

    [JsonPropertyName("discogs_release_id")]
    public long? DiscogsReleaseId { get; init; }

    [JsonPropertyName("discogs_master_id")]
    public long? DiscogsMasterId { get; init; }

    [JsonPropertyName("added_at")]
    public DateTime AddedAt { get; init; }

    [JsonPropertyName("updated_at")]
    public DateTime UpdatedAt { get; init; }
}

/// <summary>Reads single albums for the HTTP API.</summary>
public sealed class AlbumLookup(NpgsqlDataSource dataSource)
{
    public async Task<AlbumView?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AlbumView>(new CommandDefinition(
            AlbumSql.AlbumGetById, new { id }, cancellationToken: cancellationToken));
    }
}
