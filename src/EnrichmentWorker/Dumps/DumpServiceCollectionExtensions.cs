using EnrichmentWorker.Hosting;

namespace EnrichmentWorker.Dumps;

public static class DumpServiceCollectionExtensions
{
    /// <summary>Discogs' monthly dumps: the import (CLI verb and folder check), and the local matching source.</summary>
    public static IServiceCollection AddDiscogsDumps(this IServiceCollection services)
    {
        services.AddOptions<DumpOptions>().BindConfiguration(DumpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<InstalledDumps>();
        services.AddSingleton<DumpImporter>();
        services.AddSingleton<DumpCandidateLookup>();
        services.AddSingleton<DumpReleaseReader>();
        services.AddSingleton<DumpMatcher>();
        services.AddSingleton<DumpFolderCheck>();
        services.AddSingleton<DumpMissRecheck>();
        services.AddSingleton<ICliVerb, DumpImportVerb>();
        return services;
    }
}
