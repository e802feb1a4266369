using Dapper;
using Npgsql;

namespace EnrichmentWorker.Library;

/// <summary>Reads single stored albums, for the HTTP API and the album pages.</summary>
public sealed class AlbumLookup(NpgsqlDataSource dataSource)
{
    public async Task<StoredAlbum?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindAsync(connection, id, cancellationToken);
    }

    /// <summary>On a connection the caller holds (the album page reads everything else about the album on it too).</summary>
    public static async Task<StoredAlbum?> FindAsync(NpgsqlConnection connection, long id, CancellationToken cancellationToken)
    {
        var albums = await connection.QueryAsync<Identity, AlbumTags, Times, StoredAlbum>(
            new CommandDefinition(AlbumSql.AlbumGetById, new { id }, cancellationToken: cancellationToken),
            (identity, tags, times) => new StoredAlbum(identity.Id, identity.Source, identity.SourceKey, tags, times.AddedAt, times.UpdatedAt, times.MissingSince),
            splitOn: $"{nameof(AlbumTags.Artist)},{nameof(Times.AddedAt)}");
        return albums.SingleOrDefault();
    }

    private sealed record Identity(long Id, string Source, string SourceKey);

    private sealed record Times(DateTime AddedAt, DateTime UpdatedAt, DateTime? MissingSince);
}
