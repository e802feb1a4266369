using EnrichmentWorker.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EnrichmentWorker.Jobs;

public static class JobQueueServiceCollectionExtensions
{
    /// <summary>The per-album job queue. The handler that runs each job is registered by the enrichment pipeline.</summary>
    public static IServiceCollection AddJobQueue(this IServiceCollection services)
    {
        services.AddOptions<JobQueueOptions>().BindConfiguration(JobQueueOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<EnrichmentTelemetry>();
        services.AddHangfireStorage();
        services.AddSingleton<AlbumJobRequests>();
        services.AddSingleton<JobStore>();
        services.AddSingleton<QueueReadings>();
        services.AddSingleton<QueueControl>();
        services.AddSingleton<JobSignal>();
        services.AddSingleton<ServerIdentity>();
        services.AddSingleton<InFlightJobs>();
        // Hosted services stop in reverse order: the pool stops (and drains) before the heartbeat that keeps its leases.
        services.AddSingleton<JobHeartbeat>();
        services.AddHostedService(sp => sp.GetRequiredService<JobHeartbeat>());
        services.AddSingleton<QueueMaintenance>();
        services.AddHostedService(sp => sp.GetRequiredService<QueueMaintenance>());
        services.AddHostedService<JobNotificationListener>();
        services.AddHostedService<JobWorkerPool>();
        return services;
    }
}
