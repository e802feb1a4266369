using System.Diagnostics;
using System.Globalization;
using EnrichmentWorker.Telemetry;
using Hangfire.Server;
using Hangfire.States;

namespace EnrichmentWorker.Jobs.Filters;

/// <summary>
/// Hangfire emits no spans: this server filter opens one per album job run (its Discogs requests and database
/// commands become children), a log scope with the job and album ids, and records the run on the jobs metric.
/// OnPerforming and the job run on one execution context, so the span and the scope flow into the job.
/// </summary>
public sealed class JobTelemetryFilter(EnrichmentTelemetry telemetry, ILogger<JobTelemetryFilter> logger) : IServerFilter
{
    private const string ActivityKey = "enrichment.activity";
    private const string ScopeKey = "enrichment.scope";
    private const string StartedKey = "enrichment.started";

    public void OnPerforming(PerformingContext context)
    {
        if (!Enrichment.AlbumEnrichmentJob.TryGetAlbumId(context.BackgroundJob.Job, out var albumId))
        {
            return;
        }

        var jobId = long.Parse(context.BackgroundJob.Id, CultureInfo.InvariantCulture);
        context.Items[ActivityKey] = telemetry.StartJobActivity(albumId, jobId);
        context.Items[ScopeKey] = logger.BeginJobScope(jobId, albumId);
        context.Items[StartedKey] = Stopwatch.GetTimestamp();
    }

    public void OnPerformed(PerformedContext context)
    {
        if (!context.Items.TryGetValue(StartedKey, out var started))
        {
            return;
        }

        var outcome = context.Exception switch
        {
            null => TelemetryJobOutcome.Succeeded,
            OperationCanceledException or JobAbortedException => TelemetryJobOutcome.Released,
            _ => TelemetryJobOutcome.Retried, // whether it is retried or fails for good is the state filter's to say
        };
        telemetry.RecordJobOutcome(outcome, Stopwatch.GetElapsedTime((long)started));
        (context.Items.TryGetValue(ScopeKey, out var scope) ? scope as IDisposable : null)?.Dispose();
        (context.Items.TryGetValue(ActivityKey, out var activity) ? activity as Activity : null)?.Dispose();
    }
}
