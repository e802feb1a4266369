using System.Text.RegularExpressions;
using Dapper;
using EnrichmentWorker.DiscogsSimulator;
using EnrichmentWorker.Dumps;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Dumps;

/// <summary>
/// A newer dump re-checks the library's misses (issue 17), with the real binary: dump A lacks an album, so it is a
/// miss; <c>dump import</c> of a newer dump B that holds it queues the miss for a dump-only re-match, and the running
/// service matches it from B without a request. A person's decision on the same album is left as it was.
/// </summary>
[NonParallelizable]
public sealed partial class DumpRecheckEndToEndTests
{
    private const long MomentsInTime = 113;

    [Test]
    public async Task A_miss_is_matched_from_a_newer_dump_that_holds_it_without_a_request_and_a_persons_decision_is_untouched()
    {
        await using var simulator = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions
        {
            Window = TimeSpan.FromSeconds(1),
            RequestsPerWindow = 60,
            RetryAfterSeconds = 1,
        });
        await using var db = await TestDatabase.CreateAsync();
        var folder = Directory.CreateTempSubdirectory("dump-recheck-").FullName;
        try
        {
            var masters = DumpSamples.Text(DumpSamples.Masters);
            var withoutAlbum = MasterElement().Replace(masters, m => m.Groups["id"].Value == MomentsInTime.ToString(System.Globalization.CultureInfo.InvariantCulture) ? "" : m.Value);
            Assert.That(withoutAlbum, Has.Length.LessThan(masters.Length), "dump A must lack the album");
            var dumpA = DumpSamples.WriteGzip(folder, "discogs_20200806_masters.xml.gz", withoutAlbum);
            var dumpB = DumpSamples.WriteGzip(folder, "discogs_20200901_masters.xml.gz", masters);
            var environment = ServiceProcess.AgainstSimulator(db.ConnectionString, simulator.BaseUrl);
            environment["Enrichment__Mode"] = "genres";

            var (exitA, outputA) = await ServiceProcess.RunCommandAsync(environment, "dump", "import", dumpA);
            Assert.That(exitA, Is.Zero, outputA);
            long missed, decided, absent;
            await using (var connection = await db.DataSource.OpenConnectionAsync())
            {
                missed = await connection.ExecuteScalarAsync<long>(
                    "INSERT INTO albums (source, source_key, artist, title, year) VALUES ('test', 'missed', 'Vince Watson', 'Moments In Time', 2002) RETURNING id");
                absent = await connection.ExecuteScalarAsync<long>(
                    "INSERT INTO albums (source, source_key, artist, title, year) VALUES ('test', 'absent', 'Qzxv Imaginary Orchestra', 'Songs Nobody Recorded', 2011) RETURNING id");
                await using var transaction = await connection.BeginTransactionAsync();
                decided = await connection.ExecuteScalarAsync<long>(
                    "INSERT INTO albums (source, source_key, artist, title, year) VALUES ('test', 'decided', 'Vince Watson', 'Moments In Time', 2002) RETURNING id", transaction: transaction);
                await connection.ExecuteAsync("""
                    INSERT INTO album_matches (album_id, status, reason_code, reason, mode, manual, decided_by)
                    VALUES (@decided, 'no_match', 'manual', 'a person decided there is no match', 'genres', true, 'person')
                    """, new { decided }, transaction);
                await transaction.CommitAsync();
            }

            await using var service = ServiceProcess.Start(environment);
            await service.WaitUntilServingAsync();
            await WaitFor.ConditionAsync(() => NoLiveJobAsync(db), TimeSpan.FromMinutes(2), "both albums' first jobs to succeed");
            var before = await MatchAsync(db, missed);
            var personBefore = await MatchAsync(db, decided);
            var absentBefore = await MatchAsync(db, absent);
            Assert.That((before.Status, before.Source), Is.EqualTo(("no_match", "dump")), "dump A lacks the album: a miss, decided by the dump");

            var (exitB, outputB) = await ServiceProcess.RunCommandAsync(environment, "dump", "import", dumpB);
            Assert.That(exitB, Is.Zero, outputB);
            Assert.That(outputB, Does.Contain("2 missed albums queued for a re-check"), "the two misses; the manual decision is not one to re-check");
            await WaitFor.ConditionAsync(async () => (await MatchAsync(db, missed)).Status == "matched" && await NoLiveJobAsync(db),
                TimeSpan.FromMinutes(2), "the re-check to match the missed album from dump B");

            var after = await MatchAsync(db, missed);
            var person = await MatchAsync(db, decided);
            var stillAbsent = await MatchAsync(db, absent);
            var absentHistory = await LastHistoryAsync(db, absent);
            var requests = simulator.Requests.Snapshot().Count(r => !r.PathAndQuery.StartsWith("/oauth", StringComparison.Ordinal));
            Assert.Multiple(() =>
            {
                Assert.That(after.MasterId, Is.EqualTo(MomentsInTime));
                Assert.That(after.Source, Is.EqualTo("dump"));
                Assert.That(after.Requests, Is.Zero);
                Assert.That(requests, Is.Zero, "neither the first runs nor the re-check asked Discogs");
                Assert.That((person.Status, person.Manual, person.DecidedBy), Is.EqualTo(("no_match", true, "person")));
                Assert.That(person, Is.EqualTo(personBefore), "a person's decision is not re-checked: its row is not even rewritten");
                Assert.That(stillAbsent, Is.EqualTo(absentBefore), "dump B has no match for it either: the miss stays as it was");
                Assert.That(absentHistory, Does.StartWith("dump re-check: the dump in service does not match it"));
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<bool> NoLiveJobAsync(TestDatabase db)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM album_jobs") == 0;
    }

    private static async Task<string> LastHistoryAsync(TestDatabase db, long albumId)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>(
            "SELECT reason FROM album_job_history WHERE album_id = @albumId AND state = 'succeeded' ORDER BY id DESC LIMIT 1", new { albumId }) ?? "";
    }

    private static async Task<Match> MatchAsync(TestDatabase db, long albumId)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<Match>(
            "SELECT status AS Status, match_source AS Source, master_id AS MasterId, requests_spent AS Requests, manual AS Manual, decided_by AS DecidedBy, matched_at AS MatchedAt FROM album_matches WHERE album_id = @albumId",
            new { albumId }) ?? new Match("none", "", null, 0, false, "", DateTime.MinValue);
    }

    private sealed record Match(string Status, string Source, long? MasterId, int Requests, bool Manual, string DecidedBy, DateTime MatchedAt);

    [GeneratedRegex("""<master id="(?<id>\d+)">.*?</master>""", RegexOptions.Singleline)]
    private static partial Regex MasterElement();
}
