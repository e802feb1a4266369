namespace EnrichmentWorker.Dashboard;

/// <summary>The frame around every page: navigation, who is signed in, the token for scripts, the notice line.</summary>
public static class Layout
{
    public static IResult Page(PageContext page, string title, string section, Markup body, int status = StatusCodes.Status200OK)
    {
        var nav = Html.Join(new (string Href, string Label, string Key)[]
        {
            ("", "Overview", "overview"), ("/albums", "Albums", "albums"), ("/library", "Library", "library"), ("/review", "Needs review", "review"),
        }.Select(item => Html.Of($"<a href=\"{page.Url(item.Href)}\"{(item.Key == section ? Html.Of($" class=\"active\" aria-current=\"page\"") : Markup.Empty)}>{item.Label}</a>"))
            .Append(Html.Of($"<a href=\"{HangfireLinks.Dashboard}\" class=\"hangfire\">Hangfire jobs</a>")));
        var who = Html.Of($"<span class=\"who\">{page.UserName} · {(page.IsAdmin ? "admin" : "read-only")}</span>");
        var logout = page.HasSession
            ? Html.Of($"<form method=\"post\" action=\"{page.Url("/logout")}\" class=\"inline\">{page.TokenField}<button class=\"link\">Sign out</button></form>")
            : Markup.Empty;
        var notice = page.Notice is null ? Markup.Empty : Html.Of($"<div class=\"notice\" role=\"status\">{page.Notice}</div>");
        var html = Html.Of($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="csrf-token" content="{(page.IsAdmin ? page.Token : "")}">
            <title>{title} · EnrichmentWorker</title>
            <link rel="stylesheet" href="{page.Url("/assets/dashboard.css")}">
            <script src="{page.Url("/assets/dashboard.js")}" defer></script>
            </head>
            <body data-base="{page.Base}" data-admin="{(page.IsAdmin ? "true" : "false")}">
            <header class="top">
              <a class="brand" href="{page.Url("")}"><span class="logo" aria-hidden="true">◉</span> EnrichmentWorker</a>
              <nav>{nav}</nav>
              <div class="user">{who}{logout}</div>
            </header>
            <main>
            {notice}
            {body}
            </main>
            </body>
            </html>
            """);
        return new HtmlResult(html.Value, status);
    }

    /// <summary>A plain page for errors: what happened in words, never a stack trace.</summary>
    public static IResult Message(PageContext page, int status, string title, string text) =>
        Page(page, title, "", Html.Of($"<section class=\"card message\"><h1>{title}</h1><p>{text}</p><p><a href=\"{page.Url("")}\">Back to the overview</a></p></section>"), status);
}

/// <summary>An HTML response that is never cached (pages show live state and carry a form token).</summary>
public sealed class HtmlResult(string html, int status = StatusCodes.Status200OK) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = "text/html; charset=utf-8";
        httpContext.Response.Headers.CacheControl = "no-store";
        await httpContext.Response.WriteAsync(html, httpContext.RequestAborted);
    }
}
