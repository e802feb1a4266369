using EnrichmentWorker.Telemetry;

namespace EnrichmentWorker.Jobs;

/// <summary>How the jobs metric names a run's end, read from the state change the worker decided.</summary>
internal static class JobOutcomeTelemetry
{
    /// <summary>A lost lease (no transition) and a release at shutdown are both "released": the run's work was handed back.</summary>
    public static TelemetryJobOutcome Of(StopReason stop, JobTransition? transition) => transition switch
    {
        null => TelemetryJobOutcome.Released,
        _ when stop == StopReason.Shutdown => TelemetryJobOutcome.Released,
        { State: JobState.Succeeded } => TelemetryJobOutcome.Succeeded,
        { State: JobState.Failed } => TelemetryJobOutcome.Failed,
        { State: JobState.Deleted } => TelemetryJobOutcome.Cancelled,
        { RefundAttempt: true } => TelemetryJobOutcome.Snoozed,
        _ => TelemetryJobOutcome.Retried,
    };
}
