using EnrichmentWorker.Telemetry;
using Hangfire;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EnrichmentWorker.Jobs;

public static class JobQueueServiceCollectionExtensions
{
    /// <summary>
    /// The per-album jobs: Hangfire (storage, filters, and a server with Jobs:Workers workers when that is above 0),
    /// the project's one-live-job-per-album dispatcher, the pause switch and gate, and the queue's readings. The job
    /// itself (AlbumEnrichmentJob) and the recurring jobs are registered by the enrichment pipeline.
    /// </summary>
    public static IServiceCollection AddJobQueue(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobQueueOptions>().BindConfiguration(JobQueueOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<EnrichmentTelemetry>();
        services.AddHangfireStorage();
        services.AddSingleton<AlbumJobRequests>();
        services.AddSingleton<QueueControl>();
        services.AddSingleton<QueuePauseGate>();
        services.AddSingleton<QueueReadings>();
        services.AddHostedService<AlbumJobDispatcher>();
        var workers = configuration.GetValue(JobQueueOptions.Section + ":" + nameof(JobQueueOptions.Workers), new JobQueueOptions().Workers);
        if (workers > 0)
        {
            services.AddHangfireServer((provider, server) =>
            {
                var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<JobQueueOptions>>().Value;
                server.WorkerCount = options.Workers;
                server.Queues = JobQueues.ServedByEveryServer;
                server.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                // Hangfire cancels the job's token at once on stop; the job itself gives the album ShutdownGrace
                // (AlbumEnrichmentJob), and Hangfire waits a little longer than that before it abandons the worker.
                server.ShutdownTimeout = options.ShutdownGrace + TimeSpan.FromSeconds(5);
            });
        }

        return services;
    }
}
