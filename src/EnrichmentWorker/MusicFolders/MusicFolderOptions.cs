using System.ComponentModel.DataAnnotations;

namespace EnrichmentWorker.MusicFolders;

/// <summary>The user's music folders, from the <c>Library</c> configuration section (<c>Library:Folders</c>).</summary>
public sealed class MusicFolderOptions
{
    public const string Section = "Library";

    /// <summary>Root folders of audio files; each album in them (and each copied in later) is found and enriched.</summary>
    public List<string> Folders { get; set; } = [];

    /// <summary>
    /// How often every root is scanned again in full, as a backstop for changes the watcher missed (network shares,
    /// the inotify watch limit). A rescan reads only changed files. It runs as the Hangfire recurring job
    /// "rescan-music-folders", so the interval must be one a cron schedule repeats evenly (see
    /// <see cref="FolderRescanSchedule.CronOf"/>). Default 1 hour.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan FolderRescanInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a root must be quiet after a change before it is scanned, so a half-copied album is not read twice.
    /// Default 2 s: an album is queued within about 5 s of its last file landing.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan FolderSettleTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Watch the roots for changes (inotify on Linux). Default true; off, only the periodic rescan finds changes.</summary>
    public bool WatchFolders { get; set; } = true;
}
