using System.Diagnostics;
using EnrichmentWorker.Benchmarks.Support;
using Npgsql;
using NpgsqlTypes;

namespace EnrichmentWorker.Benchmarks.Library;

public sealed record ImportRun(bool ViaService, TimeSpan Elapsed, long PeakWorkingSetBytes, string Output);

/// <summary>
/// Gets a library into a database the way a user does: the service's own <c>import FILE</c> verb. Where that verb is
/// not in the build yet, the enrichment scenarios still need their albums, so the harness COPYs them itself and says so.
/// </summary>
public static class LibraryImporter
{
    public const string Source = "bench";

    public static async Task<ImportRun> ImportAsync(string connectionString, string csvPath, IReadOnlyList<LibraryAlbum>? albums, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var run = await ServiceChild.RunVerbAsync(
            new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = connectionString },
            timeout, "import", csvPath, "--source", Source, "--format", "csv");
        if (run.ExitCode == 0)
        {
            return new ImportRun(true, run.Elapsed, run.PeakWorkingSetBytes, run.Output);
        }

        if (!run.VerbMissing || albums is null)
        {
            throw new InvalidOperationException($"import {run.Problem}");
        }

        var clock = Stopwatch.StartNew();
        await CopyAsync(connectionString, albums, cancellationToken);
        return new ImportRun(false, clock.Elapsed, 0, "import verb not in this build; albums copied by the harness");
    }

    /// <summary>One COPY of every album in one transaction: the insert trigger enqueues them in one statement.</summary>
    private static async Task CopyAsync(string connectionString, IReadOnlyList<LibraryAlbum> albums, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY albums (source, source_key, artist, title, year) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var album in albums)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(Source, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(album.SourceKey, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(album.Artist, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(album.Title, NpgsqlDbType.Text, cancellationToken);
            if (album.Year is { } year)
            {
                await copy.WriteAsync(year, NpgsqlDbType.Integer, cancellationToken);
            }
            else
            {
                await copy.WriteNullAsync(cancellationToken);
            }
        }

        await copy.CompleteAsync(cancellationToken);
    }
}
