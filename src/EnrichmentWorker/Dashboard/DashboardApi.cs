using System.Text.Json;
using EnrichmentWorker.Dashboard.Albums;
using EnrichmentWorker.Jobs;
using Microsoft.AspNetCore.Antiforgery;

namespace EnrichmentWorker.Dashboard;

/// <summary>
/// The JSON API under /api: the dashboard's data and actions for scripts. Same roles as the pages; POSTs need the
/// admin role, and an antiforgery header unless the caller uses a bearer token.
/// </summary>
public static class DashboardApi
{
    public sealed record BulkRequest(string? Action, long[]? Ids, BulkFilter? Filter);

    public sealed record BulkFilter(string? State, string? Q);

    public sealed record MatchRequest(string? Kind, long? Id);

    public sealed record QueueRequest(string? Action, string? Reason);

    public static void Map(WebApplication app)
    {
        var read = app.MapGroup("/api").RequireAuthorization(DashboardAuth.ReadPolicy);
        read.MapGet("/overview", async (DashboardQueries q, CancellationToken ct) => Results.Ok(await q.OverviewAsync(ct)));
        read.MapGet("/history", async (DashboardQueries q, CancellationToken ct) => Results.Ok(await q.HistoryAsync(ct)));
        read.MapGet("/jobs", async (string? state, string? q, string? after, DashboardQueries queries, CancellationToken ct) =>
            !DashboardInput.TryFilter(state, q, JobState.Failed, out var filter, out var error) || !DashboardInput.TryAfter(after, out var cursor, out error)
                ? Problem(StatusCodes.Status400BadRequest, error!)
                : Results.Ok(await queries.JobsAsync(filter, cursor, ct)));
        read.MapGet("/jobs/{id:long}", async (long id, DashboardQueries q, CancellationToken ct) =>
            await q.JobAsync(id, ct) is { } job ? Results.Ok(job) : Problem(StatusCodes.Status404NotFound, $"There is no job #{id}."));
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
        read.MapGet("/servers", async (DashboardQueries q, CancellationToken ct) => Results.Ok(await q.ServersAsync(ct)));
        // For cookie-holding scripts: the header token that POSTs need (a bearer-token client needs none).
        read.MapGet("/antiforgery", (HttpContext http, IAntiforgery antiforgery) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(http);
            return Results.Ok(new { headerName = tokens.HeaderName, token = tokens.RequestToken });
        });

        var write = app.MapGroup("/api").RequireAuthorization(DashboardAuth.AdminPolicy).AddEndpointFilter<AntiforgeryFilter>();
        write.MapPost("/jobs/bulk", Bulk);
        write.MapPost("/jobs/{id:long}/{action}", async (HttpContext http, long id, string action, DashboardActions a, CancellationToken ct) =>
            Outcome(await a.JobAsync(id, action, http.User.Actor(), ct)));
        write.MapPost("/albums/{id:long}/match", async (HttpContext http, long id, DashboardActions a, CancellationToken ct) =>
        {
            var body = await ReadAsync<MatchRequest>(http, ct);
            if (body is null || !DashboardInput.TryChoice(body.Kind, body.Id?.ToString(System.Globalization.CultureInfo.InvariantCulture), out var choice, out var error))
            {
                return Problem(StatusCodes.Status400BadRequest, "Send {\"kind\": \"master\"|\"release\", \"id\": N} or {\"kind\": \"none\"}.");
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

            await a.QueueAsync(body.Action == "pause", reason, http.User.Actor(), ct);
            return Results.Ok(await q.QueueAsync(ct));
        });

        // An unknown endpoint (or an id that is not a number) under /api: a problem document, like every other answer.
        app.MapFallback("/api/{**rest}", () => Problem(StatusCodes.Status404NotFound, "There is no such endpoint; the README lists the JSON API."))
            .RequireAuthorization(DashboardAuth.ReadPolicy);
    }

    private static async Task<IResult> Bulk(HttpContext http, DashboardActions actions, CancellationToken ct)
    {
        var body = await ReadAsync<BulkRequest>(http, ct);
        if (body is null || !JobsPages.TryParseAction(body.Action, out var action))
        {
            return Problem(StatusCodes.Status400BadRequest, "Send {\"action\": \"retry\"|\"requeue\"|\"delete\"|\"enqueue-now\", \"ids\": [..]} or with \"filter\": {\"state\": .., \"q\": ..}.");
        }

        if ((body.Ids is null) == (body.Filter is null))
        {
            return Problem(StatusCodes.Status400BadRequest, "Give either \"ids\" or \"filter\", not both or neither.");
        }

        if (body.Ids is { Length: > 10_000 })
        {
            return Problem(StatusCodes.Status400BadRequest, "At most 10,000 ids per request; use a filter for more.");
        }

        JobSelection selection;
        if (body.Filter is { } f)
        {
            if (string.IsNullOrEmpty(f.State) || !DashboardInput.TryFilter(f.State, f.Q, JobState.Failed, out var filter, out var error))
            {
                return Problem(StatusCodes.Status400BadRequest, "filter.state must be one of enqueued, scheduled, processing, succeeded, failed, deleted; filter.q at most 200 characters.");
            }

            selection = JobSelection.Matching(filter);
        }
        else
        {
            selection = JobSelection.Of(body.Ids!);
        }

        return Outcome(await actions.BulkAsync(action, selection, http.User.Actor(), ct));
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
