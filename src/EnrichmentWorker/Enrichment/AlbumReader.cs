using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using EnrichmentWorker.Jobs;
using EnrichmentWorker.Matching;
using Npgsql;

namespace EnrichmentWorker.Enrichment;

/// <summary>Reads an album's tags and any manual decision for its job: from what the claim read with the job
/// (<see cref="ClaimPayload"/>), or from the database when the claim brought nothing.</summary>
public sealed class AlbumReader(NpgsqlDataSource dataSource)
{
    /// <summary>Registered with the job queue: the claim reads each claimed job's album in the same statement.</summary>
    public static ClaimPayload ClaimPayload { get; } = new(EnrichmentSql.AlbumForClaimedJob);

    public async Task<AlbumToEnrich?> GetAsync(ClaimedJob job, CancellationToken cancellationToken) =>
        job.Payload is { } payload
            ? ToAlbum(JsonSerializer.Deserialize(payload, AlbumRowJsonContext.Default.AlbumRow))
            : await GetAsync(job.AlbumId, cancellationToken);

    public async Task<AlbumToEnrich?> GetAsync(long albumId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return ToAlbum(await connection.QuerySingleOrDefaultAsync<AlbumRow>(new CommandDefinition(
            EnrichmentSql.AlbumGetForEnrichment, new { albumId }, cancellationToken: cancellationToken)));
    }

    private static AlbumToEnrich? ToAlbum(AlbumRow? row) => row is null
        ? null
        : new AlbumToEnrich(row.Id,
            new AlbumTags(row.Artist, row.AlbumArtist, row.Title, row.Year, row.TrackCount, row.CatalogNumber, row.Barcode, row.DiscogsReleaseId, row.DiscogsMasterId),
            row.Manual == true ? new ManualDecision(row.ManualStatus!, row.ManualMasterId, row.ManualReleaseId) : null);
}

internal sealed record AlbumRow(
    long Id, string Artist, string? AlbumArtist, string Title, int? Year, int? TrackCount, string? CatalogNumber, string? Barcode,
    long? DiscogsReleaseId, long? DiscogsMasterId, bool? Manual, string? ManualStatus, long? ManualMasterId, long? ManualReleaseId);

[JsonSerializable(typeof(AlbumRow))]
internal sealed partial class AlbumRowJsonContext : JsonSerializerContext;
