using EnrichmentWorker.Hosting;

namespace EnrichmentWorker.Library;

public static class LibraryServiceCollectionExtensions
{
    /// <summary>Album intake: the <c>import</c> command, the writer and lookup the HTTP API uses, and its limits.</summary>
    public static IServiceCollection AddAlbumLibrary(this IServiceCollection services)
    {
        services.AddOptions<LibraryOptions>()
            .BindConfiguration(LibraryOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<AlbumWriter>();
        services.AddSingleton<AlbumLookup>();
        services.AddSingleton<AlbumFileImporter>();
        services.AddSingleton<ICliVerb, ImportVerb>();
        return services;
    }
}
