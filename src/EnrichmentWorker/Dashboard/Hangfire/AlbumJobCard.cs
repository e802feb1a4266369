using Dapper;
using Hangfire.Common;
using Hangfire.Dashboard;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.Dashboard.Hangfire;

/// <summary>What the album card shows: the album and its latest decision (null fields: not decided yet).</summary>
public sealed record AlbumJobCardData(long Id, string Artist, string Title, int? Year, string? Status, double? Score,
    long? MasterId, long? ReleaseId, string? Reason, bool Manual);

/// <summary>
/// The album card on a Hangfire job's page: which album the job enriches (artist, title, year, a link to its page)
/// and what was decided (status, score, the chosen master and release). One statement; every value HTML-encoded.
/// </summary>
public static class AlbumJobCard
{
    private const string Sql = """
        SELECT a.id AS Id, a.artist AS Artist, a.title AS Title, a.year AS Year, m.status AS Status, m.score::float8 AS Score,
               m.master_id AS MasterId, m.release_id AS ReleaseId, m.reason AS Reason, coalesce(m.manual, false) AS Manual
        FROM albums a
        LEFT JOIN album_matches m ON m.album_id = a.id
        WHERE a.id = @albumId
        """;

    /// <summary>Hangfire's renderers are synchronous; the one query is a primary-key lookup.</summary>
    public static NonEscapedString Render(JobDetailsRendererDto dto)
    {
        if (!Enrichment.AlbumEnrichmentJob.TryGetAlbumId(dto.JobDetails.Job, out var albumId))
        {
            return new NonEscapedString("");
        }

        var services = dto.Page.Context.GetHttpContext().RequestServices;
        var path = services.GetRequiredService<IOptions<DashboardOptions>>().Value.Path;
        using var connection = services.GetRequiredService<NpgsqlDataSource>().OpenConnection();
        var album = connection.QuerySingleOrDefault<AlbumJobCardData>(Sql, new { albumId });
        return new NonEscapedString(Card(album, albumId, path).Value);
    }

    public static Markup Card(AlbumJobCardData? album, long albumId, string dashboardPath)
    {
        if (album is null)
        {
            return Html.Of($"<h3>Album</h3><p class=\"text-muted\" id=\"album-card\">Album #{albumId} is no longer in the library.</p>");
        }

        var decision = album.Status is null
            ? Html.Of($"<dt>Decision</dt><dd>not matched yet</dd>")
            : Html.Of($"""
                <dt>Decision</dt><dd><span class="label label-default">{album.Status.Replace('_', ' ')}</span>{(album.Manual ? " (by hand)" : "")} · score {Fmt.Score(album.Score)}</dd>
                {(album.MasterId is null ? Markup.Empty : Html.Of($"<dt>Master</dt><dd><a href=\"{AlbumPage.DiscogsUrl("master", album.MasterId.Value)}\" rel=\"noreferrer\" target=\"_blank\">master/{album.MasterId}</a></dd>"))}
                {(album.ReleaseId is null ? Markup.Empty : Html.Of($"<dt>Release</dt><dd><a href=\"{AlbumPage.DiscogsUrl("release", album.ReleaseId.Value)}\" rel=\"noreferrer\" target=\"_blank\">release/{album.ReleaseId}</a></dd>"))}
                {(album.Reason is null ? Markup.Empty : Html.Of($"<dt>Why</dt><dd>{Albums.ListText.Cut(album.Reason, 500)}</dd>"))}
                """);
        return Html.Of($"""
            <h3>Album</h3>
            <div class="state-card" id="album-card">
              <dl class="dl-horizontal">
                <dt>Album</dt><dd><a href="{dashboardPath}/albums/{album.Id}" id="album-link">#{album.Id}: {Albums.ListText.Cut(album.Artist)} – {Albums.ListText.Cut(album.Title)}</a>{(album.Year is null ? "" : $" ({album.Year})")}</dd>
                {decision}
              </dl>
            </div>
            """);
    }
}
