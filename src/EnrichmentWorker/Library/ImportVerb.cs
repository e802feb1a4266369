using EnrichmentWorker.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.Library;

/// <summary><c>import FILE [--source NAME] [--format csv|jsonl] [--ignore-unknown-columns]</c>: adds or updates albums from a file.</summary>
public sealed class ImportVerb(AlbumFileImporter importer, IOptions<LibraryOptions> options) : ICliVerb
{
    /// <summary>sysexits.h EX_DATAERR: the file was read but refused.</summary>
    public const int ExitFileRefused = 65;

    /// <summary>sysexits.h EX_NOINPUT: the file could not be opened.</summary>
    public const int ExitCannotRead = 66;

    /// <summary>sysexits.h EX_UNAVAILABLE: the database failed or went away while writing.</summary>
    public const int ExitDatabaseFailed = 69;

    /// <summary>Stopped by Ctrl+C (128 + SIGINT, as a shell reports it).</summary>
    public const int ExitCancelled = 130;

    public string Name => "import";

    public async Task<int> RunAsync(CliCommand command, CancellationToken cancellationToken)
    {
        if (command.Arguments.Count != 1)
        {
            throw new CliUsageException("import needs exactly one FILE.");
        }

        var path = command.Arguments[0];
        AlbumFileFormat format;
        if (command.Option("format") is { } formatName)
        {
            if (!AlbumFileFormats.TryParse(formatName, out format))
            {
                throw new CliUsageException($"--format must be csv or jsonl, not '{formatName}'.");
            }
        }
        else if (!AlbumFileFormats.TryFromExtension(path, out format))
        {
            throw new CliUsageException($"Cannot tell the format of '{path}' from its extension (.csv, .jsonl, .ndjson): add --format csv or --format jsonl.");
        }

        var source = command.Option("source") ?? AlbumFileImporter.DefaultSource(path);
        if (string.IsNullOrWhiteSpace(source) || source.Length > AlbumValidator.MaxSourceLength)
        {
            throw new CliUsageException($"--source must be a name of 1 to {AlbumValidator.MaxSourceLength} characters.");
        }

        if (command.Has("ignore-unknown-columns") && format != AlbumFileFormat.Csv)
        {
            throw new CliUsageException("--ignore-unknown-columns applies to CSV files only.");
        }

        try
        {
            var result = await importer.ImportAsync(path, format, source.Trim(), command.Has("ignore-unknown-columns"), cancellationToken);
            var counts = result.Counts;
            if (result.IgnoredColumns.Count > 0)
            {
                Console.WriteLine($"Ignored {Plural.Of(result.IgnoredColumns.Count, "unknown column")}: {string.Join(", ", result.IgnoredColumns.Select(TerminalText.Clean))}.");
            }

            Console.WriteLine($"Imported {Plural.Of(counts.Received, "album")} from {TerminalText.Clean(path)} as source '{TerminalText.Clean(result.Source)}': "
                + $"{counts.Added} added, {counts.Updated} updated, {counts.Unchanged} unchanged. "
                + "New and changed albums are queued for enrichment.");
            return 0;
        }
        catch (AlbumImportException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return ExitFileRefused;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"Cannot read {path}: {ex.Message}");
            return ExitCannotRead;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException || ex.InnerException is NpgsqlException)
        {
            // The file is written in one transaction, so a failure rolls all of it back; a re-import is always safe
            // (unchanged albums are left alone), which also covers the one case nobody can tell: a lost commit reply.
            await Console.Error.WriteLineAsync($"Import of {path} failed, nothing from it was written: {DatabaseReason(ex)}");
            return ExitDatabaseFailed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"Import of {path} cancelled, nothing from it was written.");
            return ExitCancelled;
        }
    }

    private string DatabaseReason(Exception ex) => ex switch
    {
        PostgresException { SqlState: PostgresErrorCodes.QueryCanceled } or NpgsqlException { InnerException: TimeoutException } or TimeoutException
            when options.Value.ImportStatementTimeout > TimeSpan.Zero =>
            $"the database took longer than {LibraryOptions.Section}:{nameof(LibraryOptions.ImportStatementTimeout)} ({options.Value.ImportStatementTimeout:c}); "
            + "raise it, or set it to 0 for no limit.",
        PostgresException { SqlState: PostgresErrorCodes.QueryCanceled } pg =>
            $"PostgreSQL cancelled the statement ({pg.MessageText}): a statement_timeout set on the server or the role?",
        PostgresException pg => $"PostgreSQL refused it: {pg.MessageText} ({pg.SqlState}).",
        _ => $"the database could not be reached or failed: {OneLine(ex.Message)}",
    };

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
