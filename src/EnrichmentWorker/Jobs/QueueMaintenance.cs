using Dapper;
using EnrichmentWorker.Hosting;
using EnrichmentWorker.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.Jobs;

/// <summary>
/// Rescues jobs whose lease expired, prunes finished jobs past their retention in small committed batches, and
/// forgets servers that stopped beating. Safe to run in every process at once (SKIP LOCKED, idempotent deletes).
/// </summary>
public sealed class QueueMaintenance(
    NpgsqlDataSource dataSource,
    JobStore store,
    QueueReadings readings,
    IOptions<JobQueueOptions> options,
    TimeProvider time,
    ILogger<QueueMaintenance> logger) : BackgroundService
{
    private const int RescueBatch = 500;
    private readonly JobQueueOptions _options = options.Value;

    public Task<MaintenanceResult> RunOnceAsync(CancellationToken cancellationToken) => RunOnceAsync(rescueExpired: true, cancellationToken);

    private async Task<MaintenanceResult> RunOnceAsync(bool rescueExpired, CancellationToken cancellationToken)
    {
        var rescued = 0;
        int batch;
        while (rescueExpired)
        {
            batch = await store.RescueExpiredLeasesAsync(RescueBatch, _options.MaxAttempts, cancellationToken);
            rescued += batch;
            rescueExpired = batch == RescueBatch;
        }

        var pruned = 0;
        do
        {
            batch = await store.PruneBatchAsync(_options.Retention, _options.PruneBatchSize, cancellationToken);
            pruned += batch;
        }
        while (batch == _options.PruneBatchSize);

        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition(JobSql.ServerDeleteStale,
                new { timeoutSeconds = _options.ServerTimeout.TotalSeconds }, cancellationToken: cancellationToken));
        }

        // Keeps the queue gauges current between the progress reports, in every process, workers or not.
        await readings.ReadAsync(cancellationToken);

        if (rescued > 0)
        {
            logger.LogWarning("Rescued {Count} jobs whose lease expired", rescued);
        }

        if (pruned > 0)
        {
            logger.LogInformation("Pruned {Count} finished jobs older than {Retention}", pruned, _options.Retention);
        }

        return new MaintenanceResult(rescued, pruned);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.MaintenanceInterval, time);
        var databaseWasAway = false;
        do
        {
            try
            {
                // Leases could not be renewed while the database was away, so after an outage longer than the lease
                // every running job looks abandoned. Rescuing at once would take them from live workers (whose work
                // is then discarded, at the cost of an attempt); one interval lets every heartbeat renew first.
                await RunOnceAsync(rescueExpired: !databaseWasAway, stoppingToken);
                if (databaseWasAway)
                {
                    logger.LogInformation("Database available again; expired leases are rescued from the next round, once heartbeats have renewed theirs");
                }

                databaseWasAway = false;
            }
            catch (Exception ex) when (DatabaseOutage.InterruptedDatabaseWork(ex))
            {
                logger.LogWarning("Queue maintenance skipped, database unavailable ({Reason})", ex.Message);
                databaseWasAway = true;
            }
        }
        while (await timer.NextTickOrStopAsync(stoppingToken));
    }

}

public sealed record MaintenanceResult(int Rescued, int Pruned);
