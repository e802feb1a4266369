using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using EnrichmentWorker.Discogs.Models;
using EnrichmentWorker.Matching;
using Npgsql;

namespace EnrichmentWorker.Enrichment;

/// <summary>Writes one album's <see cref="EnrichmentResult"/> inside the job's completing transaction.</summary>
public sealed class EnrichmentWriter
{
    // The dashboard shows the best few; the rest add nothing to an explanation but bytes.
    private const int CandidatesKept = 12;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, EnrichmentResult result, CancellationToken cancellationToken)
    {
        var albumId = result.AlbumId;
        var best = result.Best;
        await ExecuteAsync(connection, transaction, EnrichmentSql.AlbumMatchUpsert, new
        {
            albumId,
            status = result.Status,
            reasonCode = result.ReasonCode,
            reason = result.Reason,
            masterId = result.MasterId,
            releaseId = result.ReleaseId,
            score = best?.Total,
            titleScore = best?.Similarity(MatchField.Title),
            artistScore = best?.Similarity(MatchField.Artist),
            yearScore = best?.Similarity(MatchField.Year),
            candidates = JsonSerializer.Serialize(result.Candidates.Take(CandidatesKept).Select(ToStored), Json),
            requestsSpent = result.RequestsSpent,
            mode = result.Mode,
            manual = result.Manual,
            decidedBy = result.Manual ? "person" : "matcher",
            country = result.Country,
            formats = result.Formats.ToArray(),
            coverImageUrl = result.CoverImageUrl,
            thumbnailUrl = result.ThumbnailUrl,
        }, cancellationToken);

        await ExecuteAsync(connection, transaction, EnrichmentSql.AlbumGenresDelete, new { albumId }, cancellationToken);
        await ExecuteAsync(connection, transaction, EnrichmentSql.AlbumGenresInsert, new
        {
            albumId,
            genres = result.Genres.Select(g => g.Genre).ToArray(),
            kinds = result.Genres.Select(g => g.Kind).ToArray(),
            sources = result.Genres.Select(g => g.Source).ToArray(),
        }, cancellationToken);

        await ExecuteAsync(connection, transaction, EnrichmentSql.AlbumLabelsDelete, new { albumId }, cancellationToken);
        var labelIds = result.Labels.Select(l => l.LabelId).ToArray();
        var labelNames = result.Labels.Select(l => l.Name).ToArray();
        await ExecuteAsync(connection, transaction, EnrichmentSql.LabelsUpsert, new { ids = labelIds, names = labelNames }, cancellationToken);
        await ExecuteAsync(connection, transaction, EnrichmentSql.AlbumLabelsInsert, new
        {
            albumId,
            ids = labelIds,
            names = labelNames,
            catnos = result.Labels.Select(l => l.CatalogNumber).ToArray(),
        }, cancellationToken);

        var credits = result.Release?.Extraartists ?? [];
        await ExecuteAsync(connection, transaction, EnrichmentSql.AlbumCreditsDelete, new { albumId }, cancellationToken);
        await ExecuteAsync(connection, transaction, EnrichmentSql.AlbumCreditsInsert, new
        {
            albumId,
            names = credits.Select(c => c.Name).ToArray(),
            anvs = credits.Select(c => string.IsNullOrEmpty(c.Anv) ? null : c.Anv).ToArray(),
            roles = credits.Select(c => c.Role ?? "").ToArray(),
            artistIds = credits.Select(c => c.Id > 0 ? c.Id : (long?)null).ToArray(),
            tracks = credits.Select(c => string.IsNullOrEmpty(c.Tracks) ? null : c.Tracks).ToArray(),
        }, cancellationToken);

        if (result.Master is { } master)
        {
            await ExecuteAsync(connection, transaction, EnrichmentSql.MasterUpsert, new
            {
                id = master.Id,
                title = master.Title,
                artists = master.Artists.Select(a => a.Name).ToArray(),
                year = master.Year is > 0 ? master.Year : null,
                mainReleaseId = master.MainRelease,
                genres = (master.Genres ?? []).ToArray(),
                styles = (master.Styles ?? []).ToArray(),
            }, cancellationToken);
        }

        if (result.Release is { } release)
        {
            await ExecuteAsync(connection, transaction, EnrichmentSql.ReleaseUpsert, ReleaseRow(release, result), cancellationToken);
            await ExecuteAsync(connection, transaction, EnrichmentSql.AlbumReleaseUpsert, new { albumId, releaseId = release.Id }, cancellationToken);
        }
        else
        {
            await ExecuteAsync(connection, transaction, EnrichmentSql.AlbumReleaseDelete, new { albumId }, cancellationToken);
        }
    }

    private static object ReleaseRow(DiscogsRelease release, EnrichmentResult result) => new
    {
        id = release.Id,
        masterId = release.MasterId is > 0 ? release.MasterId : null,
        title = release.Title,
        artists = release.Artists.Select(a => a.Name).ToArray(),
        year = release.Year is > 0 ? release.Year : null,
        released = release.Released,
        country = release.Country,
        formats = JsonSerializer.Serialize((release.Formats ?? []).Select(f => new { f.Name, f.Qty, f.Text, Descriptions = f.Descriptions ?? [] }), Json),
        dataQuality = release.DataQuality ?? release.Community?.DataQuality,
        have = release.Community?.Have,
        want = release.Community?.Want,
        ratingAverage = release.Community?.Rating?.Average,
        ratingCount = release.Community?.Rating?.Count,
        lowestPrice = release.LowestPrice,
        numForSale = release.NumForSale,
        coverImageUrl = result.CoverImageUrl,
        thumbnailUrl = result.ThumbnailUrl,
        images = JsonSerializer.Serialize((release.Images ?? []).Select(i => new { i.Type, i.Uri, i.Uri150, i.Width, i.Height }), Json),
        tracklist = JsonSerializer.Serialize((release.Tracklist ?? []).Select(t => new { t.Position, t.Title, t.Duration, t.Type }), Json),
        identifiers = JsonSerializer.Serialize((release.Identifiers ?? []).Select(i => new { i.Type, i.Value, i.Description }), Json),
    };

    /// <summary>The stored shape documented in migration 0004 (album_matches.candidates).</summary>
    private static object ToStored(ScoredCandidate scored) => new
    {
        Kind = scored.Candidate.Kind == CandidateKind.Master ? "master" : "release",
        scored.Candidate.Id,
        MasterId = scored.Candidate.MasterId is > 0 ? scored.Candidate.MasterId : null,
        scored.Candidate.Title,
        scored.Candidate.Artists,
        scored.Candidate.Year,
        scored.Candidate.MasterYear,
        scored.Candidate.Country,
        scored.Candidate.Formats,
        scored.Candidate.Genres,
        scored.Candidate.Styles,
        Scores = new
        {
            Title = Math.Round(scored.Similarity(MatchField.Title), 3),
            Artist = Math.Round(scored.Similarity(MatchField.Artist), 3),
            Year = Math.Round(scored.Similarity(MatchField.Year), 3),
            Total = Math.Round(scored.Total, 3),
        },
        Rejected = scored.PassedArtistGate ? null : "artist does not match",
    };

    private static Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, object parameters, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
}
