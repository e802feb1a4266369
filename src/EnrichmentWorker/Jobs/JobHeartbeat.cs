using Dapper;
using EnrichmentWorker.Hosting;
using EnrichmentWorker.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.Jobs;

/// <summary>
/// Keeps this server registered and its running jobs' leases alive; stops a job whose lease was lost (so it cannot
/// overwrite a newer run) or whose cancellation a person asked for.
/// </summary>
public sealed class JobHeartbeat(
    NpgsqlDataSource dataSource,
    JobStore store,
    InFlightJobs inFlight,
    ServerIdentity server,
    IOptions<JobQueueOptions> options,
    TimeProvider time,
    ILogger<JobHeartbeat> logger) : BackgroundService
{
    private readonly JobQueueOptions _options = options.Value;

    /// <summary>One beat: register, renew, stop what is no longer ours. Returns the number of leases renewed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition(JobSql.ServerUpsert, new
            {
                id = server.Id,
                hostName = Environment.MachineName,
                processId = Environment.ProcessId,
                workers = _options.Workers,
            }, cancellationToken: cancellationToken));
        }

        var running = inFlight.Snapshot();
        var renewed = await store.RenewLeasesAsync([.. running.Select(r => r.Job)], _options.LeaseDuration, cancellationToken);
        var held = renewed.ToDictionary(r => r.Id);
        foreach (var job in running)
        {
            if (!held.TryGetValue(job.Job.Id, out var lease))
            {
                if (!inFlight.IsRunning(job))
                {
                    // It finished while the renewal ran: its completion released the lease, nothing was lost.
                    continue;
                }

                logger.LogWarning("Job {JobId} is no longer leased to this server; stopping it", job.Job.Id);
                job.Stop(StopReason.LeaseLost);
            }
            else if (lease.CancelRequested)
            {
                logger.LogInformation("Job {JobId} cancelled by a person; stopping it", job.Job.Id);
                job.Stop(StopReason.CancelledByPerson);
            }
        }

        return renewed.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (DatabaseOutage.InterruptedDatabaseWork(ex))
            {
                logger.LogWarning("Heartbeat failed, database unavailable ({Reason})", ex.Message);
            }
        }
        while (await timer.NextTickOrStopAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(JobSql.ServerDelete, new { id = server.Id }, cancellationToken: cancellationToken));
        }
        catch (Exception ex) when (DatabaseOutage.InterruptedDatabaseWork(ex) || ex is OperationCanceledException)
        {
            logger.LogWarning("Could not remove this server from the registry ({Reason}); it will expire", ex.Message);
        }
    }
}
