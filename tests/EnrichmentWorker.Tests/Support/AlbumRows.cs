using Dapper;
using Npgsql;

namespace EnrichmentWorker.Tests.Support;

/// <summary>Builds album rows with sane defaults, the way another application would insert them.</summary>
public static class AlbumRows
{
    public static async Task<long> InsertAsync(NpgsqlDataSource dataSource, string artist = "Björk", string title = "Homogenic", int? year = 1997)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "INSERT INTO albums (artist, title, year) VALUES (@artist, @title, @year) RETURNING id", new { artist, title, year });
    }

    public static async Task<long> JobIdForAsync(NpgsqlDataSource dataSource, long albumId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT id FROM enrichment_jobs WHERE album_id = @albumId ORDER BY id DESC LIMIT 1", new { albumId });
    }

    public static async Task<JobRow> JobAsync(NpgsqlDataSource dataSource, long jobId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<JobRow>(
            "SELECT id AS Id, album_id AS AlbumId, state AS State, attempt AS Attempt, run_at AS RunAt, reason AS Reason, error_type AS ErrorType, error_message AS ErrorMessage FROM enrichment_jobs WHERE id = @jobId",
            new { jobId });
    }

    public static async Task<IReadOnlyList<JobEventRow>> EventsAsync(NpgsqlDataSource dataSource, long jobId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<JobEventRow>(
            "SELECT state AS State, reason AS Reason, server_id AS ServerId, exception_type AS ExceptionType, message AS Message, stack_trace AS StackTrace FROM job_events WHERE job_id = @jobId ORDER BY id",
            new { jobId })).AsList();
    }
}

public sealed record JobRow(long Id, long AlbumId, string State, int Attempt, DateTime RunAt, string? Reason, string? ErrorType, string? ErrorMessage);

public sealed record JobEventRow(string State, string? Reason, string? ServerId, string? ExceptionType, string? Message, string? StackTrace);
