using Dapper;
using EnrichmentWorker.Library;
using EnrichmentWorker.Tests.Support;
using Npgsql;

namespace EnrichmentWorker.Tests.Library;

/// <summary>
/// Another application's plain INSERT is queued by the database itself and wakes listeners. (That the running
/// service then hands it to Hangfire and starts it within a second is tested with the jobs and measured by the benchmark.)
/// </summary>
public sealed class SqlInsertIntakeTests
{
    private static readonly TimeSpan NotificationTimeout = TimeSpan.FromSeconds(10);

    [Test]
    public async Task A_plain_insert_queues_the_album_with_its_first_history_line()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var connection = await db.DataSource.OpenConnectionAsync();

        var albumId = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO albums (artist, title, year) VALUES ('Portishead', 'Dummy', 1994) RETURNING id");

        var job = await connection.QuerySingleAsync<(long? HangfireJobId, string Reason)>(
            "SELECT hangfire_job_id, reason FROM album_jobs WHERE album_id = @albumId", new { albumId });
        Assert.That(job, Is.EqualTo(((long?)null, "album added")), "waiting for the service's dispatcher to hand it to Hangfire");
        var events = await connection.QueryAsync<(string State, string Reason)>(
            "SELECT state, reason FROM album_job_history WHERE album_id = @albumId", new { albumId });
        Assert.That(events, Is.EqualTo(new[] { ("requested", "album added") }));
        var stored = await connection.QuerySingleAsync<(string Source, string SourceKey)>(
            "SELECT source, source_key FROM albums WHERE id = @albumId", new { albumId });
        Assert.That(stored.Source, Is.EqualTo("sql"));
        Assert.That(Guid.TryParse(stored.SourceKey, out _), Is.True, "a row inserted without a key gets a fresh uuid");
    }

    [Test]
    public async Task A_listener_on_album_jobs_is_notified_of_a_plain_insert()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var listener = await db.DataSource.OpenConnectionAsync();
        var notifications = new List<NpgsqlNotificationEventArgs>();
        listener.Notification += (_, e) => notifications.Add(e);
        await listener.ExecuteAsync("LISTEN album_jobs");

        await using (var other = new NpgsqlConnection(db.ConnectionString))
        {
            await other.OpenAsync();
            await other.ExecuteAsync("INSERT INTO albums (artist, title) VALUES ('Massive Attack', 'Mezzanine')");
        }

        using var timeout = new CancellationTokenSource(NotificationTimeout);
        await listener.WaitAsync(timeout.Token);
        Assert.That(notifications.Select(n => (n.Channel, n.Payload)), Is.EqualTo(new[] { ("album_jobs", "added") }));
    }

    [Test]
    public async Task An_import_queues_every_album_in_its_transaction_and_wakes_listeners()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var listener = await db.DataSource.OpenConnectionAsync();
        var notifications = new List<NpgsqlNotificationEventArgs>();
        listener.Notification += (_, e) => notifications.Add(e);
        await listener.ExecuteAsync("LISTEN album_jobs");
        var albums = Enumerable.Range(1, 500)
            .Select(i => new AlbumInput("bulk", i.ToString(System.Globalization.CultureInfo.InvariantCulture), new AlbumTags("Artist", null, $"Title {i}", 2000)))
            .ToList();

        await new AlbumWriter(db.DataSource).UpsertAsync(albums, CancellationToken.None);

        using var timeout = new CancellationTokenSource(NotificationTimeout);
        await listener.WaitAsync(timeout.Token);
        Assert.That(notifications.Select(n => n.Channel), Has.Some.EqualTo("album_jobs"));
        Assert.That(await LibraryTestData.CountRowsAsync(db), Is.EqualTo((500L, 500L, 500L)));
    }
}
