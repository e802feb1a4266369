using System.Diagnostics;
using Dapper;
using Npgsql;

namespace EnrichmentWorker.Benchmarks.Support;

public sealed record QueueCounts(long Total, long Live, long Touched, long Succeeded, long Failed);

public sealed record QueueSpan(DateTime FirstStarted, DateTime LastFinished)
{
    public TimeSpan Duration => LastFinished - FirstStarted;
}

/// <summary>
/// Reads the service's per-album jobs from the database: albums (Total), albums with a live job that is not failed
/// (album_jobs, whose row goes when the job succeeds), runs started (Hangfire 'Processing' states), albums whose job
/// completed (album_job_history) and album jobs Hangfire failed for good.
/// </summary>
public sealed class QueueWatch(string connectionString)
{
    public const string NotWired = "no Hangfire album job started: the dispatcher or the Hangfire server is not running in this build";

    public async Task<QueueCounts> CountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<QueueCounts>(new CommandDefinition("""
            SELECT (SELECT count(*) FROM albums) AS Total,
                   (SELECT count(*) FROM album_jobs j LEFT JOIN hangfire.job hj ON hj.id = j.hangfire_job_id
                    WHERE hj.statename IS DISTINCT FROM 'Failed') AS Live,
                   (SELECT count(*) FROM hangfire.state WHERE name = 'Processing') AS Touched,
                   (SELECT count(DISTINCT album_id) FROM album_job_history WHERE state = 'succeeded') AS Succeeded,
                   (SELECT count(*) FROM album_jobs j JOIN hangfire.job hj ON hj.id = j.hangfire_job_id WHERE hj.statename = 'Failed') AS Failed
            """, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Waits until <paramref name="albums"/> jobs exist and none is live. Throws <see cref="PendingException"/> when no
    /// job has started within <paramref name="startTimeout"/> (the handler is missing), and times out after
    /// <paramref name="timeout"/>.
    /// </summary>
    public async Task WaitUntilDoneAsync(long albums, ServiceChild service, TimeSpan startTimeout, TimeSpan timeout, Action<QueueCounts>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        while (true)
        {
            var counts = await CountsAsync(cancellationToken);
            if (counts.Total >= albums && counts.Live == 0)
            {
                return;
            }

            if (service.HasExited)
            {
                throw new InvalidOperationException($"The service exited with code {service.ExitCode}:\n{service.OutputTail}");
            }

            if (counts.Touched == 0 && clock.Elapsed > startTimeout)
            {
                throw new PendingException(NotWired);
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{counts.Live} of {counts.Total} jobs still live after {timeout.TotalSeconds:0} s");
            }

            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(10))
            {
                lastReport = clock.Elapsed;
                progress?.Invoke(counts);
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    public async Task<QueueSpan> SpanAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<QueueSpan>(new CommandDefinition(
            """
            SELECT (SELECT min(createdat) FROM hangfire.state WHERE name = 'Processing') AS FirstStarted,
                   (SELECT max(at) FROM album_job_history WHERE state IN ('succeeded', 'failed')) AS LastFinished
            """,
            cancellationToken: cancellationToken));
    }

    public static async Task<DateTime> DatabaseNowAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<DateTime>(new CommandDefinition("SELECT clock_timestamp()", cancellationToken: cancellationToken));
    }
}

/// <summary>A figure cannot be measured because its piece has not landed; the message says which.</summary>
public sealed class PendingException(string message) : Exception(message);
