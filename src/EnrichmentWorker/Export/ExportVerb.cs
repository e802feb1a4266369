using EnrichmentWorker.Hosting;
using Microsoft.Data.Sqlite;

namespace EnrichmentWorker.Export;

/// <summary><c>export [--format csv|jsonl|sqlite] [--output FILE]</c>: every album's Discogs genres and styles.</summary>
public sealed class ExportVerb(AlbumGenreExport export) : ICliVerb
{
    /// <summary>sysexits.h EX_CANTCREAT: the output file could not be written.</summary>
    public const int ExitCannotWrite = 73;

    public string Name => "export";

    public async Task<int> RunAsync(CliCommand command, CancellationToken cancellationToken)
    {
        if (command.Arguments.Count != 0)
        {
            throw new CliUsageException("export takes no arguments: write --output FILE.");
        }

        var output = command.Option("output");
        ExportFormat format;
        if (command.Option("format") is { } name)
        {
            if (!AlbumGenreExport.TryParseFormat(name, out format))
            {
                throw new CliUsageException($"--format must be csv, jsonl or sqlite, not '{name}'.");
            }
        }
        else if (output is null)
        {
            format = ExportFormat.Csv;
        }
        else if (!AlbumGenreExport.TryFormatOfFile(output, out format))
        {
            throw new CliUsageException($"Cannot tell the format of '{output}' from its extension (.csv, .jsonl, .sqlite, .db): add --format.");
        }

        try
        {
            if (format == ExportFormat.Sqlite)
            {
                if (output is null)
                {
                    throw new CliUsageException("--format sqlite needs --output FILE (the database file to write into).");
                }

                var rows = await export.WriteSqliteAsync(output, cancellationToken);
                await Console.Error.WriteLineAsync($"Wrote {rows} rows into album_genres of {output}.");
                return 0;
            }

            if (output is null)
            {
                await using var stdout = Console.OpenStandardOutput();
                await export.WriteTextAsync(stdout, format, cancellationToken);
                return 0;
            }

            var temporary = output + ".partial";
            int written;
            await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
            {
                written = await export.WriteTextAsync(file, format, cancellationToken);
            }

            // Renamed into place only when complete, so a reader never sees half a file.
            File.Move(temporary, output, overwrite: true);
            await Console.Error.WriteLineAsync($"Wrote {written} rows to {output}.");
            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SqliteException)
        {
            await Console.Error.WriteLineAsync($"Cannot write {output}: {ex.Message}");
            return ExitCannotWrite;
        }
    }
}

public static class ExportServiceCollectionExtensions
{
    /// <summary>Results out: the <c>export</c> command.</summary>
    public static IServiceCollection AddResultExport(this IServiceCollection services)
    {
        services.AddSingleton<AlbumGenreExport>();
        services.AddSingleton<ICliVerb, ExportVerb>();
        return services;
    }
}
