using Dapper;
using EnrichmentWorker.Matching;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.Dumps;

/// <summary>
/// Finds an album's candidates in the installed dump: index probes on the normalised keys (<see cref="DumpKeys"/>),
/// never a scan. Masters by the album's artist (its name variations from the artists dump included) or with its
/// title, and releases without a master the same way. Returns null when no masters dump is installed.
/// </summary>
public sealed class DumpCandidateLookup(NpgsqlDataSource dataSource, IOptions<DumpOptions> options)
{
    private readonly int limit = options.Value.LookupLimit;

    public async Task<IReadOnlyList<MatchCandidate>?> FindAsync(PreparedAlbum album, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var installed = (await connection.QueryAsync<(string Entity, short Slot)>(new CommandDefinition(
            "SELECT entity, slot FROM dump_installed", cancellationToken: cancellationToken))).ToDictionary(d => d.Entity, d => d.Slot);
        if (!installed.TryGetValue("masters", out var masters))
        {
            return null;
        }

        var artistKeys = album.IsCompilation ? [] : album.Artists.SelectMany(DumpKeys.Artist).Distinct().ToArray();
        var titleKeys = DumpKeys.TitleForms(album.Title);
        if (album.Tags.DiscogsMasterId is null && titleKeys.Length == 0 && artistKeys.Length == 0)
        {
            return [];
        }

        // A name variation counts as the artist: the keys of every artist one of whose names is the album's.
        var variations = installed.TryGetValue("artists", out var artists) && artistKeys.Length > 0
            ? $"SELECT DISTINCT unnest(name_keys) FROM (SELECT name_keys FROM {DumpRowWriter.Partition(DumpEntity.Artists, artists)} WHERE name_keys && @artistKeys LIMIT 20) a"
            : "SELECT NULL::text WHERE false";
        var masterTable = DumpRowWriter.Partition(DumpEntity.Masters, masters);
        var sql = $"""
            WITH keys AS (SELECT array_agg(k) AS k FROM (SELECT unnest(@artistKeys::text[]) UNION {variations}) x (k)),
            found AS (
                (SELECT id FROM {masterTable} WHERE title_key = ANY(@titleKeys) AND artist_keys && (SELECT k FROM keys))
                UNION
                (SELECT id FROM {masterTable} WHERE artist_keys && (SELECT k FROM keys) LIMIT @limit)
                UNION
                (SELECT id FROM {masterTable} WHERE title_key = ANY(@titleKeys) LIMIT @limit)
                UNION
                (SELECT id FROM {masterTable} WHERE id = @taggedMaster)
            )
            SELECT 'm' AS Kind, m.id AS Id, m.id AS MasterId, m.title AS Title, m.artists AS Artists, m.year AS Year,
                   m.genres AS Genres, m.styles AS Styles, m.main_release_id AS MainReleaseId,
                   NULL::text AS Country, NULL::text AS Formats, NULL::text AS Labels
            FROM {masterTable} m WHERE m.id IN (SELECT id FROM found)
            """;
        if (installed.TryGetValue("releases", out var releases))
        {
            var releaseTable = DumpRowWriter.Partition(DumpEntity.Releases, releases);
            sql += $"""

                UNION ALL
                SELECT 'r', r.id, NULL, r.title, r.artists, r.year, r.genres, r.styles, NULL, r.country, r.formats::text, r.labels::text
                FROM {releaseTable} r
                WHERE r.id IN (
                    (SELECT id FROM {releaseTable} WHERE title_key = ANY(@titleKeys) AND artist_keys && (SELECT k FROM keys))
                    UNION
                    (SELECT id FROM {releaseTable} WHERE artist_keys && (SELECT k FROM keys) LIMIT @limit)
                    UNION
                    (SELECT id FROM {releaseTable} WHERE title_key = ANY(@titleKeys) LIMIT @limit))
                  AND r.master_id IS NULL
                """;
        }

        var rows = await connection.QueryAsync<CandidateRow>(new CommandDefinition(
            sql,
            new { artistKeys, titleKeys, limit, taggedMaster = album.Tags.DiscogsMasterId ?? 0 },
            cancellationToken: cancellationToken));
        return [.. rows.Select(ToCandidate)];
    }

    private static MatchCandidate ToCandidate(CandidateRow row)
    {
        var isMaster = row.Kind == "m";
        var formats = DumpReleaseReader.Formats(row.Formats);
        var labels = DumpReleaseReader.Labels(row.Labels);
        return new MatchCandidate
        {
            Kind = isMaster ? CandidateKind.Master : CandidateKind.Release,
            Id = row.Id,
            MasterId = row.MasterId,
            Title = row.Title,
            Artists = row.Artists,
            Year = row.Year,
            MasterYear = isMaster ? row.Year : null,
            Genres = row.Genres,
            Styles = row.Styles,
            Formats = [.. formats.SelectMany(f => (IEnumerable<string>)[f.Name, .. f.Descriptions]).Where(f => f.Length > 0).Distinct()],
            Labels = [.. labels.Select(l => l.Name).Distinct()],
            CatalogNumbers = [.. labels.Select(l => l.Catno).Where(c => c.Length > 0 && c != "none").Distinct()],
            Country = row.Country,
            MainReleaseId = row.MainReleaseId,
        };
    }

    private sealed class CandidateRow
    {
        public string Kind { get; init; } = "m";

        public long Id { get; init; }

        public long? MasterId { get; init; }

        public string Title { get; init; } = "";

        public string[] Artists { get; init; } = [];

        public int? Year { get; init; }

        public string[] Genres { get; init; } = [];

        public string[] Styles { get; init; } = [];

        public long? MainReleaseId { get; init; }

        public string? Country { get; init; }

        public string? Formats { get; init; }

        public string? Labels { get; init; }
    }
}
