using EnrichmentWorker.Hosting;

namespace EnrichmentWorker.MusicFolders;

public static class MusicFolderServiceCollectionExtensions
{
    /// <summary>The user's music folders as a source of albums: scan at start, watch, rescan periodically; the <c>scan</c> command.</summary>
    public static IServiceCollection AddMusicFolders(this IServiceCollection services)
    {
        services.AddOptions<MusicFolderOptions>()
            .BindConfiguration(MusicFolderOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.Folders.All(f => !string.IsNullOrWhiteSpace(f) && MusicFolderScanner.SourceOf(f).Length <= Library.AlbumValidator.MaxSourceLength),
                $"Library:Folders must be folder paths of at most {Library.AlbumValidator.MaxSourceLength} characters.")
            .ValidateOnStart();
        services.AddSingleton<FolderWalker>();
        services.AddSingleton<TrackTagReader>();
        services.AddSingleton<AlbumGrouper>();
        services.AddSingleton<MusicFolderStore>();
        services.AddSingleton<MusicFolderScanner>();
        services.AddSingleton<FolderScanGate>();
        services.AddSingleton<FolderRescan>();
        services.AddHostedService<FolderRescanService>();
        services.AddHostedService<FolderWatcher>();
        services.AddSingleton<ICliVerb, ScanVerb>();
        services.AddSingleton<MusicFolderReadings>();
        return services;
    }
}
