using EnrichmentWorker.Storage;
using Hangfire.States;

namespace EnrichmentWorker.Jobs.Filters;

/// <summary>
/// A run that met a database outage (PostgreSQL restarting or unreachable) failed through no fault of its album: it
/// goes back to the queue without spending one of the retry filter's attempts, as a 429 or a pause spends none. It runs
/// before the retry filter (whose Order is 20), which then sees no failure to count.
/// </summary>
public sealed class DatabaseOutageFilter : IElectStateFilter
{
    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is FailedState failed && DatabaseOutage.Caused(failed.Exception))
        {
            context.CandidateState = new EnqueuedState { Reason = "database unavailable; running again, no attempt spent" };
        }
    }
}
