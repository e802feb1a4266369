using Dapper;
using EnrichmentWorker.Jobs;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Jobs;

/// <summary>A job's result writes go in the same command as its fenced completion: they commit only with it.</summary>
public sealed class JobResultsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Test]
    public async Task Results_sent_with_a_lost_lease_are_rolled_back_and_those_of_the_lease_holder_commit()
    {
        await using var db = await TestDatabase.CreateAsync();
        var albumId = await AlbumRows.InsertAsync(db.DataSource, title: "Homogenic");
        var store = new JobStore(db.DataSource);
        var stale = (await store.ClaimAsync("slow-server", 1, TimeSpan.FromMilliseconds(1), 10, CancellationToken.None)).Single();
        await WaitFor.ConditionAsync(async () => await store.RescueExpiredLeasesAsync(10, 10, CancellationToken.None) == 1, Patience, "the expired lease to be rescued");
        var fresh = (await store.ClaimAsync("fast-server", 1, TimeSpan.FromMinutes(1), 10, CancellationToken.None)).Single();

        var staleFinished = await FinishAsync(db, stale, RenameAlbum(albumId, "stale title"));
        var freshFinished = await FinishAsync(db, fresh, RenameAlbum(albumId, "fresh title"));

        Assert.That(staleFinished, Is.False);
        Assert.That(freshFinished, Is.True);
        Assert.That(await TitleAsync(db, albumId), Is.EqualTo("fresh title"));
        Assert.That((await AlbumRows.JobAsync(db.DataSource, fresh.Id)).State, Is.EqualTo("succeeded"));
    }

    [Test]
    public async Task A_failing_result_write_fails_the_completion_so_nothing_commits()
    {
        await using var db = await TestDatabase.CreateAsync();
        var albumId = await AlbumRows.InsertAsync(db.DataSource, title: "Homogenic");
        var store = new JobStore(db.DataSource);
        var job = (await store.ClaimAsync("server", 1, TimeSpan.FromMinutes(1), 10, CancellationToken.None)).Single();
        // The first write succeeds, the second breaks a NOT NULL constraint.
        var results = new JobResults(
            "UPDATE albums SET title = 'half written' WHERE id = @resultAlbumId;\nUPDATE albums SET artist = NULL WHERE id = @resultAlbumId",
            new DynamicParameters(new { resultAlbumId = albumId }));

        Assert.ThrowsAsync<Npgsql.PostgresException>(() => FinishAsync(db, job, results));

        Assert.That(await TitleAsync(db, albumId), Is.EqualTo("Homogenic"));
        Assert.That((await AlbumRows.JobAsync(db.DataSource, job.Id)).State, Is.EqualTo("processing"), "the completion rolled back with the writes");
    }

    /// <summary>As the worker pool finishes a job: completion and results in one transaction, committed only if the lease held.</summary>
    private static async Task<bool> FinishAsync(TestDatabase db, ClaimedJob job, JobResults results)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (!await JobStore.FinishIfLeasedAsync(connection, transaction, job, new JobTransition(JobState.Succeeded, "matched"), results, CancellationToken.None))
        {
            await transaction.RollbackAsync();
            return false;
        }

        await transaction.CommitAsync();
        return true;
    }

    private static JobResults RenameAlbum(long albumId, string title) =>
        new("UPDATE albums SET title = @resultTitle WHERE id = @resultAlbumId", new DynamicParameters(new { resultAlbumId = albumId, resultTitle = title }));

    private static async Task<string> TitleAsync(TestDatabase db, long albumId)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<string>("SELECT title FROM albums WHERE id = @albumId", new { albumId });
    }
}
