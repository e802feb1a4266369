using System.Globalization;
using System.Transactions;
using Dapper;
using Hangfire.States;
using Hangfire.Storage;
using Npgsql;

namespace EnrichmentWorker.Jobs.Filters;

/// <summary>
/// Keeps the album's side in step with what happens to its Hangfire job: a job a person deletes (on the Hangfire
/// dashboard) leaves the album without a live job, so it can be queued again; a retry or a final failure goes into the
/// album's history, which outlives Hangfire's expiry. Written outside any ambient transaction (the dispatcher's), on
/// the service's own connection: Hangfire's transaction cannot carry the project's SQL.
/// </summary>
public sealed class AlbumJobStateFilter(NpgsqlDataSource dataSource, ILogger<AlbumJobStateFilter> logger) : IApplyStateFilter
{
    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        if (!Enrichment.AlbumEnrichmentJob.TryGetAlbumId(context.BackgroundJob.Job, out var albumId))
        {
            return;
        }

        if (context.NewState is not (DeletedState or FailedState or ScheduledState))
        {
            return;
        }

        var jobId = long.Parse(context.BackgroundJob.Id, CultureInfo.InvariantCulture);
        var attempt = int.TryParse(context.Connection.GetJobParameter(context.BackgroundJob.Id, "RetryCount"), out var retries) ? retries + 1 : 1;
        try
        {
            using var suppress = new TransactionScope(TransactionScopeOption.Suppress);
            using var connection = dataSource.OpenConnection();
            switch (context.NewState)
            {
                case DeletedState deleted:
                    connection.Execute(AlbumJobSql.Forget, new { jobId });
                    connection.Execute(AlbumJobSql.History, new { albumId, jobId, state = "deleted", reason = deleted.Reason ?? "deleted in Hangfire", attempt = (int?)null, exceptionType = (string?)null, message = (string?)null });
                    break;
                case FailedState failed:
                    connection.Execute(AlbumJobSql.History, new
                    {
                        albumId, jobId, state = "failed", reason = failed.Reason ?? "failed; waits for a person (retry it on the Hangfire dashboard or the album page)",
                        attempt, exceptionType = failed.Exception.GetType().Name, message = failed.Exception.Message,
                    });
                    break;
                case ScheduledState scheduled when context.OldStateName == ProcessingState.StateName:
                    connection.Execute(AlbumJobSql.History, new
                    {
                        albumId, jobId, state = "retrying", reason = $"attempt {attempt - 1} failed; next try at {scheduled.EnqueueAt.ToString("u", CultureInfo.InvariantCulture)}",
                        attempt = attempt - 1, exceptionType = (string?)null, message = scheduled.Reason,
                    });
                    break;
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The job's own state is Hangfire's and has been applied; the album's history misses one line.
            logger.LogWarning("Could not record job {JobId}'s state {State} for album {AlbumId} ({Reason})", jobId, context.NewState.Name, albumId, ex.Message);
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }
}
