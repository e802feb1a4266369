using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace EnrichmentWorker.Library;

/// <summary>
/// Writes validated albums in one transaction: binary COPY into a working table, then one set-based upsert keyed by
/// (source, source_key). Either every album of the call is written or none is.
/// </summary>
public sealed class AlbumWriter(NpgsqlDataSource dataSource)
{
    /// <summary>Writes with the connection's default command timeout (Npgsql's 30 s): right for an HTTP batch.</summary>
    public Task<AlbumUpsertResult> UpsertAsync(IReadOnlyList<AlbumInput> albums, CancellationToken cancellationToken) =>
        UpsertAsync(albums, statementTimeout: null, cancellationToken);

    /// <summary>
    /// Writes with <paramref name="statementTimeout"/> for the COPY and the upsert (<see cref="TimeSpan.Zero"/>: none;
    /// null: the connection's default), since both grow with the number of albums.
    /// </summary>
    public async Task<AlbumUpsertResult> UpsertAsync(IReadOnlyList<AlbumInput> albums, TimeSpan? statementTimeout, CancellationToken cancellationToken)
    {
        if (albums.Count == 0)
        {
            return new AlbumUpsertResult(0, 0, 0, 0);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(AlbumSql.IntakeCreate, transaction: transaction, cancellationToken: cancellationToken));

        var timeoutSeconds = statementTimeout is { } timeout ? (int)Math.Ceiling(timeout.TotalSeconds) : (int?)null;
        await using (var importer = await connection.BeginBinaryImportAsync(AlbumSql.IntakeCopy, cancellationToken))
        {
            if (statementTimeout is { } copyTimeout)
            {
                importer.Timeout = copyTimeout == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : copyTimeout;
            }

            for (var i = 0; i < albums.Count; i++)
            {
                var (source, sourceKey, album) = albums[i];
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(i, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(source, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(sourceKey, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(album.Artist, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(importer, album.AlbumArtist, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(album.Title, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(importer, album.Year, NpgsqlDbType.Integer, cancellationToken);
                await WriteNullableAsync(importer, album.TrackCount, NpgsqlDbType.Integer, cancellationToken);
                await WriteNullableAsync(importer, album.CatalogNumber, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(importer, album.Barcode, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(importer, album.DiscogsReleaseId, NpgsqlDbType.Bigint, cancellationToken);
                await WriteNullableAsync(importer, album.DiscogsMasterId, NpgsqlDbType.Bigint, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        var written = await connection.QuerySingleAsync<(long Added, long Updated)>(new CommandDefinition(
            AlbumSql.AlbumUpsertFromIntake, transaction: transaction, commandTimeout: timeoutSeconds, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);

        var added = (int)written.Added;
        var updated = (int)written.Updated;
        return new AlbumUpsertResult(albums.Count, added, updated, albums.Count - added - updated);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : class =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, type, cancellationToken);

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } v ? importer.WriteAsync(v, type, cancellationToken) : importer.WriteNullAsync(cancellationToken);
}
