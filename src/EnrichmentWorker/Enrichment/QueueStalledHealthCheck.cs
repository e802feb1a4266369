using EnrichmentWorker.Discogs;
using EnrichmentWorker.Hosting;
using EnrichmentWorker.Jobs;
using EnrichmentWorker.Matching;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.Enrichment;

/// <summary>
/// Unhealthy when the queue does not move: jobs are due, and the one first in line has waited longer than the
/// Discogs budget explains, with no job starting or finishing anywhere in the meantime (no process is working, or every
/// worker hangs). A pause is reported as Degraded with who paused it and why, never as a stall.
/// </summary>
/// <remarks>
/// The allowance is <see cref="Grace"/> + <see cref="Factor"/> × (jobs running + 1) × the most requests one album can
/// take ÷ the budget's rate: the head of the line is claimed as soon as any worker finishes, and every running job
/// shares the one budget. The grace covers a 429's Retry-After (60 s by default), during which every process waits.
/// The age of the oldest due job alone would not do: a 4,000-album import is due all at once and its last album
/// rightly waits hours.
/// </remarks>
public sealed class QueueStalledHealthCheck(QueueReadings queue, IOptionsMonitor<DiscogsOptions> discogs) : IHealthCheck
{
    public const string Name = "queue";

    public const double Factor = 3;

    /// <summary>The matcher's query plan at most, and the release fetch of full mode.</summary>
    public const int MostRequestsPerAlbum = AlbumMatcher.MaxRequests + 1;

    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        QueueSnapshot reading;
        try
        {
            reading = await queue.ReadAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"The queue could not be read ({ex.GetType().Name}); see the database check.");
        }

        if (reading.Paused)
        {
            return HealthCheckResult.Degraded(reading.PausedBy == QueueControl.PausedByPerson
                ? $"Paused by a person: {reading.PauseReason ?? "no reason given"}. Resume it on the dashboard."
                : $"Paused: {reading.PauseReason ?? "no reason given"}. It resumes by itself once that is fixed.");
        }

        if (reading.FirstInLineFor is not { } waited)
        {
            return HealthCheckResult.Healthy($"No job is due; {reading.Waiting} scheduled for later, {reading.Running} running.");
        }

        var allowed = Allowance(reading.Running, discogs.CurrentValue);
        var summary = $"{reading.Ready} due, {reading.Running} running; the first in line has waited {DurationText.Short(waited)}";
        return waited <= allowed
            ? HealthCheckResult.Healthy(summary + ".")
            : HealthCheckResult.Unhealthy(
                $"Stalled: {summary} and no job has started or finished since; at {discogs.CurrentValue.EffectiveRequestsPerWindow} requests " +
                $"per {DurationText.Short(discogs.CurrentValue.Window)} it should start within {DurationText.Short(allowed)}. " +
                "Check the service log, that some process runs with Jobs:Workers above 0, and the Discogs budget on the dashboard.");
    }

    public static TimeSpan Allowance(long running, DiscogsOptions discogs)
    {
        ArgumentNullException.ThrowIfNull(discogs);
        var perRequest = discogs.Window / discogs.EffectiveRequestsPerWindow;
        return Grace + perRequest * (Factor * MostRequestsPerAlbum * (running + 1));
    }
}
