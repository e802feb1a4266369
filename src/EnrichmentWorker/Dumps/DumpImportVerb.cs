using EnrichmentWorker.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.Dumps;

/// <summary>
/// <c>dump import FILE... [--releases all|library]</c>: imports monthly Discogs dump files, masters and artists before
/// the releases that may be chosen by them. Each file is installed on its own; a refused file leaves the dump in
/// service as it was. Once files are installed, the library's misses are queued for a re-check against them.
/// </summary>
public sealed class DumpImportVerb(DumpImporter importer, DumpMissRecheck recheck, IOptions<DumpOptions> options) : ICliVerb
{
    /// <summary>sysexits.h EX_DATAERR: a file was read but refused.</summary>
    public const int ExitFileRefused = 65;

    /// <summary>sysexits.h EX_UNAVAILABLE: the database failed or went away while writing.</summary>
    public const int ExitDatabaseFailed = 69;

    public string Name => "dump";

    public async Task<int> RunAsync(CliCommand command, CancellationToken cancellationToken)
    {
        if (command.Arguments.Count < 2 || command.Arguments[0] != "import")
        {
            throw new CliUsageException("dump needs a subcommand: dump import FILE...");
        }

        var scope = command.Option("releases") ?? options.Value.Releases;
        if (scope is not ("all" or "library"))
        {
            throw new CliUsageException($"--releases must be all or library, not '{scope}'.");
        }

        var files = new List<DumpFile>();
        foreach (var path in command.Arguments.Skip(1))
        {
            if (!DumpFile.TryParse(path, out var file))
            {
                throw new CliUsageException($"{path}: not named like a Discogs dump file (discogs_YYYYMMDD_artists|labels|masters|releases.xml.gz).");
            }

            files.Add(file);
        }

        var exit = 0;
        DateOnly? installed = null;
        foreach (var file in DumpImportOrder.Order(files))
        {
            try
            {
                var result = await importer.ImportAsync(file, scope == "library", cancellationToken);
                installed = file.Entity == DumpEntity.Labels ? installed : file.Date; // labels play no part in matching
                Console.WriteLine($"{file.Name}: installed {result.RowsWritten:N0} {file.EntityName} of {file.Date:yyyy-MM-dd} "
                    + $"({result.RecordsRead:N0} read, {result.Elapsed.TotalSeconds:0.0} s, {result.RecordsRead / Math.Max(result.Elapsed.TotalSeconds, 0.001):N0} records/s).");
            }
            catch (DumpImportException ex)
            {
                await Console.Error.WriteLineAsync($"{ex.Message} The dump in service is unchanged.");
                exit = ExitFileRefused;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException || ex.InnerException is NpgsqlException)
            {
                await Console.Error.WriteLineAsync($"{file.Name}: the database failed during the import, nothing of it was installed: {ex.Message.ReplaceLineEndings(" ")}");
                return ExitDatabaseFailed;
            }
        }

        if (installed is { } date)
        {
            var queued = await recheck.QueueAsync(date, cancellationToken);
            Console.WriteLine($"{Plural.Of(queued, "missed album")} queued for a re-check against the dump (no request; a running service picks them up).");
        }

        return exit;
    }
}

/// <summary>The order files are imported in: by date, and within a date masters and artists first, so releases can be chosen by them.</summary>
public static class DumpImportOrder
{
    public static IEnumerable<DumpFile> Order(IEnumerable<DumpFile> files) =>
        files.OrderBy(f => f.Date).ThenBy(f => f.Entity switch
        {
            DumpEntity.Masters => 0,
            DumpEntity.Artists => 1,
            DumpEntity.Labels => 2,
            _ => 3,
        });
}
