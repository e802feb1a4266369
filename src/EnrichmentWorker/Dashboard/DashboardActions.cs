using EnrichmentWorker.Jobs;
using Npgsql;
using Dapper;

namespace EnrichmentWorker.Dashboard;

/// <summary>What an action did, for a page's notice line and the API's response.</summary>
public sealed record ActionOutcome(int Status, string Message, int Affected = 0)
{
    public static ActionOutcome Done(string message, int affected = 1) => new(StatusCodes.Status200OK, message, affected);

    public static ActionOutcome NotFound(string message) => new(StatusCodes.Status404NotFound, message);

    public static ActionOutcome Conflict(string message) => new(StatusCodes.Status409Conflict, message);
}

/// <summary>
/// Every change a person can make from the dashboard or the API, in one place, so both behave the same. Each one is a
/// single statement or transaction (JobAdministration, ManualMatches, QueueControl, JobStore).
/// </summary>
public sealed class DashboardActions(
    NpgsqlDataSource dataSource, JobAdministration jobs, ManualMatches matches, QueueControl queue, JobStore store)
{
    public async Task<ActionOutcome> JobAsync(long jobId, string action, string actor, CancellationToken cancellationToken)
    {
        if (action == "cancel")
        {
            return await queue.RequestCancelAsync(jobId, cancellationToken)
                ? ActionOutcome.Done($"Asked job #{jobId} to stop; it stops at its worker's next heartbeat.")
                : await JobExistsAsync(jobId, cancellationToken) ? ActionOutcome.Conflict($"Job #{jobId} is not running, so there is nothing to cancel.")
                : ActionOutcome.NotFound($"There is no job #{jobId}.");
        }

        if (!JobsPages.TryParseAction(action, out var parsed))
        {
            return ActionOutcome.NotFound($"Unknown action '{action}'.");
        }

        var affected = await jobs.ApplyAsync(parsed, JobSelection.Of(jobId), actor, cancellationToken);
        if (affected > 0)
        {
            return ActionOutcome.Done($"{JobsPages.Label(parsed)}: job #{jobId} done.");
        }

        return await JobExistsAsync(jobId, cancellationToken)
            ? ActionOutcome.Conflict($"{JobsPages.Label(parsed)} does not apply to job #{jobId} in its current state (or its album already has a live job).")
            : ActionOutcome.NotFound($"There is no job #{jobId}.");
    }

    public async Task<ActionOutcome> BulkAsync(JobAction action, JobSelection selection, string actor, CancellationToken cancellationToken)
    {
        var affected = await jobs.ApplyAsync(action, selection, actor, cancellationToken);
        return ActionOutcome.Done($"{JobsPages.Label(action)}: {Fmt.Count(affected)} job(s) changed.", affected);
    }

    public async Task<ActionOutcome> AlbumAsync(long albumId, string action, bool overwriteManual, string actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM albums WHERE id = @albumId)", new { albumId }, cancellationToken: cancellationToken));
        if (!exists)
        {
            return ActionOutcome.NotFound($"There is no album #{albumId}.");
        }

        var latest = await connection.QuerySingleOrDefaultAsync<(long Id, string State)?>(new CommandDefinition(
            "SELECT id, state FROM enrichment_jobs WHERE album_id = @albumId ORDER BY id DESC LIMIT 1", new { albumId }, cancellationToken: cancellationToken));
        switch (action)
        {
            case "retry" when latest is { State: "failed" }:
                return await JobAsync(latest.Value.Id, "retry", actor, cancellationToken);
            case "retry":
            case "rematch":
                var id = await store.EnqueueAsync(albumId, (action == "retry" ? "retry" : "re-match") + " requested by " + actor
                    + (overwriteManual ? ", discarding the manual decision" : ""), null, overwriteManual, cancellationToken);
                return ActionOutcome.Done($"Album #{albumId} is queued (job #{id}).");
            case "delete" when latest is { } job:
                return await JobAsync(job.Id, "delete", actor, cancellationToken);
            case "cancel" when latest is { } job:
                return await JobAsync(job.Id, "cancel", actor, cancellationToken);
            case "delete" or "cancel":
                return ActionOutcome.Conflict($"Album #{albumId} has no job to {action}.");
            default:
                return ActionOutcome.NotFound($"Unknown action '{action}'.");
        }
    }

    public async Task<ActionOutcome> MatchAsync(long albumId, ManualChoice choice, string actor, CancellationToken cancellationToken) =>
        await matches.DecideAsync(albumId, choice, actor, cancellationToken)
            ? ActionOutcome.Done(choice.IsNoMatch ? $"Album #{albumId}: no match, by hand. It is queued to apply the decision." : $"Album #{albumId}: {choice.Kind} {choice.Id} chosen by hand. It is queued to fetch the details.")
            : ActionOutcome.NotFound($"There is no album #{albumId}.");

    public async Task<ActionOutcome> QueueAsync(bool pause, string? reason, string actor, CancellationToken cancellationToken)
    {
        if (pause)
        {
            await queue.PauseAsync(string.IsNullOrWhiteSpace(reason) ? "Paused by " + actor : reason.Trim(), QueueControl.PausedByPerson, cancellationToken);
            return ActionOutcome.Done("The queue is paused: running jobs finish, no new ones start.");
        }

        await queue.ResumeAsync(null, cancellationToken);
        return ActionOutcome.Done("The queue is running.");
    }

    private async Task<bool> JobExistsAsync(long jobId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM enrichment_jobs WHERE id = @jobId)", new { jobId }, cancellationToken: cancellationToken));
    }
}
