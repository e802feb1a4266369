namespace EnrichmentWorker.Dashboard.Albums;

/// <summary>The albums page: a search box, outcome and genre filters, and one line per album, newest first.</summary>
public static class AlbumListPage
{
    public static IResult Render(PageContext page, AlbumListFilter filter, AlbumListPageData data)
    {
        var outcomes = Html.Join(new (AlbumOutcome? Value, string Label)[]
        {
            (null, "Any outcome"), (AlbumOutcome.Matched, "Matched"), (AlbumOutcome.NeedsReview, "Needs review"),
            (AlbumOutcome.NoMatch, "No match"), (AlbumOutcome.NotEnriched, "Not yet enriched"),
        }.Select(o => Html.Of($"<option value=\"{(o.Value is { } v ? AlbumList.ToParameter(v) : "")}\"{(o.Value == filter.Outcome ? Html.Of($" selected") : Markup.Empty)}>{o.Label}</option>")));
        var rows = Html.Join(data.Items.Select(a => Html.Of($"""
            <tr>
              <td class="num"><a href="{page.Url("/albums/" + a.Id)}">#{a.Id}</a></td>
              <td><a class="album" href="{page.Url("/albums/" + a.Id)}">{ListText.Cut(a.Title)}</a></td>
              <td>{ListText.Cut(a.Artist)}</td>
              <td>{a.Year}</td>
              <td>{Outcome(a)}</td>
              <td class="num">{Fmt.Score(a.Score)}</td>
            </tr>
            """)));
        var next = data.NextAfter is { } after
            ? Html.Of($"<p class=\"pager\"><a class=\"btn\" href=\"{page.Url(Query(filter with { After = after }))}\" rel=\"next\">Next page ›</a></p>")
            : Markup.Empty;
        return Layout.Page(page, "Albums", "albums", Html.Of($"""
            <section class="card">
              <div class="card-head"><h1>Albums</h1></div>
              <form method="get" action="{page.Url("/albums")}" class="search" role="search">
                <input type="search" name="q" value="{filter.Query}" placeholder="Artist or title (accents optional)" aria-label="Search artist or title" maxlength="{AlbumList.MaxQueryLength}">
                <select name="outcome" aria-label="Outcome">{outcomes}</select>
                <input type="text" name="genre" value="{filter.Genre}" placeholder="Genre or style, e.g. Jazz" aria-label="Genre or style" maxlength="{AlbumList.MaxGenreLength}">
                <button type="submit" class="btn primary">Show</button>
                {(filter is { Query: null, Outcome: null, Genre: null } ? Markup.Empty : Html.Of($"<a href=\"{page.Url("/albums")}\">Clear</a>"))}
              </form>
              {(data.Items.Count == 0 ? Html.Of($"<p class=\"muted\">No albums {(filter.After is null ? "match these filters" : "on this page")}.</p>") : Html.Of($"""
                <table class="albums">
                  <thead><tr><th class="num">Album</th><th>Title</th><th>Artist</th><th>Year</th><th>Outcome</th><th class="num">Score</th></tr></thead>
                  <tbody>{rows}</tbody>
                </table>
                """))}
              {next}
            </section>
            """));
    }

    private static Markup Outcome(AlbumListItem a) => a.Status is null
        ? Html.Of($"<span class=\"pill\">not yet enriched</span>")
        : Html.Of($"<span class=\"pill match-{a.Status}\">{a.Status.Replace('_', ' ')}</span>{(a.Manual ? Html.Of($" <span class=\"muted\">by hand</span>") : Markup.Empty)}");

    /// <summary>The list's address for a filter, relative to the dashboard's path.</summary>
    public static string Query(AlbumListFilter filter)
    {
        var parts = new List<string>();
        if (filter.Query is not null)
        {
            parts.Add("q=" + Uri.EscapeDataString(filter.Query));
        }

        if (filter.Outcome is { } outcome)
        {
            parts.Add("outcome=" + AlbumList.ToParameter(outcome));
        }

        if (filter.Genre is not null)
        {
            parts.Add("genre=" + Uri.EscapeDataString(filter.Genre));
        }

        if (filter.After is { } after)
        {
            parts.Add("after=" + after.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return "/albums" + (parts.Count == 0 ? "" : "?" + string.Join('&', parts));
    }
}
