using Dapper;
using EnrichmentWorker.Discogs;
using EnrichmentWorker.Hosting;
using EnrichmentWorker.Jobs;
using Npgsql;

namespace EnrichmentWorker.Enrichment;

/// <summary><c>status</c>: albums with a live job by their Hangfire state, match results, the queue's switch and the shared Discogs budget.</summary>
public sealed class StatusVerb(NpgsqlDataSource dataSource, QueueControl queue, DiscogsRequestBudget budget, TimeProvider time) : ICliVerb
{
    public string Name => "status";

    public async Task<int> RunAsync(CliCommand command, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // The albums with a live job, by their Hangfire job's state (none yet: waiting to be handed to Hangfire).
        var states = await connection.QueryAsync<(string State, long Count)>(new CommandDefinition("""
            SELECT coalesce(lower(hj.statename), 'waiting for the service'), count(*)
            FROM album_jobs j LEFT JOIN hangfire.job hj ON hj.id = j.hangfire_job_id
            GROUP BY 1 ORDER BY 1
            """, cancellationToken: cancellationToken));
        var matches = await connection.QueryAsync<(string Status, long Count)>(new CommandDefinition(
            "SELECT status, count(*) FROM album_matches GROUP BY status ORDER BY status", cancellationToken: cancellationToken));
        var albums = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM albums", cancellationToken: cancellationToken));
        var queueState = await queue.GetAsync(cancellationToken);
        var snapshot = await budget.GetSnapshotAsync(cancellationToken);

        Console.WriteLine($"Albums: {albums}");
        Console.WriteLine("Jobs:    " + (states.Any() ? string.Join(", ", states.Select(s => $"{s.State} {s.Count}")) : "none"));
        Console.WriteLine("Results: " + (matches.Any() ? string.Join(", ", matches.Select(m => $"{m.Status} {m.Count}")) : "none yet"));
        Console.WriteLine(queueState.Paused ? $"Queue:   paused ({queueState.Reason})" : "Queue:   running");

        // A slot that came free in the past reads "now", as on the dashboard: a past time reads like a stuck budget.
        var nextSlot = snapshot.NextFreeSlot <= time.GetUtcNow() ? "now" : $"{snapshot.NextFreeSlot:u}";
        Console.WriteLine($"Budget:  {snapshot.UsedInWindow}/{snapshot.Limit} used in the last {snapshot.Window.TotalSeconds:0} s, " +
                          $"next free slot {nextSlot}" + (snapshot.Last429At is { } at ? $", last 429 at {at:u}" : ", no 429 seen"));
        return 0;
    }
}
