using Dapper;
using EnrichmentWorker.Jobs;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.States;
using Npgsql;

namespace EnrichmentWorker.Tests.Support;

/// <summary>
/// Albums' Hangfire jobs as a test sees and moves them: the job the service's dispatcher made for an album, its state,
/// and Hangfire's own client on the test's database for what a person would do on the Hangfire dashboard.
/// </summary>
public static class HangfireRows
{
    /// <summary>Without filters: a Failed state set here is final, as after the last retry (the test process's global
    /// filters would otherwise turn it into a retry).</summary>
    public static IBackgroundJobClient Client(NpgsqlDataSource db) => new BackgroundJobClient(Storage(db), new Hangfire.Common.JobFilterCollection());

    public static JobStorage Storage(NpgsqlDataSource db)
    {
        var options = new PostgreSqlStorageOptions { SchemaName = HangfireStorageSetup.Schema, PrepareSchemaIfNecessary = false };
        return new PostgreSqlStorage(new DataSourceConnectionFactory(db), options);
    }

    /// <summary>The album's live Hangfire job, once the service has handed the album to Hangfire.</summary>
    public static async Task<long> JobOfAlbumAsync(NpgsqlDataSource db, long albumId, TimeSpan? timeout = null)
    {
        long? jobId = null;
        await WaitFor.ConditionAsync(async () =>
        {
            await using var connection = await db.OpenConnectionAsync();
            jobId = await connection.ExecuteScalarAsync<long?>("SELECT hangfire_job_id FROM album_jobs WHERE album_id = @albumId", new { albumId });
            return jobId is not null;
        }, timeout ?? TimeSpan.FromSeconds(30), $"album {albumId} to be handed to Hangfire");
        return jobId!.Value;
    }

    public static async Task<string?> StateAsync(NpgsqlDataSource db, long jobId)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string?>("SELECT statename FROM hangfire.job WHERE id = @jobId", new { jobId });
    }

    private static async Task<string> HistoryAsync(NpgsqlDataSource db, long jobId)
    {
        await using var connection = await db.OpenConnectionAsync();
        return string.Join("; ", await connection.QueryAsync<string>("SELECT name || ' ' || coalesce(reason, '') || ' ' || coalesce(data::text, '') FROM hangfire.state WHERE jobid = @jobId ORDER BY id", new { jobId }));
    }

    /// <summary>Hangfire jobs per album that are not finished (any state but Succeeded and Deleted), by the album id in their first argument.</summary>
    public static async Task<IReadOnlyDictionary<long, long>> LiveJobsPerAlbumAsync(NpgsqlDataSource db)
    {
        await using var connection = await db.OpenConnectionAsync();
        return (await connection.QueryAsync<(long Album, long Jobs)>("""
            SELECT (arguments::jsonb ->> 0)::bigint, count(*) FROM hangfire.job
            WHERE statename NOT IN ('Succeeded', 'Deleted') GROUP BY 1
            """)).ToDictionary(r => r.Album, r => r.Jobs);
    }

    /// <summary>What a failed run leaves: the job in Failed with its exception, and the album's history saying so.</summary>
    public static async Task<long> FailAsync(NpgsqlDataSource db, long albumId, string error)
    {
        var jobId = await JobOfAlbumAsync(db, albumId);
        var changed = Client(db).ChangeState(jobId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new FailedState(new InvalidOperationException(error)) { Reason = "gave up after 3 attempts" }, EnqueuedState.StateName);
        Assert.That(changed, Is.True, $"job {jobId} moved from Enqueued to Failed (it is {await StateAsync(db, jobId)}: {await HistoryAsync(db, jobId)})");
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO album_job_history (album_id, hangfire_job_id, state, reason, attempt, exception_type, message)
            VALUES (@albumId, @jobId, 'failed', 'gave up after 3 attempts', 3, 'DiscogsServerException', @error)
            """, new { albumId, jobId, error });
        return jobId;
    }
}
