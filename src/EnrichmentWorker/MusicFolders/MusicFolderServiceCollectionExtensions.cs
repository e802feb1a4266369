using EnrichmentWorker.Hosting;

namespace EnrichmentWorker.MusicFolders;

public static class MusicFolderServiceCollectionExtensions
{
    /// <summary>The user's music folders as a source of albums: scan at start, watch, rescan periodically (a Hangfire recurring job); the <c>scan</c> command.</summary>
    public static IServiceCollection AddMusicFolders(this IServiceCollection services)
    {
        services.AddOptions<MusicFolderOptions>()
            .BindConfiguration(MusicFolderOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.Folders.All(f => !string.IsNullOrWhiteSpace(f) && MusicFolderScanner.SourceOf(f).Length <= Library.AlbumValidator.MaxSourceLength),
                $"Library:Folders must be folder paths of at most {Library.AlbumValidator.MaxSourceLength} characters.")
            .Validate(o => FolderRescanSchedule.CronOf(o.FolderRescanInterval) is not null, FolderRescanSchedule.IntervalRule)
            .ValidateOnStart();
        services.AddSingleton<FolderWalker>();
        services.AddSingleton<TrackTagReader>();
        services.AddSingleton<AlbumGrouper>();
        services.AddSingleton<MusicFolderStore>();
        services.AddSingleton<MusicFolderScanner>();
        services.AddSingleton<FolderScanLock>();
        services.AddSingleton<FolderRescan>();
        services.AddSingleton<FolderRescanJob>();
        // In this order: the watches are in place before the start-up scan begins (FolderWatcher.StartAsync).
        services.AddHostedService<FolderWatcher>();
        services.AddHostedService<FolderStartupScan>();
        services.AddHostedService<FolderRescanSchedule>();
        services.AddSingleton<ICliVerb, ScanVerb>();
        services.AddSingleton<MusicFolderReadings>();
        return services;
    }
}
