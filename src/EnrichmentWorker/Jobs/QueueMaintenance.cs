using Dapper;
using EnrichmentWorker.Hosting;
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

    public async Task<MaintenanceResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var rescued = 0;
        int batch;
        do
        {
            batch = await store.RescueExpiredLeasesAsync(RescueBatch, _options.MaxAttempts, cancellationToken);
            rescued += batch;
        }
        while (batch == RescueBatch);

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
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (JobWorkerPool.IsDatabaseUnavailable(ex))
            {
                logger.LogWarning("Queue maintenance skipped, database unavailable ({Reason})", ex.Message);
            }
        }
        while (await timer.NextTickOrStopAsync(stoppingToken));
    }

}

public sealed record MaintenanceResult(int Rescued, int Pruned);
