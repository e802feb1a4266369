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
/// <summary>An album's candidates in the installed dump, and the date of its masters file.</summary>
public sealed record DumpCandidates(IReadOnlyList<MatchCandidate> Candidates, DateOnly DumpDate);

public sealed class DumpCandidateLookup(NpgsqlDataSource dataSource, IOptions<DumpOptions> options)
{
    private readonly int limit = options.Value.LookupLimit;

    public async Task<DumpCandidates?> FindAsync(PreparedAlbum album, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var dumps = (await connection.QueryAsync<(string Entity, short Slot, DateOnly Date)>(new CommandDefinition(
            "SELECT entity, slot, dump_date FROM dump_installed", cancellationToken: cancellationToken))).ToList();
        var installed = dumps.ToDictionary(d => d.Entity, d => d.Slot);
        if (!installed.TryGetValue("masters", out var masters))
        {
            return null;
        }

        var date = dumps.First(d => d.Entity == "masters").Date;

        var artistKeys = album.IsCompilation ? [] : album.Artists.SelectMany(DumpKeys.Artist).Distinct().ToArray();
        var titleKeys = DumpKeys.TitleForms(album.Title);
        if (album.Tags.DiscogsMasterId is null && titleKeys.Length == 0 && artistKeys.Length == 0)
        {
            return new DumpCandidates([], date);
        }

        // A name variation counts as the artist: the keys of every artist one of whose names is the album's.
        var variations = installed.TryGetValue("artists", out var artists) && artistKeys.Length > 0
            ? $"SELECT DISTINCT unnest(name_keys) FROM (SELECT name_keys FROM {DumpRowWriter.Partition(DumpEntity.Artists, artists)} WHERE name_keys && @artistKeys LIMIT 20) a"
            : "SELECT NULL::text WHERE false";
        // Each arm reads its rows straight from an index probe; UNION drops the rows two arms both found. No join
        // back to the table: at millions of rows a misestimated join could turn into a scan.
        var masterTable = DumpRowWriter.Partition(DumpEntity.Masters, masters);
        const string masterColumns = "'m' AS Kind, id AS Id, id AS MasterId, title AS Title, artists AS Artists, year AS Year, genres AS Genres, "
            + "styles AS Styles, main_release_id AS MainReleaseId, NULL::text AS Country, NULL::text AS Formats, NULL::text AS Labels";
        var sql = $"""
            WITH keys AS MATERIALIZED (SELECT array_agg(k) AS k FROM (SELECT unnest(@artistKeys::text[]) UNION {variations}) x (k))
            (SELECT {masterColumns} FROM {masterTable} WHERE title_key = ANY(@titleKeys) AND artist_keys && (SELECT k FROM keys))
            UNION
            (SELECT {masterColumns} FROM {masterTable} WHERE artist_keys && (SELECT k FROM keys) LIMIT @limit)
            UNION
            (SELECT {masterColumns} FROM {masterTable} WHERE title_key = ANY(@titleKeys) LIMIT @limit)
            UNION
            (SELECT {masterColumns} FROM {masterTable} WHERE id = @taggedMaster)
            """;
        if (installed.TryGetValue("releases", out var releases))
        {
            // Releases without a master only (the partial indexes hold nothing else).
            var releaseTable = DumpRowWriter.Partition(DumpEntity.Releases, releases);
            const string releaseColumns = "'r', id, NULL::bigint, title, artists, year, genres, styles, NULL::bigint, country, formats::text, labels::text";
            sql += $"""

                UNION
                (SELECT {releaseColumns} FROM {releaseTable} WHERE title_key = ANY(@titleKeys) AND artist_keys && (SELECT k FROM keys))
                UNION
                (SELECT {releaseColumns} FROM {releaseTable} WHERE artist_keys && (SELECT k FROM keys) LIMIT @limit)
                UNION
                (SELECT {releaseColumns} FROM {releaseTable} WHERE title_key = ANY(@titleKeys) LIMIT @limit)
                """;
        }

        var rows = await connection.QueryAsync<CandidateRow>(new CommandDefinition(
            sql,
            new { artistKeys, titleKeys, limit, taggedMaster = album.Tags.DiscogsMasterId ?? 0 },
            cancellationToken: cancellationToken));
        return new DumpCandidates([.. rows.Select(ToCandidate)], date);
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
