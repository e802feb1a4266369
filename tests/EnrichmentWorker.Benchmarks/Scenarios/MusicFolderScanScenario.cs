using System.Diagnostics;
using EnrichmentWorker.Benchmarks.Support;
using EnrichmentWorker.Library;
using EnrichmentWorker.MusicFolders;
using EnrichmentWorker.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using static EnrichmentWorker.Benchmarks.Support.Stats;

namespace EnrichmentWorker.Benchmarks.Scenarios;

/// <summary>
/// The music folder scanner in-process on a generated library of tiny tagged MP3 files (10 tracks per catalogue
/// album): a cold scan (every file's tags read, every album written) and a warm rescan with nothing changed (names,
/// sizes and times only). Figures are files per second.
/// </summary>
public sealed class MusicFolderScanScenario : IScenario
{
    private const string Database = "ewbench_folders";
    private const int TracksPerAlbum = 10;

    public string Name => "folders";

    public IReadOnlyList<string> Rows(BenchSettings settings) => [FigureNames.FolderCold, FigureNames.FolderWarm];

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var root = Path.Combine(context.WorkFolder, "music");
        var albums = Math.Max(1, context.Settings.FolderTracks / TracksPerAlbum);
        var generate = Stopwatch.StartNew();
        Generate(root, context, albums);
        context.Log($"folders: generated {albums * TracksPerAlbum:N0} files in {generate.Elapsed.TotalSeconds:0.0} s");

        var connectionString = await context.Postgres.CreateDatabaseAsync(Database, cancellationToken);
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).MigrateAsync(cancellationToken);
            var scanner = new MusicFolderScanner(new FolderWalker(), new TrackTagReader(), new AlbumGrouper(), new MusicFolderStore(dataSource),
                new AlbumWriter(dataSource), TimeProvider.System, NullLogger<MusicFolderScanner>.Instance);

            var cold = Stopwatch.StartNew();
            var first = await scanner.ScanAsync(root, cancellationToken);
            cold.Stop();
            var warm = Stopwatch.StartNew();
            var second = await scanner.ScanAsync(root, cancellationToken);
            warm.Stop();

            // The catalogue repeats a few artist-and-title pairs; albums with the same tags are one album by design.
            if (first.Albums.Count < albums * 9 / 10 || second.FilesRead != 0)
            {
                throw new InvalidOperationException($"expected about {albums} albums and no file read again; got {first.Albums.Count} albums, {second.FilesRead} files read warm");
            }

            context.Table.Measured(FigureNames.FolderCold, $"{F(first.AudioFiles / cold.Elapsed.TotalSeconds, 0)} /s", "(report)",
                $"{first.AudioFiles:N0} files, {first.Albums.Count:N0} albums written, in {F(cold.Elapsed.TotalSeconds, 2)} s");
            context.Table.Measured(FigureNames.FolderWarm, $"{F(second.AudioFiles / warm.Elapsed.TotalSeconds, 0)} /s", "seconds, not minutes",
                $"{second.AudioFiles:N0} files, 0 read, in {F(warm.Elapsed.TotalSeconds, 2)} s");
        }
        finally
        {
            await context.Postgres.DropDatabaseAsync(Database);
        }
    }

    /// <summary>
    /// One tagged MP3 per album (TagLib#), copied for each of its tracks: tags are per album anyway, and this keeps
    /// generation to seconds. The audio is 8 silent MPEG-1 Layer III frames, enough for TagLib# to read it as MP3.
    /// </summary>
    private static void Generate(string root, BenchContext context, int albums)
    {
        var audio = Frames();
        var catalog = context.Catalog;
        for (var i = 0; i < albums; i++)
        {
            var album = catalog[i % catalog.Count];
            var round = i / catalog.Count;
            var title = round == 0 ? album.Title : $"{album.Title} (copy {round})";
            var folder = Path.Combine(root, Safe(album.Artist), Safe(title) + "-" + i);
            Directory.CreateDirectory(folder);
            var first = Path.Combine(folder, "01.mp3");
            File.WriteAllBytes(first, audio);
            using (var file = TagLib.File.Create(first))
            {
                file.Tag.Album = title;
                file.Tag.Performers = [album.Artist];
                file.Tag.AlbumArtists = [album.Artist];
                file.Tag.Year = (uint)(album.Year ?? 0);
                file.Save();
            }

            for (var t = 2; t <= TracksPerAlbum; t++)
            {
                File.Copy(first, Path.Combine(folder, $"{t:00}.mp3"));
            }
        }
    }

    private static byte[] Frames()
    {
        // 0xFFFB9064: MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding: 417-byte frames.
        const int frameLength = 417;
        var bytes = new byte[frameLength * 8];
        for (var f = 0; f < 8; f++)
        {
            bytes[f * frameLength] = 0xFF;
            bytes[(f * frameLength) + 1] = 0xFB;
            bytes[(f * frameLength) + 2] = 0x90;
            bytes[(f * frameLength) + 3] = 0x64;
        }

        return bytes;
    }

    private static string Safe(string name) => string.Concat(name.Select(c => c is '/' or '\0' ? '_' : c)).Trim().TrimEnd('.') is { Length: > 0 } s ? s : "_";
}
