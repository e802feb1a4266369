using Dapper;
using EnrichmentWorker.Matching;
using Npgsql;

namespace EnrichmentWorker.Discogs;

/// <summary>The matcher's <see cref="IArtistNamesCache"/> in PostgreSQL (table discogs_artist_names).</summary>
internal sealed class DiscogsArtistNamesStore(NpgsqlDataSource dataSource) : IArtistNamesCache
{
    private const string Find = """
        SELECT artist_id AS ArtistId, discogs_name AS Name, other_names AS OtherNames
        FROM discogs_artist_names WHERE discogs_name = @name
        """;

    // A later answer for the same name replaces the earlier one: Discogs editors add variations over time.
    private const string Upsert = """
        INSERT INTO discogs_artist_names (discogs_name, artist_id, other_names) VALUES (@name, @artistId, @otherNames)
        ON CONFLICT (discogs_name) DO UPDATE SET artist_id = excluded.artist_id, other_names = excluded.other_names, fetched_at = now()
        """;

    public async Task<ArtistNames?> FindAsync(string discogsName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(long ArtistId, string Name, string[] OtherNames)?>(
            new CommandDefinition(Find, new { name = discogsName }, cancellationToken: cancellationToken));
        return row is { } found ? new ArtistNames(found.ArtistId, found.Name, found.OtherNames) : null;
    }

    public async Task StoreAsync(ArtistNames names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            Upsert,
            new { name = names.Name, artistId = names.ArtistId, otherNames = names.OtherNames.ToArray() },
            cancellationToken: cancellationToken));
    }
}
