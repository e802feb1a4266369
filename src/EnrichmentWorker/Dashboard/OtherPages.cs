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

/// <summary>Each running instance, its workers, its heartbeat and what it is doing.</summary>
public static class ServersPage
{
    public static IResult Render(PageContext page, IReadOnlyList<ServerRow> servers)
    {
        var list = servers.Count == 0
            ? Html.Of($"<section class=\"card\"><p class=\"empty\">No server has registered. Workers register when the service runs with Jobs:Workers above 0.</p></section>")
            : Html.Join(servers.Select(s => Server(page, s)));
        return Layout.Page(page, "Servers", "servers", Html.Of($"<h1>Servers</h1>{list}"));
    }

    private static Markup Server(PageContext page, ServerRow s)
    {
        var age = Fmt.Duration(TimeSpan.FromSeconds(Math.Max(0, s.HeartbeatAgeSeconds)));
        var rows = Html.Join(s.Processing.Select(j => Html.Of(
            $"<tr><td><a href=\"{page.Url("/jobs/" + j.Id)}\">#{j.Id}</a></td><td><a href=\"{page.Url("/albums/" + j.AlbumId)}\">{j.Artist} — {j.Title}</a></td><td>{j.Attempt}</td><td>{Fmt.Ago(j.StateChangedAt, page.Now)}</td></tr>")));
        var table = s.Processing.Count == 0
            ? Html.Of($"<p class=\"muted\">Idle.</p>")
            : Html.Of($"<table class=\"compact\"><thead><tr><th>Job</th><th>Album</th><th>Attempt</th><th>Started</th></tr></thead><tbody>{rows}</tbody></table>");
        return Html.Of($"""
            <section class="card server">
              <div class="card-head"><h2>{s.Id}</h2><span class="pill {(s.HeartbeatAgeSeconds < 60 ? "ok" : "bad")}">heartbeat {age} ago</span></div>
              <dl class="facts">
                <dt>Host</dt><dd>{s.HostName}</dd><dt>Process</dt><dd>{s.ProcessId}</dd><dt>Workers</dt><dd>{s.Workers}</dd>
                <dt>Started</dt><dd>{Fmt.Time(s.StartedAt)}</dd><dt>Busy</dt><dd>{s.Processing.Count} of {s.Workers}</dd>
              </dl>
              {table}
            </section>
            """);
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
