using EnrichmentWorker.Library;
using EnrichmentWorker.Matching;
using System.Globalization;

namespace EnrichmentWorker.Dashboard;

/// <summary>One album: its tags, why it matched what it matched, what Discogs says about it, and its jobs.</summary>
public static class AlbumPage
{
    public static string DiscogsUrl(string kind, long id) => $"https://www.discogs.com/{(kind == "master" ? "master" : "release")}/{id.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Only https images: a stored URL is shown as an image, never followed as anything else.</summary>
    private static string? SafeImage(params string?[] urls) =>
        urls.FirstOrDefault(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps);

    public static IResult Render(PageContext page, AlbumEnrichment e)
    {
        var a = e.Album;
        var m = e.Match;
        var job = e.Job;
        var cover = SafeImage(e.Release?.CoverImageUrl, m?.CoverImageUrl, e.Release?.ThumbnailUrl, m?.ThumbnailUrl);
        var status = m is null ? Html.Of($"<span class=\"pill\">not matched yet</span>")
            : Html.Of($"<span class=\"pill match-{m.Status}\">{m.Status.Replace('_', ' ')}</span>{(m.Manual ? Html.Of($" <span class=\"pill\">decided by {m.DecidedBy}</span>") : Markup.Empty)}");
        // Retry and re-match queue the album (AlbumJobRequests): a failed job runs again as itself, a live one runs once
        // more after it finishes. Deleting or cancelling a job is Hangfire's (its job page has the buttons).
        var actions = Html.Of($"""
            {(job is { State: "failed" } ? page.ActionButton(page.Url($"/albums/{a.Id}/retry"), "Retry", "primary") : Markup.Empty)}
            {(job is null or { State: "failed" } ? page.ActionButton(page.Url($"/albums/{a.Id}/rematch"), "Re-match") : Markup.Empty)}
            {(m is { Manual: true } && job is null or { State: "failed" } ? page.ActionButton(page.Url($"/albums/{a.Id}/rematch?overwriteManual=true"), "Re-match, discarding the manual decision", "", "Discard the decision made by hand and match again?") : Markup.Empty)}
            """);
        var jobLine = job switch
        {
            null => Html.Of($"<p class=\"muted\">No live job: the album is done until it is asked for again.</p>"),
            { HangfireJobId: { } id } => Html.Of($"<p>Job <a class=\"hangfire-job\" href=\"{HangfireLinks.Job(id)}\">#{id}</a> on the Hangfire dashboard: <span class=\"pill state-{job.State}\">{job.State}</span>{(job.Rerun ? " — runs once more after this one" : "")}.</p>"),
            _ => Html.Of($"<p>Waiting to be handed to Hangfire since {Fmt.Time(job.RequestedAt)} ({job.Reason}).</p>"),
        };
        return Layout.Page(page, $"{a.Tags.Artist} — {a.Tags.Title}", "albums", Html.Of($"""
            <p class="crumbs"><a href="{page.Url("")}">Overview</a> › Album #{a.Id}</p>
            <section class="album-head card">
              {(cover is null ? Html.Of($"<div class=\"cover none\" aria-hidden=\"true\">♫</div>") : Html.Of($"<img class=\"cover\" src=\"{cover}\" alt=\"Cover of {a.Tags.Title}\" referrerpolicy=\"no-referrer\">"))}
              <div class="album-title">
                <h1>{a.Tags.Title}</h1>
                <p class="artist">{a.Tags.Artist}{(a.Tags.Year is null ? "" : " · " + a.Tags.Year)}</p>
                <p>{status} {(a.MissingSince is null ? Markup.Empty : Html.Of($"<span class=\"pill bad missing\" title=\"Its folder is gone since {Fmt.Time(a.MissingSince)}; the album and its results are kept.\">missing</span>"))} {(job is null ? Markup.Empty : Html.Of($"<span class=\"pill state-{job.State}\">job {job.State}</span>"))}</p>
                {(m is null ? Markup.Empty : Html.Of($"<p class=\"why\">{m.Reason}</p>"))}
                <div class="actions">{actions}</div>
              </div>
            </section>
            <section class="grid two">
              {Tags(a)}
              {Decision(m)}
            </section>
            {Candidates(page, a.Id, m)}
            {Discogs(e)}
            <section class="card">
              <h2>Job and history</h2>
              {jobLine}
              <table class="compact history"><thead><tr><th>When</th><th>What</th><th>Job</th><th>Attempt</th><th>Why</th></tr></thead><tbody>
              {Html.Join(e.History.Select(h => Html.Of($"<tr><td>{Fmt.Time(h.At)}</td><td><span class=\"pill state-{h.State}\">{h.State.Replace('_', ' ')}</span></td><td>{(h.HangfireJobId is { } id ? Html.Of($"<a href=\"{HangfireLinks.Job(id)}\">#{id}</a>") : Markup.Empty)}</td><td>{h.Attempt}</td><td>{h.Reason}{(h.Message is null ? Markup.Empty : Html.Of($"<br><span class=\"muted\">{h.ExceptionType}: {h.Message}</span>"))}</td></tr>")))}
              </tbody></table>
            </section>
            """));
    }

    private static Markup Tags(StoredAlbum a) => Html.Of($"""
        <div class="card"><h2>Tags as imported</h2>
          <dl class="facts wide">
            <dt>Artist</dt><dd>{a.Tags.Artist}</dd>
            {(a.Tags.AlbumArtist is null ? Markup.Empty : Html.Of($"<dt>Album artist</dt><dd>{a.Tags.AlbumArtist}</dd>"))}
            <dt>Title</dt><dd>{a.Tags.Title}</dd>
            <dt>Year</dt><dd>{(a.Tags.Year?.ToString(CultureInfo.InvariantCulture) ?? "—")}</dd>
            {(a.Tags.TrackCount is null ? Markup.Empty : Html.Of($"<dt>Tracks</dt><dd>{a.Tags.TrackCount}</dd>"))}
            {(a.Tags.CatalogNumber is null ? Markup.Empty : Html.Of($"<dt>Catalog no.</dt><dd>{a.Tags.CatalogNumber}</dd>"))}
            {(a.Tags.Barcode is null ? Markup.Empty : Html.Of($"<dt>Barcode</dt><dd>{a.Tags.Barcode}</dd>"))}
            {(a.Tags.DiscogsMasterId is null ? Markup.Empty : Html.Of($"<dt>Discogs master</dt><dd>{a.Tags.DiscogsMasterId}</dd>"))}
            {(a.Tags.DiscogsReleaseId is null ? Markup.Empty : Html.Of($"<dt>Discogs release</dt><dd>{a.Tags.DiscogsReleaseId}</dd>"))}
            <dt>Source</dt><dd>{a.Source} <span class="muted">{a.SourceKey}</span></dd>
            <dt>Added</dt><dd>{Fmt.Time(a.AddedAt)}</dd>
          </dl>
        </div>
        """);

    private static Markup Decision(MatchRow? m)
    {
        if (m is null)
        {
            return Html.Of($"<div class=\"card\"><h2>Decision</h2><p class=\"muted\">No decision yet: the album has not been matched.</p></div>");
        }

        var links = Html.Of($"""
            {(m.MasterId is null ? Markup.Empty : Html.Of($"<dt>Master</dt><dd><a href=\"{DiscogsUrl("master", m.MasterId.Value)}\" rel=\"noreferrer\" target=\"_blank\">master/{m.MasterId} ↗</a></dd>"))}
            {(m.ReleaseId is null ? Markup.Empty : Html.Of($"<dt>Release</dt><dd><a href=\"{DiscogsUrl("release", m.ReleaseId.Value)}\" rel=\"noreferrer\" target=\"_blank\">release/{m.ReleaseId} ↗</a></dd>"))}
            """);
        return Html.Of($"""
            <div class="card"><h2>Decision</h2>
              <dl class="facts wide">
                <dt>Status</dt><dd><span class="pill match-{m.Status}">{m.Status.Replace('_', ' ')}</span> <span class="muted">{m.ReasonCode}</span></dd>
                <dt>Why</dt><dd>{m.Reason}</dd>
                {links}
                <dt>Score</dt><dd>{ScoreBars(m.TitleScore, m.ArtistScore, m.YearScore, m.Score)}</dd>
                <dt>Decided</dt><dd>{Fmt.Time(m.MatchedAt)} by {m.DecidedBy}{(m.Manual ? " (manual)" : "")}</dd>
                <dt>Requests</dt><dd>{m.RequestsSpent} · mode {m.Mode}</dd>
              </dl>
            </div>
            """);
    }

    private static Markup ScoreBars(double? title, double? artist, double? year, double? total) => Html.Of($"""
        <div class="scores">
          <span class="score"><span class="muted">title</span> <meter min="0" max="1" value="{title ?? 0}"></meter> {Fmt.Score(title)}</span>
          <span class="score"><span class="muted">artist</span> <meter min="0" max="1" value="{artist ?? 0}"></meter> {Fmt.Score(artist)}</span>
          <span class="score"><span class="muted">year</span> <meter min="0" max="1" value="{year ?? 0}"></meter> {Fmt.Score(year)}</span>
          <span class="score total"><span class="muted">total</span> <strong>{Fmt.Score(total)}</strong></span>
        </div>
        """);

    public static Markup CandidateRows(PageContext page, long albumId, IReadOnlyList<MatchCandidateView> candidates, MatchRow? m, int max = int.MaxValue) =>
        Html.Join(candidates.Take(max).Select(c =>
        {
            var chosen = m is not null && ((c.Kind == "master" && m.MasterId == c.Id) || (c.Kind == "release" && m.ReleaseId == c.Id)) && m.Status == MatchOutcomeColumn.Matched;
            return Html.Of($"""
                <tr class="{(chosen ? "chosen" : c.Rejected is null ? "" : "rejected")}">
                  <td><a href="{DiscogsUrl(c.Kind, c.Id)}" rel="noreferrer" target="_blank">{c.Kind} {c.Id} ↗</a></td>
                  <td><strong>{c.Title}</strong><br><span class="muted">{string.Join(", ", c.Artists ?? [])}</span></td>
                  <td>{c.Year}{(c.MasterYear is not null && c.MasterYear != c.Year ? Html.Of($" <span class=\"muted\">(orig. {c.MasterYear})</span>") : Markup.Empty)}</td>
                  <td class="num">{Fmt.Score(c.Scores?.Title)}</td><td class="num">{Fmt.Score(c.Scores?.Artist)}</td><td class="num">{Fmt.Score(c.Scores?.Year)}</td>
                  <td class="num"><meter min="0" max="1" value="{c.Scores?.Total ?? 0}"></meter> <strong>{Fmt.Score(c.Scores?.Total)}</strong></td>
                  <td>{(chosen ? Html.Of($"<span class=\"pill match-matched\">chosen</span>") : c.Rejected is null ? Markup.Empty : Html.Of($"<span class=\"muted\">{c.Rejected}</span>"))}</td>
                  <td>{(chosen ? Markup.Empty : page.ActionButton(page.Url($"/albums/{albumId}/match?kind={c.Kind}&id={c.Id}"), "Use this", "small primary"))}</td>
                </tr>
                """);
        }));

    private static Markup Candidates(PageContext page, long albumId, MatchRow? m)
    {
        var candidates = m?.Candidates ?? [];
        var noMatch = m is { Status: MatchOutcomeColumn.NoMatch, Manual: true } ? Markup.Empty : page.ActionButton(page.Url($"/albums/{albumId}/match?kind=none"), "No match", "danger");
        return Html.Of($""""
            <section class="card">
              <div class="card-head"><h2>Candidates</h2><div>{noMatch}</div></div>
              {(candidates.Count == 0 ? Html.Of($"<p class=\"muted\">No candidates recorded.</p>") : Html.Of($"""
                <table class="candidates">
                  <thead><tr><th>Discogs</th><th>Title / artists</th><th>Year</th><th class="num">Title</th><th class="num">Artist</th><th class="num">Year</th><th class="num">Total</th><th></th><th></th></tr></thead>
                  <tbody>{CandidateRows(page, albumId, candidates, m)}</tbody>
                </table>
                """))}
              {ManualMatchPage.Form(page, albumId)}
            </section>
            """");
    }

    private static Markup Chips(IEnumerable<string> values, string style) => Html.Join(values.Distinct().Select(v => Html.Of($"<span class=\"chip {style}\">{v}</span>")));

    private static Markup Discogs(AlbumEnrichment e)
    {
        var r = e.Release;
        var genres = e.Genres.Where(g => g.Kind == Enrichment.GenreColumns.Genre).Select(g => g.Name).Concat(e.Master?.Genres ?? []).ToList();
        var styles = e.Genres.Where(g => g.Kind == Enrichment.GenreColumns.Style).Select(g => g.Name).Concat(e.Master?.Styles ?? []).ToList();
        var formats = r?.FormatLines() ?? (IReadOnlyList<string>)(e.Match?.Formats ?? []);
        if (r is null && genres.Count == 0 && styles.Count == 0 && e.Labels.Count == 0 && e.Credits.Count == 0 && formats.Count == 0)
        {
            return Markup.Empty;
        }

        var price = r?.LowestPrice is null ? "—" : r.LowestPrice.Value.ToString("0.00", CultureInfo.InvariantCulture);
        return Html.Of($""""
            <section class="grid two">
              <div class="card"><h2>From Discogs</h2>
                <dl class="facts wide">
                  <dt>Genres</dt><dd>{(genres.Count == 0 ? Html.Of($"—") : Chips(genres, "genre"))}</dd>
                  <dt>Styles</dt><dd>{(styles.Count == 0 ? Html.Of($"—") : Chips(styles, "style"))}</dd>
                  <dt>Formats</dt><dd>{(formats.Count == 0 ? Html.Of($"—") : Html.Join(formats.Select(f => Html.Of($"<div>{f}</div>"))))}</dd>
                  <dt>Labels</dt><dd>{(e.Labels.Count == 0 ? Html.Of($"—") : Html.Join(e.Labels.Select(l => Html.Of($"<div>{l.Name}{(l.CatalogNumber is null ? Markup.Empty : Html.Of($" <span class=\"muted\">– {l.CatalogNumber}</span>"))}</div>"))))}</dd>
                  <dt>Country</dt><dd>{r?.Country ?? e.Match?.Country ?? "—"}</dd>
                  <dt>Released</dt><dd>{r?.Released ?? r?.Year?.ToString(CultureInfo.InvariantCulture) ?? "—"}</dd>
                  {(r?.DataQuality is null ? Markup.Empty : Html.Of($"<dt>Data quality</dt><dd>{r.DataQuality}</dd>"))}
                </dl>
              </div>
              <div class="card"><h2>Marketplace &amp; community</h2>
                <dl class="facts wide">
                  <dt>Lowest price</dt><dd>{price}</dd>
                  <dt>For sale</dt><dd>{r?.NumForSale?.ToString(CultureInfo.InvariantCulture) ?? "—"}</dd>
                  <dt>Have / want</dt><dd>{r?.CommunityHave?.ToString(CultureInfo.InvariantCulture) ?? "—"} / {r?.CommunityWant?.ToString(CultureInfo.InvariantCulture) ?? "—"}</dd>
                  <dt>Rating</dt><dd>{(r?.RatingAverage is null ? "—" : $"{r.RatingAverage:0.00} ({r.RatingCount} votes)")}</dd>
                </dl>
              </div>
            </section>
            {(e.Credits.Count == 0 ? Markup.Empty : Html.Of($"""
              <section class="card"><h2>Credits</h2>
                <table class="compact"><thead><tr><th>Name</th><th>Role</th><th>Tracks</th></tr></thead><tbody>
                {Html.Join(e.Credits.Select(c => Html.Of($"<tr><td>{c.Name}{(c.Anv is null ? Markup.Empty : Html.Of($" <span class=\"muted\">as {c.Anv}</span>"))}</td><td>{c.Role}</td><td>{c.Tracks}</td></tr>")))}
                </tbody></table>
              </section>
              """))}
            """");
    }
}
