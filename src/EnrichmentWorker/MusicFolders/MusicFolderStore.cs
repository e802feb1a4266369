using Dapper;
using Npgsql;

namespace EnrichmentWorker.MusicFolders;

/// <summary>What the scans of each root remember between runs: files read, problems known, the root's counts.</summary>
public sealed class MusicFolderStore(NpgsqlDataSource dataSource)
{
    public async Task<Dictionary<string, TrackFile>> FilesAsync(string root, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<FileRow>(new CommandDefinition(MusicFolderSql.FilesOfRoot, new { root }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Path, r => r.ToTrackFile(), StringComparer.Ordinal);
    }

    /// <summary>
    /// Records one finished scan in one transaction: changed and vanished files, which albums of the root are missing,
    /// the problems now (returning only the new ones) and the root's counts.
    /// </summary>
    public async Task<IReadOnlyList<FolderProblem>> SaveScanAsync(
        string root,
        IReadOnlyList<TrackFile> changed,
        IReadOnlyList<string> removed,
        IReadOnlyList<string> albumKeys,
        IReadOnlyList<FolderProblem> problems,
        ScanCounts counts,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (changed.Count > 0)
        {
            var tags = changed.Select(f => f.Tags).ToArray();
            await connection.ExecuteAsync(new CommandDefinition(MusicFolderSql.FileUpsert, new
            {
                root,
                paths = changed.Select(f => f.Path).ToArray(),
                sizes = changed.Select(f => f.Size).ToArray(),
                times = changed.Select(f => f.ModifiedUtc).ToArray(),
                albums = tags.Select(t => t?.Album).ToArray(),
                albumArtists = tags.Select(t => t?.AlbumArtist).ToArray(),
                artists = tags.Select(t => t?.Artist).ToArray(),
                years = tags.Select(t => t?.Year).ToArray(),
                discs = tags.Select(t => t?.Disc).ToArray(),
                compilations = tags.Select(t => t?.Compilation ?? false).ToArray(),
                catalogNumbers = tags.Select(t => t?.CatalogNumber).ToArray(),
                barcodes = tags.Select(t => t?.Barcode).ToArray(),
                discogsReleaseIds = tags.Select(t => t?.DiscogsReleaseId).ToArray(),
                musicBrainzAlbumIds = tags.Select(t => t?.MusicBrainzAlbumId).ToArray(),
                problems = changed.Select(f => f.Problem).ToArray(),
            }, transaction, commandTimeout: 0, cancellationToken: cancellationToken)); // a first scan writes every file's row at once
        }

        if (removed.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(MusicFolderSql.FileDelete, new { root, paths = removed.ToArray() }, transaction, cancellationToken: cancellationToken));
        }

        var keys = albumKeys.ToArray();
        await connection.ExecuteAsync(new CommandDefinition(MusicFolderSql.AlbumsMarkMissing, new { root, keys, now }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(MusicFolderSql.AlbumsMarkFound, new { root, keys }, transaction, cancellationToken: cancellationToken));

        var paths = problems.Select(p => p.Path).ToArray();
        var reasons = problems.Select(p => p.Reason).ToArray();
        await connection.ExecuteAsync(new CommandDefinition(MusicFolderSql.ProblemsDeleteSolved, new { root, paths, reasons }, transaction, cancellationToken: cancellationToken));
        var fresh = (await connection.QueryAsync<FolderProblem>(new CommandDefinition(MusicFolderSql.ProblemsInsertNew, new { root, paths, reasons, now }, transaction, cancellationToken: cancellationToken))).ToList();

        await connection.ExecuteAsync(new CommandDefinition(MusicFolderSql.RootScanned, new
        {
            root,
            files = counts.AudioFiles,
            otherFiles = counts.OtherFiles,
            albums = counts.Albums,
            now,
            seconds = (float)counts.Elapsed.TotalSeconds,
        }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return fresh;
    }

    /// <summary>Records that the root cannot be read; returns true when that is news (it was readable before).</summary>
    public async Task<bool> MarkUnavailableAsync(string root, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var before = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(MusicFolderSql.RootUnavailable, new { root, reason, now }, cancellationToken: cancellationToken));
        return before is null;
    }

    private sealed record FileRow(
        string Path, long Size, DateTime ModifiedUtc, string? Album, string? AlbumArtist, string? Artist, int? Year, int? Disc,
        bool Compilation, string? CatalogNumber, string? Barcode, long? DiscogsReleaseId, string? MusicBrainzAlbumId, string? Problem)
    {
        public TrackFile ToTrackFile() => new(Path, Size, ModifiedUtc, Problem is null
            ? new TrackTags(Album, AlbumArtist, Artist, Year, Disc, Compilation, CatalogNumber, Barcode, DiscogsReleaseId, MusicBrainzAlbumId)
            : null, Problem);
    }
}

/// <summary>The numbers of one scan of a root, for the library page.</summary>
public sealed record ScanCounts(int AudioFiles, int OtherFiles, int Albums, TimeSpan Elapsed);
