using Dapper;
using EnrichmentWorker.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.Jobs;

/// <summary>
/// Puts back Hangfire queue entries that a worker fetched but never started. Seen here (twice, in short runs of 40 and
/// 100 albums): an album job's queue entry fetched, the job still Enqueued minutes later, every worker idle waiting for
/// work — and Hangfire.PostgreSql's sliding-invisibility heartbeat refreshing the entry's fetchedat, so no server ever
/// takes it again and the album waits forever. Where the fetched job was lost is not known yet. A worker moves what it
/// fetched to Processing within moments, so an entry that is fetched and still Enqueued for
/// <see cref="JobQueueOptions.StuckFetchTimeout"/> is put back by clearing its fetchedat; the lost heartbeat then finds
/// its row changed and stops. The timeout is shorter than Hangfire's distributed-lock timeout (1 minute): a worker that
/// waited that long for the job's state lock would be overtaken and the job would run twice, which writes the same rows
/// (an album's results are idempotent) — a rarer and cheaper fault than an album that never runs.
/// </summary>
public sealed class StuckFetchRelease(
    NpgsqlDataSource dataSource, IOptions<JobQueueOptions> options, TimeProvider time, ILogger<StuckFetchRelease> logger) : BackgroundService
{
    // Fetched entries of jobs still Enqueued, with when this process first saw each so (by entry id and fetch).
    private readonly Dictionary<(long Id, long JobId), long> _firstSeen = [];

    private const string FetchedButEnqueued = """
        SELECT q.id AS Id, q.jobid AS JobId
        FROM hangfire.jobqueue q JOIN hangfire.job j ON j.id = q.jobid
        WHERE q.fetchedat IS NOT NULL AND j.statename = 'Enqueued'
        """;

    private const string PutBack = """
        UPDATE hangfire.jobqueue q SET fetchedat = NULL
        FROM hangfire.job j
        WHERE q.id = @id AND j.id = q.jobid AND q.fetchedat IS NOT NULL AND j.statename = 'Enqueued'
        """;

    /// <summary>One look: remembers new stuck-looking entries, puts back those stuck longer than the timeout.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var fetched = (await connection.QueryAsync<(long Id, long JobId)>(new CommandDefinition(FetchedButEnqueued, cancellationToken: cancellationToken))).ToHashSet();
        foreach (var gone in _firstSeen.Keys.Where(k => !fetched.Contains(k)).ToList())
        {
            _firstSeen.Remove(gone);
        }

        var putBack = 0;
        foreach (var entry in fetched)
        {
            if (!_firstSeen.TryGetValue(entry, out var since))
            {
                _firstSeen[entry] = time.GetTimestamp();
                continue;
            }

            if (time.GetElapsedTime(since) < options.Value.StuckFetchTimeout)
            {
                continue;
            }

            if (await connection.ExecuteAsync(new CommandDefinition(PutBack, new { id = entry.Id }, cancellationToken: cancellationToken)) > 0)
            {
                putBack++;
                logger.LogWarning("Hangfire job {JobId} was fetched but not started for {Timeout}; put back in its queue", entry.JobId, options.Value.StuckFetchTimeout);
            }

            _firstSeen.Remove(entry);
        }

        return putBack;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.Value.StuckFetchTimeout.TotalSeconds / 3)), time);
        while (await timer.NextTickOrStopAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (NpgsqlException ex)
            {
                logger.LogDebug("Stuck-fetch check skipped a beat: {Reason}", ex.Message);
            }
        }
    }
}
