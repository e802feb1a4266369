using System.Text.Json;
using EnrichmentWorker.Dashboard.Albums;
using EnrichmentWorker.Discogs;
using Microsoft.AspNetCore.Antiforgery;

namespace EnrichmentWorker.Dashboard;

/// <summary>
/// The JSON API under /api: the dashboard's data and actions for scripts (jobs themselves: Hangfire's dashboard). Same roles as the pages; POSTs need the
/// admin role, and an antiforgery header unless the caller uses a bearer token.
/// </summary>
public static class DashboardApi
{
    /// <summary>{kind, id}, or {discogs: a release/master address or r123/m456, with kind for a bare number}, or {kind: "none"}.</summary>
    public sealed record MatchRequest(string? Kind, long? Id, string? Discogs);

    public sealed record QueueRequest(string? Action, string? Reason);

    public static void Map(WebApplication app)
    {
        var read = app.MapGroup("/api").RequireAuthorization(DashboardAuth.ReadPolicy);
        read.MapGet("/overview", async (DashboardQueries q, CancellationToken ct) => Results.Ok(await q.OverviewAsync(ct)));
        read.MapGet("/history", async (DashboardQueries q, CancellationToken ct) => Results.Ok(await q.HistoryAsync(ct)));
        // The albums list (GET /api/albums/{id} and POST /api/albums are the library's intake: Library/AlbumApi.cs).
        read.MapGet("/albums", async (string? q, string? outcome, string? genre, string? after, AlbumList albums, CancellationToken ct) =>
            AlbumList.TryReadFilter(q, outcome, genre, after, out var filter, out var error)
                ? Results.Ok(await albums.PageAsync(filter, ct))
                : Problem(StatusCodes.Status400BadRequest, error!));
        read.MapGet("/albums/{id:long}/enrichment", async (long id, DashboardQueries q, CancellationToken ct) =>
            await q.AlbumAsync(id, ct) is { } album ? Results.Ok(album) : Problem(StatusCodes.Status404NotFound, $"There is no album #{id}."));
        read.MapGet("/review", async (string? after, DashboardQueries q, CancellationToken ct) =>
            DashboardInput.TryReviewCursor(after, out var cursor, out var error) ? Results.Ok(await q.NeedsReviewAsync(cursor, ct)) : Problem(StatusCodes.Status400BadRequest, error!));
        read.MapGet("/queue", async (DashboardQueries q, CancellationToken ct) => Results.Ok(await q.QueueAsync(ct)));
        // For cookie-holding scripts: the header token that POSTs need (a bearer-token client needs none).
        read.MapGet("/antiforgery", (HttpContext http, IAntiforgery antiforgery) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(http);
            return Results.Ok(new { headerName = tokens.HeaderName, token = tokens.RequestToken });
        });

        var write = app.MapGroup("/api").RequireAuthorization(DashboardAuth.AdminPolicy).AddEndpointFilter<AntiforgeryFilter>();
        write.MapPost("/albums/{id:long}/match", async (HttpContext http, long id, DashboardActions a, CancellationToken ct) =>
        {
            var body = await ReadAsync<MatchRequest>(http, ct);
            if (body?.Discogs is { } pasted)
            {
                // The id is fetched before anything is written: one Discogs does not know is a 422 naming it.
                return DiscogsReference.TryParse(pasted, DiscogsReference.EntityOf(body.Kind), out var reference, out var refused)
                    ? Outcome(await a.MatchAsync(id, new ManualChoice(reference.Kind, reference.Id), http.User.Actor(), ct))
                    : Problem(StatusCodes.Status400BadRequest, refused);
            }

            if (body is null || !DashboardInput.TryChoice(body.Kind, body.Id?.ToString(System.Globalization.CultureInfo.InvariantCulture), out var choice, out var error))
            {
                return Problem(StatusCodes.Status400BadRequest, "Send {\"kind\": \"master\"|\"release\", \"id\": N}, {\"discogs\": \"https://www.discogs.com/release/N-…\"} (or \"r123\", \"m456\"), or {\"kind\": \"none\"}.");
            }

            return Outcome(await a.MatchAsync(id, choice, http.User.Actor(), ct));
        });
        write.MapPost("/albums/{id:long}/{action}", async (HttpContext http, long id, string action, string? overwriteManual, DashboardActions a, CancellationToken ct) =>
            DashboardInput.TryFlag(overwriteManual, out var overwrite, out var error)
                ? Outcome(await a.AlbumAsync(id, action, overwrite, http.User.Actor(), ct))
                : Problem(StatusCodes.Status400BadRequest, error!));
        write.MapPost("/queue", async (HttpContext http, DashboardActions a, DashboardQueries q, CancellationToken ct) =>
        {
            var body = await ReadAsync<QueueRequest>(http, ct);
            if (body is not { Action: "pause" or "resume" } || !DashboardInput.TryReason(body.Reason, out var reason, out _))
            {
                return Problem(StatusCodes.Status400BadRequest, "Send {\"action\": \"pause\"|\"resume\", \"reason\": \"optional, up to 500 characters\"}.");
            }

            var outcome = await a.QueueAsync(body.Action == "pause", reason, http.User.Actor(), ct);
            return outcome.Status == StatusCodes.Status200OK ? Results.Ok(await q.QueueAsync(ct)) : Problem(outcome.Status, outcome.Message);
        });

        // An unknown endpoint (or an id that is not a number) under /api: a problem document, like every other answer.
        app.MapFallback("/api/{**rest}", () => Problem(StatusCodes.Status404NotFound, "There is no such endpoint; the README lists the JSON API."))
            .RequireAuthorization(DashboardAuth.ReadPolicy);
    }

    /// <summary>Malformed JSON is the caller's mistake: null here, a 400 for them.</summary>
    private static async Task<T?> ReadAsync<T>(HttpContext http, CancellationToken ct)
        where T : class
    {
        if (!http.Request.HasJsonContentType())
        {
            return null;
        }

        try
        {
            return await http.Request.ReadFromJsonAsync<T>(ct);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult Outcome(ActionOutcome outcome) => outcome.Status == StatusCodes.Status200OK
        ? Results.Ok(new { message = outcome.Message, affected = outcome.Affected })
        : Problem(outcome.Status, outcome.Message);

    internal static IResult Problem(int status, string detail) => Results.Problem(detail: detail, statusCode: status);
}
