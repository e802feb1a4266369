using Dapper;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Enrichment;

/// <summary>The <c>status</c> command, run as a person runs it: the real binary against a database.</summary>
public sealed class StatusVerbTests
{
    [Test]
    public async Task Status_prints_albums_jobs_results_the_queue_and_the_budget_in_words_a_person_reads()
    {
        await using var db = await TestDatabase.CreateAsync();
        var environment = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = db.ConnectionString };
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO albums (artist, title, year) VALUES ('Björk', 'Homogenic', 1997), ('Air', 'Moon Safari', 1998)");
            await connection.ExecuteAsync("UPDATE queue_state SET paused = true, reason = 'Moving the library', paused_by = 'person'");
        }

        var (exitCode, output) = await ServiceProcess.RunCommandAsync(environment, "status");

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("Albums: 2")
            .And.Contain("Jobs:    waiting for the service 2")
            .And.Contain("Results: none yet")
            .And.Contain("Queue:   paused (Moving the library)")
            .And.Contain("next free slot now")
            .And.Contain("no 429 seen"));
    }
}
