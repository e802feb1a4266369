namespace EnrichmentWorker.Dashboard;

/// <summary>Albums waiting for a person's decision, with their best candidates and one-click accept/reject.</summary>
public static class ReviewPage
{
    public static IResult Render(PageContext page, ReviewList result, bool firstPage)
    {
        var items = result.Albums.Count == 0
            ? Html.Of($"<section class=\"card\"><p class=\"empty\">Nothing to review. Every album was either matched with confidence or has no match.</p></section>")
            : Html.Join(result.Albums.Select(r =>
            {
                var best = r.Candidates.Where(c => c.Rejected is null).Take(3).ToList();
                var accept = best.Count == 0 ? Markup.Empty
                    : page.ActionButton(page.Url($"/albums/{r.AlbumId}/match?kind={best[0].Kind}&id={best[0].Id}&back=review"), "Accept best", "primary");
                var reject = page.ActionButton(page.Url($"/albums/{r.AlbumId}/match?kind=none&back=review"), "Reject (no match)", "danger");
                return Html.Of($"""
                    <section class="card review" data-album="{r.AlbumId}">
                      <div class="card-head">
                        <div><h2><a href="{page.Url("/albums/" + r.AlbumId)}">{r.Title}</a></h2><p class="artist">{r.Artist}{(r.Year is null ? "" : " · " + r.Year)}</p></div>
                        <div class="actions">{accept}{reject}</div>
                      </div>
                      <p class="why">{r.Reason}</p>
                      <table class="candidates">
                        <thead><tr><th>Discogs</th><th>Title / artists</th><th>Year</th><th class="num">Title</th><th class="num">Artist</th><th class="num">Year</th><th class="num">Total</th><th></th><th></th></tr></thead>
                        <tbody>{AlbumPage.CandidateRows(page, r.AlbumId, r.Candidates, null, 3)}</tbody>
                      </table>
                    </section>
                    """);
            }));
        var paging = Html.Of($"""
            <nav class="paging">
              {(firstPage ? Markup.Empty : Html.Of($"<a class=\"btn\" href=\"{page.Url("/review")}\">« Most likely first</a>"))}
              {(result.NextAfter is null ? Markup.Empty : Html.Of($"<a class=\"btn\" rel=\"next\" href=\"{page.Url("/review?after=" + Uri.EscapeDataString(result.NextAfter))}\">Next »</a>"))}
            </nav>
            """);
        return Layout.Page(page, "Needs review", "review", Html.Of($"""
            <h1>Needs review</h1>
            <p class="muted">The best candidate was plausible but not certain. Highest-scoring first, so the likeliest matches are at the top. Accepting writes a manual decision that later automatic runs keep.</p>
            {items}
            {paging}
            """));
    }
}

/// <summary>The sign-in form for people reaching the dashboard from another machine.</summary>
public static class LoginPage
{
    public static IResult Render(PageContext page, string? returnUrl, string? error, int status = StatusCodes.Status200OK) => new HtmlResult(Html.Of($"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Sign in · EnrichmentWorker</title><link rel="stylesheet" href="{page.Url("/assets/dashboard.css")}"></head>
        <body class="login-page">
          <form method="post" action="{page.Url("/login")}" class="card login">
            <h1><span class="logo" aria-hidden="true">◉</span> EnrichmentWorker</h1>
            <p class="muted">Sign in to see the enrichment queue.</p>
            {(error is null ? Markup.Empty : Html.Of($"<p class=\"error\" role=\"alert\">{error}</p>"))}
            {page.TokenField}
            <input type="hidden" name="returnUrl" value="{returnUrl}">
            <label>User <input name="user" autocomplete="username" required autofocus></label>
            <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
            <button type="submit" class="btn primary">Sign in</button>
          </form>
        </body></html>
        """).Value, status);
}
