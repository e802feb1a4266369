using Dapper;
using Npgsql;

namespace EnrichmentWorker.Discogs;

/// <summary>
/// The budget row in PostgreSQL. Every change is read-decide-write as a compare-and-swap on the row's version (its
/// xmin, which every update renews): the write names the version the decision was made on and writes nothing if the
/// row has changed since, and the decision is then made again on the fresh row. So two processes never both spend the
/// same room, as with a row lock, but a change costs one round trip instead of three (lock, write, commit): this
/// process keeps the row as it last wrote it, and inside the process one change runs at a time.
/// </summary>
internal sealed class DiscogsBudgetStore(NpgsqlDataSource dataSource)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private VersionedState? _last;

    private const string Ensure = "INSERT INTO discogs_budget (name) VALUES (@name) ON CONFLICT (name) DO NOTHING";

    private const string Columns = """
        name, tat, recent_grants AS RecentGrants, blocked_until AS BlockedUntil, last_429_at AS Last429At,
        last_retry_after AS LastRetryAfter, foreign_used AS ForeignUsed, foreign_until AS ForeignUntil,
        server_limit AS ServerLimit, server_used AS ServerUsed, server_remaining AS ServerRemaining,
        server_seen_at AS ServerSeenAt, backoff, backoff_at AS BackoffAt,
        foreign_sample AS ForeignSample, foreign_sample_at AS ForeignSampleAt
        """;

    private const string Select = $"SELECT {Columns} FROM discogs_budget WHERE name = @name";

    private const string SelectVersioned = $"SELECT {Columns}, xmin::text AS Version FROM discogs_budget WHERE name = @name";

    private const string Save = """
        UPDATE discogs_budget
        SET tat = @Tat, recent_grants = @RecentGrants, blocked_until = @BlockedUntil, last_429_at = @Last429At,
            last_retry_after = @LastRetryAfter, foreign_used = @ForeignUsed, foreign_until = @ForeignUntil,
            server_limit = @ServerLimit, server_used = @ServerUsed, server_remaining = @ServerRemaining,
            server_seen_at = @ServerSeenAt, backoff = @Backoff, backoff_at = @BackoffAt,
            foreign_sample = @ForeignSample, foreign_sample_at = @ForeignSampleAt, updated_at = now()
        WHERE name = @Name AND xmin::text = @Version
        RETURNING xmin::text
        """;

    /// <summary>
    /// Lets <paramref name="change"/> compute the new state from the current row and writes it when it differs, unless
    /// another process changed the row first: then <paramref name="change"/> runs again on the fresh row (so it must
    /// be a pure function of the state and the clock). A decision that writes nothing is only trusted on a row read in
    /// this call, so that what another process changed (a 429, fewer foreign requests) is never missed.
    /// Returns what <paramref name="change"/> returned.
    /// </summary>
    public async Task<T> UpdateAsync<T>(string name, Func<BudgetState, (BudgetState State, T Result)> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var current = _last is { } last && last.Name == name ? last : null;
            var fresh = false;
            while (true)
            {
                if (current is null)
                {
                    current = await ReadVersionedAsync(connection, name, cancellationToken);
                    fresh = true;
                }

                var (after, result) = change(current.State);
                if (ReferenceEquals(current.State, after))
                {
                    if (fresh)
                    {
                        _last = current;
                        return result;
                    }

                    current = null;
                    continue;
                }

                var version = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(Save,
                    BudgetRow.From(name, after, current.Version), cancellationToken: cancellationToken));
                if (version is not null)
                {
                    _last = new VersionedState(name, after, version);
                    return result;
                }

                current = null;
            }
        }
        catch
        {
            _last = null;
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<VersionedState> ReadVersionedAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<BudgetRow>(new CommandDefinition(SelectVersioned, new { name }, cancellationToken: cancellationToken));
        if (row is null)
        {
            await connection.ExecuteAsync(new CommandDefinition(Ensure, new { name }, cancellationToken: cancellationToken));
            row = await connection.QuerySingleAsync<BudgetRow>(new CommandDefinition(SelectVersioned, new { name }, cancellationToken: cancellationToken));
        }

        return new VersionedState(name, row.ToState(), row.Version!);
    }

    public async Task<BudgetState> ReadAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<BudgetRow>(new CommandDefinition(Select, new { name }, cancellationToken: cancellationToken));
        return row?.ToState() ?? new BudgetState();
    }

    /// <summary>The row as Npgsql reads it: timestamptz as UTC DateTime.</summary>
    private sealed class BudgetRow
    {
        public string Name { get; init; } = "";

        public DateTime? Tat { get; init; }

        public DateTime[] RecentGrants { get; init; } = [];

        public DateTime? BlockedUntil { get; init; }

        public DateTime? Last429At { get; init; }

        public TimeSpan? LastRetryAfter { get; init; }

        public int ForeignUsed { get; init; }

        public DateTime? ForeignUntil { get; init; }

        public int? ServerLimit { get; init; }

        public int? ServerUsed { get; init; }

        public int? ServerRemaining { get; init; }

        public DateTime? ServerSeenAt { get; init; }

        public int Backoff { get; init; }

        public DateTime? BackoffAt { get; init; }

        public int ForeignSample { get; init; }

        public DateTime? ForeignSampleAt { get; init; }

        /// <summary>The row version (xmin) this was read at, or that a write expects.</summary>
        public string? Version { get; init; }

        public BudgetState ToState() => new()
        {
            Tat = ToOffset(Tat),
            // Sorted on read: grants written by hosts whose clocks differ slightly may be stored out of order.
            RecentGrants = [.. RecentGrants.Select(g => new DateTimeOffset(DateTime.SpecifyKind(g, DateTimeKind.Utc))).Order()],
            BlockedUntil = ToOffset(BlockedUntil),
            Last429At = ToOffset(Last429At),
            LastRetryAfter = LastRetryAfter,
            ForeignUsed = ForeignUsed,
            ForeignUntil = ToOffset(ForeignUntil),
            ServerLimit = ServerLimit,
            ServerUsed = ServerUsed,
            ServerRemaining = ServerRemaining,
            ServerSeenAt = ToOffset(ServerSeenAt),
            Backoff = Backoff,
            BackoffAt = ToOffset(BackoffAt),
            ForeignSample = ForeignSample,
            ForeignSampleAt = ToOffset(ForeignSampleAt),
        };

        public static BudgetRow From(string name, BudgetState state, string version) => new()
        {
            Name = name,
            Version = version,
            Tat = ToUtc(state.Tat),
            RecentGrants = [.. state.RecentGrants.Select(g => g.UtcDateTime)],
            BlockedUntil = ToUtc(state.BlockedUntil),
            Last429At = ToUtc(state.Last429At),
            LastRetryAfter = state.LastRetryAfter,
            ForeignUsed = state.ForeignUsed,
            ForeignUntil = ToUtc(state.ForeignUntil),
            ServerLimit = state.ServerLimit,
            ServerUsed = state.ServerUsed,
            ServerRemaining = state.ServerRemaining,
            ServerSeenAt = ToUtc(state.ServerSeenAt),
            Backoff = state.Backoff,
            BackoffAt = ToUtc(state.BackoffAt),
            ForeignSample = state.ForeignSample,
            ForeignSampleAt = ToUtc(state.ForeignSampleAt),
        };

        private static DateTimeOffset? ToOffset(DateTime? value) =>
            value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;

        private static DateTime? ToUtc(DateTimeOffset? value) => value?.UtcDateTime;
    }
}

internal sealed record VersionedState(string Name, BudgetState State, string Version);
