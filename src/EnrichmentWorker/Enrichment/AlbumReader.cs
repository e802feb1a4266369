using Dapper;
using EnrichmentWorker.Matching;
using Npgsql;

namespace EnrichmentWorker.Enrichment;

/// <summary>Reads an album's tags and any manual decision for its job.</summary>
public sealed class AlbumReader(NpgsqlDataSource dataSource)
{
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
            row.Manual == true ? new ManualDecision(MatchOutcomeColumn.FromColumn(row.ManualStatus!), row.ManualMasterId, row.ManualReleaseId) : null);
}

internal sealed record AlbumRow(
    long Id, string Artist, string? AlbumArtist, string Title, int? Year, int? TrackCount, string? CatalogNumber, string? Barcode,
    long? DiscogsReleaseId, long? DiscogsMasterId, bool? Manual, string? ManualStatus, long? ManualMasterId, long? ManualReleaseId);

