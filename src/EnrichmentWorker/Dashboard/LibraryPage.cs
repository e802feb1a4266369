using System.Globalization;
using EnrichmentWorker.MusicFolders;

namespace EnrichmentWorker.Dashboard;

/// <summary>The user's music folders: per root its files, albums found and enriched, last scan and problems.</summary>
public static class LibraryPage
{
    public static IResult Render(PageContext page, IReadOnlyList<MusicFolderRoot> roots)
    {
        var body = roots.Count == 0
            ? Html.Of($"<section class=\"card\"><p class=\"empty\">No music folder is configured. Set Library:Folders to the folders of your audio files (see the README, \"Your music folder\"), or run <code>EnrichmentWorker scan FOLDER</code>.</p></section>")
            : Html.Join(roots.Select(r => Root(page, r)));
        return Layout.Page(page, "Library", "library", Html.Of($"""
            <h1>Library</h1>
            <p class="muted">Music folders are scanned at start, watched for albums copied in, and rescanned periodically. The service only reads them.</p>
            {body}
            """));
    }

    private static Markup Root(PageContext page, MusicFolderRoot r)
    {
        var state = r.Unavailable is not null ? Html.Of($"<span class=\"pill bad\">unavailable</span>")
            : r.LastScanAt is null ? Html.Of($"<span class=\"pill\">not scanned yet</span>")
            : Html.Of($"<span class=\"pill ok\">scanned {Fmt.Ago(r.LastScanAt, page.Now)}</span>");
        var problems = r.Problems.Count == 0 ? Html.Of($"<p class=\"muted\">No problems.</p>") : Html.Of($"""
            <table class="compact problems"><thead><tr><th>Path</th><th>Reason</th><th>Since</th></tr></thead><tbody>
            {Html.Join(r.Problems.Select(p => Html.Of($"<tr><td><code>{p.Path}</code></td><td>{p.Reason}</td><td>{Fmt.Time(p.FirstSeenAt)}</td></tr>")))}
            </tbody></table>
            {(r.ProblemCount > r.Problems.Count ? Html.Of($"<p class=\"muted\">The first {r.Problems.Count} of {Fmt.Count(r.ProblemCount)} shown.</p>") : Markup.Empty)}
            """);
        var missing = r.MissingAlbums.Count == 0 ? Markup.Empty : Html.Of($"""
            <h3>Missing albums</h3>
            <p class="muted">Their folders are gone; the albums and their results are kept and come back if the folders do.</p>
            <table class="compact missing"><thead><tr><th>Album</th><th>Missing since</th></tr></thead><tbody>
            {Html.Join(r.MissingAlbums.Select(a => Html.Of($"<tr><td><a href=\"{page.Url("/albums/" + a.Id)}\">{a.Artist} — {a.Title}</a> <span class=\"pill bad\">missing</span></td><td>{Fmt.Time(a.MissingSince)}</td></tr>")))}
            </tbody></table>
            """);
        var seconds = r.LastScanSeconds?.ToString("0.0", CultureInfo.InvariantCulture);
        return Html.Of($"""
            <section class="card library-root" data-root="{r.Root}">
              <div class="card-head"><h2><code>{r.Root}</code></h2>{state}</div>
              {(r.Unavailable is null ? Markup.Empty : Html.Of($"<p class=\"why\">{r.Unavailable}</p>"))}
              {(r.Configured ? Markup.Empty : Html.Of($"<p class=\"muted\">Not in Library:Folders (added with the scan command): not watched.</p>"))}
              <dl class="facts">
                <dt>Audio files</dt><dd>{Fmt.Count(r.Files)}</dd>
                <dt>Other files</dt><dd>{Fmt.Count(r.OtherFiles)}</dd>
                <dt>Albums found</dt><dd>{Fmt.Count(r.Albums)}</dd>
                <dt>Albums enriched</dt><dd>{Fmt.Count(r.Enriched)}</dd>
                <dt>Missing</dt><dd>{Fmt.Count(r.Missing)}</dd>
                <dt>Last scan</dt><dd>{Fmt.Time(r.LastScanAt)}{(seconds is null ? "" : $" ({seconds} s)")}</dd>
                <dt>Problems</dt><dd>{Fmt.Count(r.ProblemCount)}</dd>
              </dl>
              <h3>Problems</h3>
              {problems}
              {missing}
            </section>
            """);
    }
}
