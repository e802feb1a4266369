using Dapper;
using Npgsql;

namespace EnrichmentWorker.Dumps;

/// <summary>One entity's dump in service: which slot (partition) holds it, and from which file and date.</summary>
public sealed record InstalledDump(string Entity, short Slot, DateOnly DumpDate, string FileName, string Scope, long RowCount, float Seconds, DateTime ImportedAt)
{
    public DateOnly Date => DumpDate;
}

/// <summary>Reads <c>dump_installed</c>: what every reader of the local tables asks first, so it reads the slot in service.</summary>
public sealed class InstalledDumps(NpgsqlDataSource dataSource)
{
    private const string Select = """
        SELECT entity AS Entity, slot AS Slot, dump_date AS DumpDate, file_name AS FileName, scope AS Scope,
               row_count AS RowCount, seconds AS Seconds, imported_at AS ImportedAt
        FROM dump_installed
        """;

    public async Task<IReadOnlyList<InstalledDump>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<InstalledDump>(new CommandDefinition(Select + " ORDER BY entity", cancellationToken: cancellationToken))];
    }

    public async Task<InstalledDump?> GetAsync(DumpEntity entity, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await GetAsync(connection, entity, cancellationToken);
    }

    public static Task<InstalledDump?> GetAsync(NpgsqlConnection connection, DumpEntity entity, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<InstalledDump>(new CommandDefinition(
            Select + " WHERE entity = @entity",
            new { entity = DumpFile.Names(entity).Plural },
            cancellationToken: cancellationToken));
}
