using EnrichmentWorker.Hosting;
using EnrichmentWorker.Jobs;

namespace EnrichmentWorker.Enrichment;

public static class EnrichmentServiceCollectionExtensions
{
    /// <summary>The per-album job: match, fetch, write. Needs the job queue, the Discogs client and the matcher.</summary>
    public static IServiceCollection AddEnrichment(this IServiceCollection services)
    {
        services.AddOptions<EnrichmentOptions>().BindConfiguration(EnrichmentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AlbumReader>();
        services.AddSingleton<AlbumEnricher>();
        services.AddSingleton<EnrichmentWriter>();
        services.AddSingleton<AlbumSelection>();
        services.AddSingleton<EnrichmentProgress>();
        services.AddHostedService(sp => sp.GetRequiredService<EnrichmentProgress>());
        services.AddHostedService<MissRecheck>();
        services.AddSingleton<IJobHandler, AlbumEnrichmentHandler>();
        services.AddSingleton<ICliVerb, EnqueueVerb>();
        services.AddSingleton<ICliVerb, StatusVerb>();
        services.AddHostedService<DiscogsTokenGate>();
        return services;
    }
}
