using System.Globalization;
using EnrichmentWorker.Hosting;
using Npgsql;

namespace EnrichmentWorker.MusicFolders;

/// <summary><c>scan FOLDER [--dry-run]</c>: finds the albums in a music folder, prints them and (unless a dry run) adds them.</summary>
public sealed class ScanVerb(MusicFolderScanner scanner, FolderScanLock scanLock) : ICliVerb
{
    /// <summary>sysexits.h EX_NOINPUT: the folder could not be read.</summary>
    public const int ExitCannotRead = 66;

    /// <summary>sysexits.h EX_UNAVAILABLE: the database failed while writing.</summary>
    public const int ExitDatabaseFailed = 69;

    public string Name => "scan";

    public async Task<int> RunAsync(CliCommand command, CancellationToken cancellationToken)
    {
        if (command.Arguments.Count != 1)
        {
            throw new CliUsageException("scan needs exactly one FOLDER.");
        }

        var dryRun = command.Has("dry-run");
        FolderScanResult result;
        try
        {
            if (dryRun)
            {
                result = await scanner.ScanAsync(command.Arguments[0], dryRun: true, cancellationToken);
            }
            else
            {
                // A running service may be scanning the same folder (one of its Library:Folders): one at a time.
                await using (await scanLock.AcquireAsync(MusicFolderScanner.SourceOf(command.Arguments[0]), cancellationToken))
                {
                    result = await scanner.ScanAsync(command.Arguments[0], dryRun: false, cancellationToken);
                }
            }
        }
        catch (Exception ex) when (ex is NpgsqlException || ex.InnerException is NpgsqlException)
        {
            await Console.Error.WriteLineAsync($"Scan of {command.Arguments[0]} failed, the database could not be reached or failed: {ex.Message.ReplaceLineEndings(" ")}");
            return ExitDatabaseFailed;
        }

        if (result.Unavailable is { } reason)
        {
            await Console.Error.WriteLineAsync($"Cannot scan {result.Root}: {reason}");
            return ExitCannotRead;
        }

        foreach (var found in result.Albums.OrderBy(a => a.Album.Tags.Artist, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Album.Tags.Title, StringComparer.OrdinalIgnoreCase))
        {
            var album = found.Album.Tags;
            var year = album.Year is { } y ? $" ({y.ToString(CultureInfo.InvariantCulture)})" : "";
            Console.WriteLine($"{album.Artist} - {album.Title}{year}: {found.Tracks} tracks in {string.Join(", ", found.Folders.Select(f => f.Length == 0 ? "." : f))}");
        }

        foreach (var problem in result.Problems)
        {
            Console.WriteLine($"problem: {problem.Path}: {problem.Reason}");
        }

        var summary = $"{result.Root}: {result.AudioFiles} audio files, {result.OtherFiles} other files, {result.Albums.Count} albums, {result.Problems.Count} problems.";
        Console.WriteLine(result.Written is { } w
            ? $"{summary} {w.Added} added, {w.Updated} updated, {w.Unchanged} unchanged; new and changed albums are queued for enrichment."
            : $"{summary} Dry run: nothing was written.");
        return 0;
    }
}
