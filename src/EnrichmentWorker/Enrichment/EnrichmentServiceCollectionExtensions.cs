using EnrichmentWorker.Hosting;
using EnrichmentWorker.Hosting.Health;
using EnrichmentWorker.Jobs;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EnrichmentWorker.Enrichment;

public static class EnrichmentServiceCollectionExtensions
{
    /// <summary>The per-album Hangfire job (match, fetch, write) and the recurring ones. Needs the job queue, the Discogs client and the matcher.</summary>
    public static IServiceCollection AddEnrichment(this IServiceCollection services)
    {
        services.AddOptions<EnrichmentOptions>().BindConfiguration(EnrichmentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AlbumReader>();
        services.AddSingleton<AlbumEnricher>();
        services.AddSingleton<EnrichmentWriter>();
        services.AddSingleton<AlbumSelection>();
        services.TryAddSingleton<ServiceStatus>();
        services.AddSingleton<EnrichmentProgress>();
        services.AddHostedService(sp => sp.GetRequiredService<EnrichmentProgress>());
        services.AddTransient<AlbumEnrichmentJob>();
        services.AddTransient<MissRecheck>();
        services.AddTransient<ReleaseFiguresQueue>();
        services.AddTransient<ReleaseFiguresJob>();
        services.AddTransient<AlbumHistoryPruning>();
        services.AddHostedService<RecurringJobsRegistration>();
        services.AddSingleton<ICliVerb, EnqueueVerb>();
        services.AddSingleton<ICliVerb, StatusVerb>();
        services.AddHostedService<DiscogsTokenGate>();
        services.AddHealthChecks().AddCheck<QueueStalledHealthCheck>(QueueStalledHealthCheck.Name, tags: [HealthTags.Ready], timeout: TimeSpan.FromSeconds(5));
        return services;
    }
}
