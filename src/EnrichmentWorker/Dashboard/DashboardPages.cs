using System.Security.Claims;
using EnrichmentWorker.Dashboard.Albums;
using EnrichmentWorker.Dashboard.Hangfire;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Dashboard;

/// <summary>The dashboard's HTML routes under Dashboard:Path: pages (read role) and form posts (admin role + antiforgery).</summary>
public static class DashboardPages
{
    public static void Map(WebApplication app, DashboardOptions options)
    {
        var root = app.MapGroup(options.Path);
        root.MapGet("/assets/{name}", DashboardAssets.Serve).AllowAnonymous();
        root.MapGet("/login", (HttpContext http, string? returnUrl) => LoginPage.Render(PageOf(http), LocalReturn(http, returnUrl), null)).AllowAnonymous();
        root.MapPost("/login", Login).AllowAnonymous().AddEndpointFilter<AntiforgeryFilter>();
        root.MapPost("/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(DashboardAuth.CookieScheme);
            return Results.Redirect(options.Path + "/login");
        }).RequireAuthorization(DashboardAuth.ReadPolicy).AddEndpointFilter<AntiforgeryFilter>();
        root.MapGet("/forbidden", (HttpContext http) => Layout.Message(PageOf(http), StatusCodes.Status403Forbidden, "Not allowed", "Your role may look but not change anything."))
            .RequireAuthorization(DashboardAuth.ReadPolicy);

        var pages = root.MapGroup("").RequireAuthorization(DashboardAuth.ReadPolicy);
        pages.MapGet("", async (HttpContext http, DashboardQueries q, Dumps.InstalledDumps dumps, CancellationToken ct) =>
            OverviewPage.Render(PageOf(http), await q.OverviewAsync(ct), await dumps.ListAsync(ct)));
        pages.MapGet("/library", async (HttpContext http, MusicFolders.MusicFolderReadings r, CancellationToken ct) => LibraryPage.Render(PageOf(http), await r.RootsAsync(ct)));
        pages.MapGet("/albums", async (HttpContext http, string? q, string? outcome, string? genre, string? after, AlbumList albums, CancellationToken ct) =>
            AlbumList.TryReadFilter(q, outcome, genre, after, out var filter, out var error)
                ? AlbumListPage.Render(PageOf(http), filter, await albums.PageAsync(filter, ct))
                : BadRequest(http, error!));
        pages.MapGet("/albums/{id:long}", async (HttpContext http, long id, DashboardQueries q, CancellationToken ct) =>
            await q.AlbumAsync(id, ct) is { } album ? AlbumPage.Render(PageOf(http), album) : NotFound(http, $"There is no album #{id}."));
        pages.MapGet("/review", async (HttpContext http, string? after, DashboardQueries q, CancellationToken ct) =>
            DashboardInput.TryReviewCursor(after, out var cursor, out var error)
                ? ReviewPage.Render(PageOf(http), await q.NeedsReviewAsync(cursor, ct), cursor is null)
                : BadRequest(http, error!));

        var actions = root.MapGroup("").RequireAuthorization(DashboardAuth.AdminPolicy).AddEndpointFilter<AntiforgeryFilter>();
        actions.MapPost("/albums/{id:long}/match", async (HttpContext http, long id, string? kind, string? back, DashboardActions a, CancellationToken ct) =>
            DashboardInput.TryChoice(kind, http.Request.Query["id"], out var choice, out var error)
                ? Done(http, await a.MatchAsync(id, choice, http.User.Actor(), ct), back == "review" ? "/review" : $"/albums/{id}")
                : BadRequest(http, error!));
        actions.MapPost("/albums/{id:long}/lookup", ManualMatchPage.LookupAsync);
        actions.MapPost("/albums/{id:long}/{action}", async (HttpContext http, long id, string action, string? overwriteManual, DashboardActions a, CancellationToken ct) =>
            DashboardInput.TryFlag(overwriteManual, out var overwrite, out var error)
                ? Done(http, await a.AlbumAsync(id, action, overwrite, http.User.Actor(), ct), $"/albums/{id}")
                : BadRequest(http, error!));
        actions.MapPost("/queue", async (HttpContext http, DashboardActions a, CancellationToken ct) =>
        {
            if (await DashboardInput.TryReadFormAsync(http.Request, ct) is not { } form)
            {
                return BadRequest(http, NotAForm);
            }

            if (form["action"].ToString() is not ("pause" or "resume"))
            {
                return BadRequest(http, "action must be pause or resume.");
            }

            return DashboardInput.TryReason(form["reason"], out var reason, out var error)
                ? Done(http, await a.QueueAsync(form["action"] == "pause", reason, http.User.Actor(), ct), "")
                : BadRequest(http, error!);
        });

        // Anything else under the dashboard's path, including ids that are not numbers: a page saying so, not a bare 404.
        app.MapFallback(options.Path + "/{**rest}", (HttpContext http) => NotFound(http, "There is no such page in the dashboard."))
            .RequireAuthorization(DashboardAuth.ReadPolicy);
    }

    private const string NotAForm = "This address takes a form post (application/x-www-form-urlencoded); the JSON API is under /api.";

    private static async Task<IResult> Login(HttpContext http, IOptions<DashboardOptions> options, AuthenticationThrottle throttle, CancellationToken ct)
    {
        if (await DashboardInput.TryReadFormAsync(http.Request, ct) is not { } form)
        {
            return BadRequest(http, NotAForm);
        }

        var name = form["user"].ToString();
        var password = form["password"].ToString();
        var returnUrl = LocalReturn(http, form["returnUrl"]);
        var address = http.Connection.RemoteIpAddress;
        if (throttle.RetryAfter(address) is { } wait)
        {
            var seconds = AuthenticationThrottle.RetryAfterHeader(wait);
            http.Response.Headers.RetryAfter = seconds;
            return LoginPage.Render(PageOf(http), returnUrl, $"Too many failed sign-ins from your address. Try again in {seconds} seconds.",
                StatusCodes.Status429TooManyRequests);
        }

        var user = options.Value.Users.FirstOrDefault(u => string.Equals(u.Name, name, StringComparison.Ordinal));
        // Verify against a hash even for unknown users, so the response time does not tell which names exist.
        var valid = PasswordHash.Verify(password, user?.PasswordHash ?? DummyHash.Value) && user is not null;
        if (!valid)
        {
            throttle.Failed(address);
            return LoginPage.Render(PageOf(http), returnUrl, "That user name and password do not match.", StatusCodes.Status401Unauthorized);
        }

        var principal = DashboardAuth.Principal(user!.Name, user.Role, DashboardAuth.CookieScheme);
        await http.SignInAsync(DashboardAuth.CookieScheme, principal);
        return Results.Redirect(returnUrl ?? options.Value.Path);
    }

    private static readonly Lazy<string> DummyHash = new(() => PasswordHash.Create(Guid.NewGuid().ToString()));

    /// <summary>Only a path inside the dashboard or Hangfire's: never an open redirect to another site.</summary>
    private static string? LocalReturn(HttpContext http, string? returnUrl)
    {
        var path = http.RequestServices.GetRequiredService<IOptions<DashboardOptions>>().Value.Path;
        return returnUrl is not null && (returnUrl.StartsWith(path, StringComparison.Ordinal) || IsUnder(returnUrl, HangfireDashboard.Path))
            && !returnUrl.Contains("//", StringComparison.Ordinal)
            && !returnUrl.Contains('\\', StringComparison.Ordinal) ? returnUrl : null;
    }

    private static bool IsUnder(string url, string prefix) => url.StartsWith(prefix, StringComparison.Ordinal)
        && (url.Length == prefix.Length || url[prefix.Length] is '/' or '?');

    internal static PageContext PageOf(HttpContext http) => new(http,
        http.RequestServices.GetRequiredService<IOptions<DashboardOptions>>().Value,
        http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);

    private static IResult Done(HttpContext http, ActionOutcome outcome, string back)
    {
        if (outcome.Status != StatusCodes.Status200OK)
        {
            return Layout.Message(PageOf(http), outcome.Status, outcome.Status == StatusCodes.Status404NotFound ? "Not found" : "Not done", outcome.Message);
        }

        var page = PageOf(http);
        var url = page.Url(back);
        return Results.Redirect(url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + DashboardNotice.QueryKey + "=" + Uri.EscapeDataString(DashboardNotice.Protect(http, outcome.Message)));
    }

    internal static IResult NotFound(HttpContext http, string message) => Layout.Message(PageOf(http), StatusCodes.Status404NotFound, "Not found", message);

    internal static IResult BadRequest(HttpContext http, string message) => Layout.Message(PageOf(http), StatusCodes.Status400BadRequest, "That request could not be understood", message);

    internal static bool IsAdmin(ClaimsPrincipal user) => user.IsAdmin();
}
