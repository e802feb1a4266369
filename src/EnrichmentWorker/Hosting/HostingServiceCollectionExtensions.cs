namespace EnrichmentWorker.Hosting;

public static class HostingServiceCollectionExtensions
{
    public static IServiceCollection AddServiceHosting(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ICliVerb, MigrateVerb>();
        return services;
    }
}
