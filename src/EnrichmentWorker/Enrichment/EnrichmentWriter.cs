using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using EnrichmentWorker.Discogs.Models;
using EnrichmentWorker.Matching;
using EnrichmentWorker.Jobs;

namespace EnrichmentWorker.Enrichment;

/// <summary>The writes for one album's <see cref="EnrichmentResult"/>, run with the job's completion (<see cref="JobResults"/>).</summary>
public sealed class EnrichmentWriter
{
    // The dashboard shows the best few; the rest add nothing to an explanation but bytes.
    private const int CandidatesKept = 12;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// Every write for the album as statements of one multi-statement command, which the job queue sends with the job's
    /// completion: one round trip instead of a dozen, which is most of what a job costs the service once the network
    /// is fast. They run in order inside the job's transaction, and the first failing statement fails the command.
    /// </summary>
    public JobResults Results(EnrichmentResult result, Action committed) =>
        Build(result, [EnrichmentSql.AlbumMatchUpsert], [EnrichmentSql.AlbumMatchSource], committed);

    /// <summary>
    /// The Discogs data of a person's decision whose album_matches row <c>ManualMatches</c> has just written (the
    /// decision itself, its scores and candidates are that row's): genres, labels, credits, the master or release,
    /// and the match's country, formats and cover. The same statements the job writes, so the album reads the same
    /// whichever wrote it last.
    /// </summary>
    public JobResults DiscogsData(EnrichmentResult result) =>
        Build(result, [EnrichmentSql.AlbumMatchDiscogsFacts], [], null);

    private static JobResults Build(EnrichmentResult result, IReadOnlyList<string> matchStatements, IReadOnlyList<string> afterStatements, Action? committed)
    {
        var best = result.Best;
        var credits = result.Release?.Extraartists ?? [];
        var statements = new List<string>(matchStatements)
        {
            EnrichmentSql.AlbumGenresDelete,
            EnrichmentSql.AlbumGenresInsert,
            EnrichmentSql.AlbumLabelsDelete,
            EnrichmentSql.LabelsUpsert,
            EnrichmentSql.AlbumLabelsInsert,
            EnrichmentSql.AlbumCreditsDelete,
            EnrichmentSql.AlbumCreditsInsert,
        };
        statements.AddRange(afterStatements);
        var parameters = new DynamicParameters(new
        {
            albumId = result.AlbumId,
            status = result.Status.ToColumn(),
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
            mode = result.Mode.ToColumn(),
            manual = result.Manual,
            decidedBy = result.Manual ? "person" : "matcher",
            matchSource = result.MatchSource.ToColumn(),
            country = result.Country,
            formats = result.Formats.ToArray(),
            coverImageUrl = result.CoverImageUrl,
            thumbnailUrl = result.ThumbnailUrl,
            genres = result.Genres.Select(g => g.Genre).ToArray(),
            kinds = result.Genres.Select(g => g.Kind.ToColumn()).ToArray(),
            sources = result.Genres.Select(g => g.Source.ToColumn()).ToArray(),
            labelIds = result.Labels.Select(l => l.LabelId).ToArray(),
            labelNames = result.Labels.Select(l => l.Name).ToArray(),
            labelCatnos = result.Labels.Select(l => l.CatalogNumber).ToArray(),
            creditNames = credits.Select(c => c.Name).ToArray(),
            creditAnvs = credits.Select(c => string.IsNullOrEmpty(c.Anv) ? null : c.Anv).ToArray(),
            creditRoles = credits.Select(c => c.Role ?? "").ToArray(),
            creditArtistIds = credits.Select(c => c.Id > 0 ? c.Id : (long?)null).ToArray(),
            creditTracks = credits.Select(c => string.IsNullOrEmpty(c.Tracks) ? null : c.Tracks).ToArray(),
        });

        if (result.Master is { } master)
        {
            statements.Add(EnrichmentSql.MasterUpsert);
            parameters.AddDynamicParams(new
            {
                masterRowId = master.Id,
                masterTitle = master.Title,
                masterArtists = master.Artists.Select(a => a.Name).ToArray(),
                masterYear = master.Year is > 0 ? master.Year : null,
                masterMainReleaseId = master.MainRelease,
                masterGenres = (master.Genres ?? []).ToArray(),
                masterStyles = (master.Styles ?? []).ToArray(),
            });
        }

        if (result.Release is { } release)
        {
            statements.Add(EnrichmentSql.ReleaseUpsert);
            statements.Add(EnrichmentSql.AlbumReleaseUpsert);
            parameters.AddDynamicParams(ReleaseRow(release));
            parameters.AddDynamicParams(FigureParameters(release));
            parameters.Add("releaseFiguresFetched", !result.ReleaseFromDump);
        }
        else
        {
            statements.Add(EnrichmentSql.AlbumReleaseDelete);
        }

        return new JobResults(string.Join(";\n", statements), parameters, committed);
    }

    private static object ReleaseRow(DiscogsRelease release) => new
    {
        releaseRowId = release.Id,
        releaseMasterId = release.MasterId is > 0 ? release.MasterId : null,
        releaseTitle = release.Title,
        releaseArtists = release.Artists.Select(a => a.Name).ToArray(),
        releaseYear = release.Year is > 0 ? release.Year : null,
        releaseReleased = release.Released,
        releaseCountry = release.Country,
        releaseFormats = JsonSerializer.Serialize((release.Formats ?? []).Select(f => new { f.Name, f.Qty, f.Text, Descriptions = f.Descriptions ?? [] }), Json),
        releaseTracklist = JsonSerializer.Serialize((release.Tracklist ?? []).Select(t => new { t.Position, t.Title, t.Duration, t.Type }), Json),
        releaseIdentifiers = JsonSerializer.Serialize((release.Identifiers ?? []).Select(i => new { i.Type, i.Value, i.Description }), Json),
    };

    /// <summary>
    /// The release's community and marketplace figures, data quality and images, as the release upsert and the figures
    /// job (<see cref="ReleaseFiguresJob"/>) write them; images in the shape documented in migration 0004.
    /// </summary>
    internal static object FigureParameters(DiscogsRelease release) => new
    {
        releaseDataQuality = release.DataQuality ?? release.Community?.DataQuality,
        releaseHave = release.Community?.Have,
        releaseWant = release.Community?.Want,
        releaseRatingAverage = release.Community?.Rating?.Average,
        releaseRatingCount = release.Community?.Rating?.Count,
        releaseLowestPrice = release.LowestPrice,
        releaseNumForSale = release.NumForSale,
        releaseImages = JsonSerializer.Serialize((release.Images ?? []).Select(i => new { i.Type, i.Uri, i.Uri150, i.Width, i.Height }), Json),
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
}
