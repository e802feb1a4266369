using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.Dumps;

public sealed record DumpImportResult(DumpFile File, long RecordsRead, long RowsWritten, short Slot, string Scope, TimeSpan Elapsed);

/// <summary>
/// Imports one dump file: streams its records into the slot of the entity's table not in service (COPY, binary),
/// and installs it by pointing <c>dump_installed</c> at that slot in the same transaction. Anything refused or
/// failing rolls the whole transaction back: the dump in service never sees a row of the new file.
/// </summary>
public sealed class DumpImporter(NpgsqlDataSource dataSource, TimeProvider time, IOptions<DumpOptions> options, ILogger<DumpImporter> logger)
{
    // pg_try_advisory_lock key: one import at a time, across processes.
    private const long ImportLock = 0x64756d70; // "dump"

    public async Task<DumpImportResult> ImportAsync(DumpFile file, bool onlyLibraryReleases, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_lock(@ImportLock)", new { ImportLock }, cancellationToken: cancellationToken)))
        {
            throw new DumpImportException($"{file.Name}: another dump import is running; try again when it has finished.");
        }

        try
        {
            return await ImportLockedAsync(connection, file, onlyLibraryReleases && file.Entity == DumpEntity.Releases, cancellationToken);
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@ImportLock)", new { ImportLock }, cancellationToken: CancellationToken.None));
        }
    }

    private async Task<DumpImportResult> ImportLockedAsync(NpgsqlConnection connection, DumpFile file, bool library, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var current = await InstalledDumps.GetAsync(connection, file.Entity, cancellationToken);
        if (current is not null && file.Date < current.Date)
        {
            throw new DumpImportException(
                $"{file.Name}: this {file.EntityName} dump of {file.Date:yyyy-MM-dd} is older than the one in service ({current.Date:yyyy-MM-dd}, {current.FileName}); it was not imported.");
        }

        var selection = library ? await DumpReleaseSelection.ForLibraryAsync(connection, cancellationToken) : null;
        if (selection is not null)
        {
            logger.LogInformation("Importing only the library's releases: those of {Masters:N0} masters and {Artists:N0} artist names", selection.MasterCount, selection.ArtistCount);
        }

        var slot = (short)(current is null ? 0 : 1 - current.Slot);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition($"TRUNCATE {DumpRowWriter.Partition(file.Entity, slot)}", transaction: transaction, cancellationToken: cancellationToken, commandTimeout: 0));

        using var reader = new DumpXmlReader(file);
        var progress = new DumpProgress(file, reader, time, options.Value.ProgressInterval, logger);
        long written = 0;
        await using (var copy = await connection.BeginBinaryImportAsync(DumpRowWriter.Copy(file.Entity, slot), cancellationToken))
        {
            copy.Timeout = TimeSpan.FromMinutes(10);
            while (reader.Next() is { } element)
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (file.Entity)
                {
                    case DumpEntity.Masters:
                        await DumpRowWriter.MasterAsync(copy, slot, DumpRecordParser.Master(element), cancellationToken);
                        break;
                    case DumpEntity.Releases:
                        var release = DumpRecordParser.Release(element);
                        if (selection is not null && !selection.Keeps(release))
                        {
                            progress.Tick(written);
                            continue;
                        }

                        await DumpRowWriter.ReleaseAsync(copy, slot, release, cancellationToken);
                        break;
                    case DumpEntity.Artists:
                        await DumpRowWriter.ArtistAsync(copy, slot, DumpRecordParser.Artist(element), cancellationToken);
                        break;
                    default:
                        await DumpRowWriter.LabelAsync(copy, slot, DumpRecordParser.Label(element), cancellationToken);
                        break;
                }

                written++;
                progress.Tick(written);
            }

            if (reader.Records == 0)
            {
                throw new DumpImportException($"{file.Name}: holds no {file.EntityName}.");
            }

            await copy.CompleteAsync(cancellationToken);
        }

        // A bulk load leaves up to gin_pending_list_limit (4 MB, ~100,000 keys) in each GIN index's pending list,
        // which every lookup then reads whole: 10-30 ms per probe at 2.5 M masters, against 0.05 ms once merged.
        // Only VACUUM or autovacuum would merge it, at some later time; the lookups need it merged from their first.
        await connection.ExecuteAsync(new CommandDefinition(
            """
            SELECT gin_clean_pending_list(i.indexrelid::regclass)
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
            WHERE i.indrelid = @partition::regclass AND am.amname = 'gin'
            """,
            new { partition = DumpRowWriter.Partition(file.Entity, slot) },
            transaction: transaction, cancellationToken: cancellationToken, commandTimeout: 0));

        // Fresh statistics, so the lookups' plans fit the new rows from the first query on.
        await connection.ExecuteAsync(new CommandDefinition($"ANALYZE {DumpRowWriter.Partition(file.Entity, slot)}", transaction: transaction, cancellationToken: cancellationToken, commandTimeout: 0));
        var elapsed = time.GetElapsedTime(started);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO dump_installed (entity, slot, dump_date, file_name, scope, row_count, seconds, imported_at)
            VALUES (@entity, @slot, @date, @fileName, @scope, @rows, @seconds, @now)
            ON CONFLICT (entity) DO UPDATE SET slot = EXCLUDED.slot, dump_date = EXCLUDED.dump_date, file_name = EXCLUDED.file_name,
                scope = EXCLUDED.scope, row_count = EXCLUDED.row_count, seconds = EXCLUDED.seconds, imported_at = EXCLUDED.imported_at
            """,
            new
            {
                entity = file.EntityName,
                slot,
                date = file.Date,
                fileName = file.Name,
                scope = library ? "library" : "all",
                rows = written,
                seconds = (float)elapsed.TotalSeconds,
                now = time.GetUtcNow(),
            },
            transaction: transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        elapsed = time.GetElapsedTime(started);
        logger.LogInformation(
            "Installed {File}: {Rows:N0} {Entity} of {Records:N0} read in {Seconds:0.0} s ({Rate:N0} records/s)",
            file.Name, written, file.EntityName, reader.Records, elapsed.TotalSeconds, reader.Records / Math.Max(elapsed.TotalSeconds, 0.001));
        return new DumpImportResult(file, reader.Records, written, slot, library ? "library" : "all", elapsed);
    }
}

/// <summary>Progress lines while a file streams in: records, rate, how far into the file, and the time left.</summary>
internal sealed class DumpProgress(DumpFile file, DumpXmlReader reader, TimeProvider time, TimeSpan interval, ILogger logger)
{
    private readonly long started = time.GetTimestamp();
    private long lastLogged = time.GetTimestamp();

    public void Tick(long written)
    {
        if ((reader.Records & 1023) != 0 || time.GetElapsedTime(lastLogged) < interval)
        {
            return;
        }

        lastLogged = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(started);
        var fraction = reader.CompressedLength > 0 ? (double)reader.CompressedPosition / reader.CompressedLength : 0;
        var eta = fraction > 0 ? TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - fraction) / fraction) : (TimeSpan?)null;
        logger.LogInformation(
            "{File}: {Records:N0} {Entity} read, {Written:N0} kept, {Rate:N0}/s, {Percent:0.0}% of the file, ETA {Eta}",
            file.Name, reader.Records, file.EntityName, written, reader.Records / Math.Max(elapsed.TotalSeconds, 0.001), fraction * 100,
            eta is { } left ? left.ToString(@"h\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture) : "unknown");
    }
}
