using Dapper;
using Npgsql;

namespace EnrichmentWorker.Discogs;

/// <summary>The budget row in PostgreSQL: every change is read-decide-write under the row lock, in one short transaction.</summary>
internal sealed class DiscogsBudgetStore(NpgsqlDataSource dataSource)
{
    private const string Ensure = "INSERT INTO discogs_budget (name) VALUES (@name) ON CONFLICT (name) DO NOTHING";

    private const string Columns = """
        name, tat, recent_grants AS RecentGrants, blocked_until AS BlockedUntil, last_429_at AS Last429At,
        last_retry_after AS LastRetryAfter, foreign_used AS ForeignUsed, foreign_until AS ForeignUntil,
        server_limit AS ServerLimit, server_used AS ServerUsed, server_remaining AS ServerRemaining,
        server_seen_at AS ServerSeenAt
        """;

    // The row lock is what makes the budget atomic across processes: a second caller waits here until the first has
    // written its grant, then sees it.
    private const string SelectForUpdate = $"SELECT {Columns} FROM discogs_budget WHERE name = @name FOR UPDATE";

    private const string Select = $"SELECT {Columns} FROM discogs_budget WHERE name = @name";

    private const string Save = """
        UPDATE discogs_budget
        SET tat = @Tat, recent_grants = @RecentGrants, blocked_until = @BlockedUntil, last_429_at = @Last429At,
            last_retry_after = @LastRetryAfter, foreign_used = @ForeignUsed, foreign_until = @ForeignUntil,
            server_limit = @ServerLimit, server_used = @ServerUsed, server_remaining = @ServerRemaining,
            server_seen_at = @ServerSeenAt, updated_at = now()
        WHERE name = @Name
        """;

    /// <summary>
    /// Locks the row, lets <paramref name="change"/> compute the new state, and writes it when it differs.
    /// Returns what <paramref name="change"/> returned.
    /// </summary>
    public async Task<T> UpdateAsync<T>(string name, Func<BudgetState, (BudgetState State, T Result)> change, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<BudgetRow>(new CommandDefinition(SelectForUpdate, new { name }, transaction, cancellationToken: cancellationToken));
        if (row is null)
        {
            await connection.ExecuteAsync(new CommandDefinition(Ensure, new { name }, transaction, cancellationToken: cancellationToken));
            row = await connection.QuerySingleAsync<BudgetRow>(new CommandDefinition(SelectForUpdate, new { name }, transaction, cancellationToken: cancellationToken));
        }

        var before = row.ToState();
        var (after, result) = change(before);
        if (!ReferenceEquals(before, after))
        {
            await connection.ExecuteAsync(new CommandDefinition(Save, BudgetRow.From(name, after), transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
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
        };

        public static BudgetRow From(string name, BudgetState state) => new()
        {
            Name = name,
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
        };

        private static DateTimeOffset? ToOffset(DateTime? value) =>
            value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;

        private static DateTime? ToUtc(DateTimeOffset? value) => value?.UtcDateTime;
    }
}
