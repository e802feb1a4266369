using Dapper;
using EnrichmentWorker.Matching;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.Dumps;

/// <summary>An album's candidates in the installed dump, and the date of its masters file.</summary>
/// <param name="Complete">
/// Whether every candidate the keys name was read: no probe stopped at its limit. Only then does a miss in the dump
/// mean Discogs had no better candidate that month.
/// </param>
public sealed record DumpCandidates(IReadOnlyList<MatchCandidate> Candidates, DateOnly DumpDate, bool Complete = true);

/// <summary>
/// Finds an album's candidates in the installed dump: index probes on the normalised keys (<see cref="DumpKeys"/>),
/// never a scan. Masters by the album's artist (its name variations from the artists dump included) or with its
/// title, and releases without a master the same way. Returns null when no masters dump is installed.
/// </summary>
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

        // A name variation counts as the artist: the keys of every artist one of whose names is the album's. Read
        // first, so the lookup below plans with the keys themselves (an unknown array made the planner scan); the
        // probe is MATERIALIZED for the reason given at Arms.
        if (installed.TryGetValue("artists", out var artists) && artistKeys.Length > 0)
        {
            artistKeys = [.. artistKeys.Union(await connection.QueryAsync<string>(new CommandDefinition(
                $"""
                WITH named AS MATERIALIZED (SELECT name_keys FROM {DumpRowWriter.Partition(DumpEntity.Artists, artists)} WHERE name_keys && @artistKeys)
                SELECT DISTINCT unnest(name_keys) FROM (SELECT name_keys FROM named LIMIT 20) a
                """,
                new { artistKeys },
                cancellationToken: cancellationToken)))];
        }

        const string masterColumns = "'m' AS Kind, id AS Id, id AS MasterId, title AS Title, artists AS Artists, year AS Year, genres AS Genres, "
            + "styles AS Styles, main_release_id AS MainReleaseId, NULL::text AS Country, NULL::text AS Formats, NULL::text AS Labels, title_key AS TitleKey";
        var sql = Arms("m", DumpRowWriter.Partition(DumpEntity.Masters, masters), masterColumns, artistKeys.Length > 0)
            + $"\nUNION (SELECT {masterColumns}, 'tagged' AS Probe FROM {DumpRowWriter.Partition(DumpEntity.Masters, masters)} WHERE id = @taggedMaster)";
        if (installed.TryGetValue("releases", out var releases))
        {
            // Releases without a master only: only they carry keys (and the partial indexes hold nothing else).
            const string releaseColumns = "'r' AS Kind, id AS Id, NULL::bigint AS MasterId, title AS Title, artists AS Artists, year AS Year, genres AS Genres, "
                + "styles AS Styles, NULL::bigint AS MainReleaseId, country AS Country, formats::text AS Formats, labels::text AS Labels, title_key AS TitleKey";
            sql += "\nUNION " + Arms("r", DumpRowWriter.Partition(DumpEntity.Releases, releases), releaseColumns, artistKeys.Length > 0);
        }

        var rows = (await connection.QueryAsync<CandidateRow>(new CommandDefinition(
            sql,
            new { artistKeys, titleKeys, limit, taggedMaster = album.Tags.DiscogsMasterId ?? 0 },
            commandTimeout: 30,
            cancellationToken: cancellationToken))).ToList();

        // A probe that returned as many rows as its limit may have left better candidates unread.
        var cutOff = rows.GroupBy(r => (r.Kind, r.Probe)).Any(g => g.Key.Probe switch
        {
            "artist" => g.Count() >= limit,
            "title" => g.Count() >= limit,
            _ => false,
        });
        var candidates = rows.DistinctBy(r => (r.Kind, r.Id)).Select(ToCandidate).ToList();
        return new DumpCandidates(candidates, date, !cutOff);
    }

    /// <summary>
    /// One table's arms: by artist and title; by artist (at most <c>limit</c>); by title alone (at most <c>limit</c>
    /// too, and only when artist and title found nothing together: it is there for an artist spelt another way, and a
    /// probe cut off sends the album to the API, so it reads as far as the artist probe: a quarter of it cut off
    /// every one-word title of the 2.5 M-master benchmark dump, whose ~137 masters each sent 6 albums to the API). The
    /// artist probe is a MATERIALIZED CTE planned without the LIMIT, so it stays an index scan: planned with a LIMIT,
    /// a GIN probe whose matches looked frequent became a sequential scan (seconds at 2.5 M masters). Each row says
    /// which probe read it, so the caller can tell a probe cut off at its limit.
    /// </summary>
    private static string Arms(string prefix, string table, string columns, bool byArtist) => byArtist
        ? $"""
            (WITH {prefix}_artist AS MATERIALIZED (SELECT {columns}, 'artist' AS Probe FROM {table} WHERE artist_keys && @artistKeys)
             (SELECT * FROM {prefix}_artist WHERE TitleKey = ANY(@titleKeys))
             UNION (SELECT * FROM {prefix}_artist LIMIT @limit)
             UNION (SELECT {columns}, 'title' AS Probe FROM {table} WHERE title_key = ANY(@titleKeys)
                    AND NOT EXISTS (SELECT 1 FROM {prefix}_artist WHERE TitleKey = ANY(@titleKeys)) LIMIT @limit))
            """
        : $"""
            (SELECT {columns}, 'title' AS Probe FROM {table} WHERE title_key = ANY(@titleKeys) LIMIT @limit)
            """;

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

        public string? TitleKey { get; init; }

        public string Probe { get; init; } = "";
    }
}
