using EnrichmentWorker.Discogs;
using EnrichmentWorker.Library;

namespace EnrichmentWorker.Dashboard;

/// <summary>
/// "Not among the candidates?": a person pastes the Discogs address or id of the right release or master, sees what
/// Discogs holds for it, and saves it as the album's match the way a candidate pick is saved (the save posts to the
/// same action, which fetches it once more, so what is written is what Discogs says at that moment).
/// </summary>
public static class ManualMatchPage
{
    /// <summary>The form on the album page (and on this page, filled in); administrators only.</summary>
    public static Markup Form(PageContext page, long albumId, string? pasted = null, string? kind = null)
    {
        if (!page.IsAdmin)
        {
            return Markup.Empty;
        }

        var master = DiscogsReference.EntityOf(kind) == DiscogsEntity.Master;
        return Html.Of($"""
            <form method="post" action="{page.Url($"/albums/{albumId}/lookup")}" class="search discogs-lookup">
              {page.TokenField}
              <label for="discogs-ref">Not among the candidates? Paste a Discogs URL or id</label>
              <input id="discogs-ref" name="discogs" type="text" value="{pasted}" maxlength="500" required
                     placeholder="https://www.discogs.com/release/123-Artist-Title, [m456] or 123">
              <select name="kind" aria-label="A bare number is a">
                <option value="release"{(master ? Markup.Empty : Html.Of($" selected"))}>release</option>
                <option value="master"{(master ? Html.Of($" selected") : Markup.Empty)}>master</option>
              </select>
              <button type="submit" class="btn">Look up on Discogs</button>
            </form>
            """);
    }

    /// <summary>POST /albums/{id}/lookup: parse, fetch (one request of the shared budget), and show what came back or why not.</summary>
    public static async Task<IResult> LookupAsync(HttpContext http, long id, AlbumLookup albums, ManualMatchLookup lookup, CancellationToken cancellationToken)
    {
        if (await DashboardInput.TryReadFormAsync(http.Request, cancellationToken) is not { } form)
        {
            return DashboardPages.BadRequest(http, "This address takes the album page's form (application/x-www-form-urlencoded); the JSON API is under /api.");
        }

        // The album's tags only (its heading): the album page's full read is nine queries this page does not show.
        if (await albums.FindAsync(id, cancellationToken) is not { } album)
        {
            return DashboardPages.NotFound(http, $"There is no album #{id}.");
        }

        var page = DashboardPages.PageOf(http);
        var pasted = form["discogs"].ToString();
        var kind = form["kind"].ToString();
        if (!DiscogsReference.TryParse(pasted, DiscogsReference.EntityOf(kind), out var reference, out var error))
        {
            return Render(page, album, pasted, kind, MatchLookup.Failed(LookupFailure.Refused, error), StatusCodes.Status400BadRequest);
        }

        var result = await lookup.FetchAsync(reference, cancellationToken);
        var status = result.Found is not null ? StatusCodes.Status200OK : ActionOutcome.Of(result).Status;
        return Render(page, album, pasted, kind, result, status);
    }

    private static IResult Render(PageContext page, StoredAlbum album, string pasted, string kind, MatchLookup result, int status) =>
        Layout.Page(page, $"Discogs match for {album.Tags.Artist} — {album.Tags.Title}", "albums", Html.Of($"""
            <p class="crumbs"><a href="{page.Url("")}">Overview</a> › <a href="{page.Url($"/albums/{album.Id}")}">Album #{album.Id}</a> › Discogs by URL or id</p>
            <section class="card">
              <h1>{album.Tags.Artist} — {album.Tags.Title}</h1>
              {Form(page, album.Id, pasted, kind)}
              {(result.Found is null ? Html.Of($"<p class=\"error lookup-refused\" role=\"alert\">{result.Message}</p>") : Markup.Empty)}
            </section>
            {(result.Found is { } found ? Preview(page, album.Id, found) : Markup.Empty)}
            """), status);

    private static Markup Preview(PageContext page, long albumId, FetchedMatch found)
    {
        var release = found.Release;
        var reference = found.Reference;
        return Html.Of($""""
            <section class="card discogs-preview">
              <h2>Discogs {reference.Kind} {reference.Id}: <a href="{reference.PageUrl}" rel="noreferrer" target="_blank">{found.Title} ↗</a></h2>
              <dl class="facts wide">
                <dt>Title</dt><dd class="preview-title">{found.Title}</dd>
                <dt>Artists</dt><dd>{(found.Artists.Count == 0 ? "—" : string.Join(", ", found.Artists))}</dd>
                <dt>Year</dt><dd>{found.Year?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "—"}</dd>
                <dt>Genres</dt><dd>{Chips(found.Genres, "genre")}</dd>
                <dt>Styles</dt><dd>{Chips(found.Styles, "style")}</dd>
                {(release is null ? Markup.Empty : Html.Of($"""
                  <dt>Formats</dt><dd>{(found.FormatLines.Count == 0 ? Html.Of($"—") : Html.Join(found.FormatLines.Select(f => Html.Of($"<div>{f}</div>"))))}</dd>
                  <dt>Labels</dt><dd>{((release.Labels ?? []).Count == 0 ? Html.Of($"—") : Html.Join((release.Labels ?? []).Select(l => Html.Of($"<div>{l.Name}{(string.IsNullOrEmpty(l.Catno) ? Markup.Empty : Html.Of($" <span class=\"muted\">– {l.Catno}</span>"))}</div>"))))}</dd>
                  <dt>Country</dt><dd>{release.Country ?? "—"}</dd>
                  <dt>Master</dt><dd>{(found.MasterId is { } m ? Html.Of($"<a href=\"{AlbumPage.DiscogsUrl("master", m)}\" rel=\"noreferrer\" target=\"_blank\">master/{m} ↗</a>") : Html.Of($"none (a release without a master)"))}</dd>
                  """))}
              </dl>
              <div class="actions">
                {page.ActionButton(page.Url($"/albums/{albumId}/match?kind={reference.Kind}&id={reference.Id}"), "Save this match", "primary")}
                <a class="btn" href="{page.Url($"/albums/{albumId}")}">Cancel</a>
              </div>
            </section>
            """");
    }

    private static Markup Chips(IReadOnlyList<string> values, string style) => values.Count == 0
        ? Html.Of($"—")
        : Html.Join(values.Distinct().Select(v => Html.Of($"<span class=\"chip {style}\">{v}</span>")));
}
