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
}
