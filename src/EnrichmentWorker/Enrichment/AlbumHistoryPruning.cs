using Dapper;
using EnrichmentWorker.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.Enrichment;

/// <summary>The recurring Hangfire job that drops album history older than Jobs:HistoryRetention.</summary>
public sealed class AlbumHistoryPruning(NpgsqlDataSource dataSource, IOptions<JobQueueOptions> options, ILogger<AlbumHistoryPruning> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var pruned = await connection.ExecuteAsync(new CommandDefinition(AlbumJobSql.PruneHistory,
            new { seconds = options.Value.HistoryRetention.TotalSeconds }, cancellationToken: cancellationToken));
        logger.LogInformation("Pruned {Count} album history entries older than {Retention}", pruned, options.Value.HistoryRetention);
        return pruned;
    }
}
