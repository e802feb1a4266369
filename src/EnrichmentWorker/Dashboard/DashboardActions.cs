using EnrichmentWorker.Discogs;
using EnrichmentWorker.Jobs;

namespace EnrichmentWorker.Dashboard;

/// <summary>What an action did, for a page's notice line and the API's response.</summary>
public sealed record ActionOutcome(int Status, string Message, int Affected = 0)
{
    public static ActionOutcome Done(string message, int affected = 1) => new(StatusCodes.Status200OK, message, affected);

    public static ActionOutcome NotFound(string message) => new(StatusCodes.Status404NotFound, message);

    public static ActionOutcome Conflict(string message) => new(StatusCodes.Status409Conflict, message);

    /// <summary>What was asked for cannot be done as asked (Discogs has no such id): 422.</summary>
    public static ActionOutcome Unprocessable(string message) => new(StatusCodes.Status422UnprocessableEntity, message);

    /// <summary>Discogs could not answer now (rate limited, unreachable, token rejected): 503, try again later.</summary>
    public static ActionOutcome Unavailable(string message) => new(StatusCodes.Status503ServiceUnavailable, message);

    /// <summary>Why a Discogs lookup brought nothing: the id is wrong (422), or Discogs cannot be asked now (503).</summary>
    public static ActionOutcome Of(MatchLookup failed) => failed.Failure is LookupFailure.NotFound or LookupFailure.Refused
        ? Unprocessable(failed.Message)
        : Unavailable(failed.Message);
}

/// <summary>
/// Every change a person can make from the dashboard or the API, in one place, so both behave the same. Each one is a
/// single statement or transaction (AlbumJobRequests, ManualMatches, QueueControl). What is done to a job as such
/// (delete, requeue, bulk actions) is Hangfire's dashboard's.
/// </summary>
public sealed class DashboardActions(AlbumJobRequests requests, ManualMatches matches, ManualMatchLookup lookup, QueueControl queue, IDashboardDiscogsStatus discogs)
{
    /// <summary>retry / rematch: the album runs (again); a failed job runs again as itself, a live one once more after it.</summary>
    public async Task<ActionOutcome> AlbumAsync(long albumId, string action, bool overwriteManual, string actor, CancellationToken cancellationToken)
    {
        if (action is not ("retry" or "rematch"))
        {
            return ActionOutcome.NotFound($"Unknown action '{action}'. Jobs are deleted or cancelled on the Hangfire dashboard.");
        }

        var reason = (action == "retry" ? "retry" : "re-match") + " requested by " + actor + (overwriteManual ? ", discarding the manual decision" : "");
        return await requests.RequestAsync([albumId], new AlbumJobRequest(reason, OverwriteManual: overwriteManual), cancellationToken) > 0
            ? ActionOutcome.Done($"Album #{albumId} is queued.")
            : ActionOutcome.NotFound($"There is no album #{albumId}.");
    }

    /// <summary>
    /// "No match", or a release or master (a candidate, or any id a person gave): the id is fetched from Discogs first,
    /// through the shared budget, so an id Discogs does not know is refused and a match is written with its data.
    /// </summary>
    public async Task<ActionOutcome> MatchAsync(long albumId, ManualChoice choice, string actor, CancellationToken cancellationToken)
    {
        FetchedMatch? fetched = null;
        if (!choice.IsNoMatch)
        {
            if (!await matches.AlbumExistsAsync(albumId, cancellationToken))
            {
                return ActionOutcome.NotFound($"There is no album #{albumId}.");
            }

            var found = await lookup.FetchAsync(new DiscogsReference(choice.Kind == "master" ? DiscogsEntity.Master : DiscogsEntity.Release, choice.Id!.Value), cancellationToken);
            if (found.Found is null)
            {
                return ActionOutcome.Of(found);
            }

            fetched = found.Found;
        }

        return await matches.DecideAsync(albumId, choice, fetched, actor, cancellationToken)
            ? ActionOutcome.Done(fetched is null
                ? $"Album #{albumId}: no match, by hand. It is queued to apply the decision."
                : $"Album #{albumId}: {choice.Kind} {choice.Id} (“{fetched.Title}”) chosen by hand, with its genres and styles. It is queued to fetch what else its mode needs.")
            : ActionOutcome.NotFound($"There is no album #{albumId}.");
    }

    public async Task<ActionOutcome> QueueAsync(bool pause, string? reason, string actor, CancellationToken cancellationToken)
    {
        if (pause)
        {
            await queue.PauseAsync(string.IsNullOrWhiteSpace(reason) ? "Paused by " + actor : reason.Trim(), QueueControl.PausedByPerson, cancellationToken);
            return ActionOutcome.Done("The queue is paused: running jobs finish, no new ones start.");
        }

        // Resuming on a token Discogs rejects would spend the window's requests on 401s and pause again: check it first.
        if (await discogs.RecheckBadTokenAsync(cancellationToken) is { } stillBad)
        {
            return ActionOutcome.Conflict(
                $"Not resumed: {stillBad.TrimEnd('.')}. Configure a valid token (DISCOGS_TOKEN or Discogs:Token); the queue resumes by itself once Discogs accepts it.");
        }

        await queue.ResumeAsync(null, cancellationToken);
        return ActionOutcome.Done("The queue is running.");
    }
}
