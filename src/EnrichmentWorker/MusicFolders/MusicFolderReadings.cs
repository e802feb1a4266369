using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.MusicFolders;

/// <summary>One root as the library page shows it.</summary>
public sealed record MusicFolderRoot(
    string Root,
    bool Configured,
    int Files,
    int OtherFiles,
    long Albums,
    long Enriched,
    long Missing,
    DateTime? LastScanAt,
    float? LastScanSeconds,
    string? Unavailable,
    long ProblemCount,
    IReadOnlyList<MusicFolderProblemRow> Problems,
    IReadOnlyList<MissingAlbumRow> MissingAlbums);

public sealed record MusicFolderProblemRow(string Path, string Reason, DateTime FirstSeenAt);

public sealed record MissingAlbumRow(long Id, string Artist, string Title, DateTime MissingSince);

/// <summary>What the library page reads: each root's counts, its problems and its missing albums.</summary>
public sealed class MusicFolderReadings(NpgsqlDataSource dataSource, IOptions<MusicFolderOptions> options)
{
    /// <summary>Most problems and missing albums listed per root; the counts say how many there are in all.</summary>
    public const int ListLimit = 500;

    private const string Roots = """
        SELECT r.root AS Root, r.files AS Files, r.other_files AS OtherFiles, r.last_scan_at AS LastScanAt,
               r.last_scan_seconds AS LastScanSeconds, r.unavailable AS Unavailable,
               (SELECT count(*) FROM albums a WHERE a.source = r.root) AS Albums,
               (SELECT count(*) FROM albums a JOIN album_matches m ON m.album_id = a.id WHERE a.source = r.root) AS Enriched,
               (SELECT count(*) FROM albums a WHERE a.source = r.root AND a.missing_since IS NOT NULL) AS Missing,
               (SELECT count(*) FROM music_folder_problems p WHERE p.root = r.root) AS ProblemCount
        FROM music_folder_roots r
        WHERE r.root = ANY(@roots) OR EXISTS (SELECT 1 FROM albums a WHERE a.source = r.root)
        ORDER BY r.root
        """;

    private const string Problems = """
        SELECT path AS Path, reason AS Reason, first_seen_at AS FirstSeenAt
        FROM music_folder_problems WHERE root = @root ORDER BY path COLLATE "C" LIMIT @limit
        """;

    private const string MissingAlbums = """
        SELECT id AS Id, artist AS Artist, title AS Title, missing_since AS MissingSince
        FROM albums WHERE source = @root AND missing_since IS NOT NULL ORDER BY missing_since DESC, id LIMIT @limit
        """;

    public async Task<IReadOnlyList<MusicFolderRoot>> RootsAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value.Folders.Select(MusicFolderScanner.SourceOf).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<RootRow>(new CommandDefinition(Roots, new { roots = configured }, cancellationToken: cancellationToken))).ToList();
        var result = new List<MusicFolderRoot>();
        foreach (var root in configured.Union(rows.Select(r => r.Root), StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var row = rows.FirstOrDefault(r => r.Root == root);
            var problems = row is null ? [] : (await connection.QueryAsync<MusicFolderProblemRow>(new CommandDefinition(Problems, new { root, limit = ListLimit }, cancellationToken: cancellationToken))).ToList();
            var missing = row is null ? [] : (await connection.QueryAsync<MissingAlbumRow>(new CommandDefinition(MissingAlbums, new { root, limit = ListLimit }, cancellationToken: cancellationToken))).ToList();
            result.Add(new MusicFolderRoot(root, configured.Contains(root), row?.Files ?? 0, row?.OtherFiles ?? 0, row?.Albums ?? 0, row?.Enriched ?? 0,
                row?.Missing ?? 0, row?.LastScanAt, row?.LastScanSeconds, row?.Unavailable, row?.ProblemCount ?? 0, problems, missing));
        }

        return result;
    }

    private sealed record RootRow(string Root, int Files, int OtherFiles, DateTime? LastScanAt, float? LastScanSeconds, string? Unavailable,
        long Albums, long Enriched, long Missing, long ProblemCount);
}
