using Npgsql;

namespace EnrichmentWorker.Storage;

/// <summary>
/// Tells a database that is not there (stopped, restarting, unreachable, out of connections) from a statement that
/// failed. The first passes by itself and is no fault of the work that met it; the second is a bug or bad data and
/// must count against that work.
/// </summary>
public static class DatabaseOutage
{
    public static bool Caused(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case PostgresException postgres:
                    return IsOutage(postgres.SqlState);
                case NpgsqlException:
                    // Raised by the driver, not the server: connecting failed, the connection broke or timed out.
                    // A bare socket, I/O or timeout error is not counted: it may come from Discogs, not the database.
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// For loops that do nothing but database work (claiming, heartbeats, maintenance, recording a finished job): any
    /// driver, socket, I/O or timeout error there can only be the database's, so they all mean "try again later".
    /// Work that also calls Discogs must use <see cref="Caused"/>, which does not count a bare socket error.
    /// </summary>
    public static bool InterruptedDatabaseWork(Exception ex) =>
        ex is NpgsqlException or System.Net.Sockets.SocketException or IOException or TimeoutException
        || (ex is InvalidOperationException && ex.InnerException is NpgsqlException);

    private static bool IsOutage(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) // connection exceptions
        || sqlState is "57P01" or "57P02" or "57P03" // shut down by an administrator, after a crash; starting or stopping
            or "53300"; // too many connections
}
