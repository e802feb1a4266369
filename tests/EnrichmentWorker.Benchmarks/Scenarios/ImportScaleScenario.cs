using Dapper;
using EnrichmentWorker.Benchmarks.Library;
using EnrichmentWorker.Benchmarks.Support;
using Npgsql;
using static EnrichmentWorker.Benchmarks.Support.Stats;

namespace EnrichmentWorker.Benchmarks.Scenarios;

/// <summary>
/// Importing a big library with the service's own <c>import FILE</c> command, as a user runs it: the wall time of the
/// whole command (process start, migrations check, parse, COPY, enqueue of every album) and its peak memory. No
/// service runs meanwhile, so the figure is the import's alone.
/// </summary>
public sealed class ImportScaleScenario : IScenario
{
    public const string VerbPending = "the service's import verb (branch library) is not in this build";

    public string Name => "import";

    public IReadOnlyList<string> Rows(BenchSettings settings) => [FigureNames.ImportLarge, FigureNames.PeakMemoryImport, FigureNames.ImportHuge];

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        var large = await ImportAsync(context, settings.LargeImport, cancellationToken);
        context.Table.Measured(FigureNames.ImportLarge, Describe(large, settings.LargeImport), "< 10 s", large.Note);
        context.Table.Measured(FigureNames.PeakMemoryImport, Mb(large.PeakBytes), "< 200 MB", "VmHWM of the import process");
        var huge = await ImportAsync(context, settings.HugeImport, cancellationToken);
        context.Table.Measured(FigureNames.ImportHuge, Describe(huge, settings.HugeImport), "(report)", $"{huge.Note}; peak memory {Mb(huge.PeakBytes)}");
    }

    private static string Describe(Result result, int count) =>
        $"{F(result.Elapsed.TotalSeconds, 1)} s for {count:N0} ({F(count / result.Elapsed.TotalSeconds, 0)} albums/s)";

    private static async Task<Result> ImportAsync(BenchContext context, int count, CancellationToken cancellationToken)
    {
        var database = "bench_import_" + count;
        var connectionString = await context.Postgres.CreateDatabaseAsync(database, cancellationToken);
        var csv = Path.Combine(context.WorkFolder, $"import-{count}.csv");
        try
        {
            await LibraryCsv.WriteAsync(csv, context.Library(count), cancellationToken);
            var environment = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = connectionString };
            // Migrate first, so the figure is the import's and not the schema's creation.
            var migrate = await ServiceChild.RunVerbAsync(environment, TimeSpan.FromMinutes(2), "migrate");
            if (migrate.ExitCode != 0)
            {
                throw new InvalidOperationException($"migrate {migrate.Problem}");
            }

            context.Log($"import: {count:N0} albums ({new FileInfo(csv).Length / 1024 / 1024:N0} MB CSV)");
            var run = await ServiceChild.RunVerbAsync(environment, TimeSpan.FromMinutes(15), "import", csv, "--source", LibraryImporter.Source, "--format", "csv");
            if (run.VerbMissing)
            {
                throw new PendingException(VerbPending);
            }

            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException($"import {run.Problem}");
            }

            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            var albums = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM albums", cancellationToken: cancellationToken));
            var jobs = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM album_jobs", cancellationToken: cancellationToken));
            if (albums != count || jobs != count)
            {
                throw new InvalidOperationException($"after importing {count:N0} albums the database holds {albums:N0} albums and {jobs:N0} jobs");
            }

            return new Result(run.Elapsed, run.PeakWorkingSetBytes, $"whole `import` command incl. process start; {albums:N0} albums and {jobs:N0} album_jobs rows (queued for Hangfire) checked in the database");
        }
        finally
        {
            File.Delete(csv);
            await context.Postgres.DropDatabaseAsync(database);
        }
    }

    private sealed record Result(TimeSpan Elapsed, long PeakBytes, string Note);
}
