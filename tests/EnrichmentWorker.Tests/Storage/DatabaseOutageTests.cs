using System.Net.Sockets;
using EnrichmentWorker.Storage;
using Npgsql;

namespace EnrichmentWorker.Tests.Storage;

/// <summary>Which database errors are an outage (no fault of the job that met it) and which are the statement's own.</summary>
public sealed class DatabaseOutageTests
{
    [TestCase("57P01", ExpectedResult = true)] // terminating connection due to administrator command (pg_ctl stop)
    [TestCase("57P03", ExpectedResult = true)] // the database system is starting up / shutting down
    [TestCase("08006", ExpectedResult = true)] // connection failure
    [TestCase("53300", ExpectedResult = true)] // too many connections
    [TestCase("23505", ExpectedResult = false)] // unique violation: a bug or bad data
    [TestCase("42P01", ExpectedResult = false)] // undefined table: a missing migration
    public bool A_server_error_is_an_outage_only_when_the_server_is_going_or_refusing_connections(string sqlState) =>
        DatabaseOutage.Caused(new PostgresException("test", "FATAL", "FATAL", sqlState));

    [Test]
    public void A_refused_or_broken_connection_is_an_outage_wherever_it_is_wrapped()
    {
        var refused = new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused));
        Assert.Multiple(() =>
        {
            Assert.That(DatabaseOutage.Caused(refused), Is.True);
            Assert.That(DatabaseOutage.Caused(new InvalidOperationException("wrapped", refused)), Is.True);
            Assert.That(DatabaseOutage.Caused(new InvalidOperationException("not the database")), Is.False);
            Assert.That(DatabaseOutage.Caused(new TimeoutException("Discogs did not answer in time")), Is.False, "not every timeout is the database's");
        });
    }
}
