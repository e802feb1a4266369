using Dapper;
using EnrichmentWorker.Library;
using EnrichmentWorker.Matching;
using Npgsql;

namespace EnrichmentWorker.Enrichment;

/// <summary>Reads an album's tags and any manual decision for its job.</summary>
public sealed class AlbumReader(NpgsqlDataSource dataSource)
{
    public async Task<AlbumToEnrich?> GetAsync(long albumId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var albums = await connection.QueryAsync<AlbumAndDecision, AlbumTags, AlbumToEnrich>(
            new CommandDefinition(EnrichmentSql.AlbumGetForEnrichment, new { albumId }, cancellationToken: cancellationToken),
            (album, tags) => new AlbumToEnrich(album.Id, tags, album.Decision),
            splitOn: nameof(AlbumTags.Artist));
        return albums.SingleOrDefault();
    }

    private sealed record AlbumAndDecision(long Id, bool? Manual, string? ManualStatus, long? ManualMasterId, long? ManualReleaseId)
    {
        public ManualDecision? Decision => Manual == true
            ? new ManualDecision(MatchOutcomeColumn.FromColumn(ManualStatus!), ManualMasterId, ManualReleaseId)
            : null;
    }
}
