using System.Globalization;

namespace EnrichmentWorker.Dashboard;

/// <summary>Where things are on the Hangfire dashboard, which is mounted at <see cref="Dashboard"/>.</summary>
public static class HangfireLinks
{
    public const string Dashboard = "/hangfire";

    public static string Job(long jobId) => Dashboard + "/jobs/details/" + jobId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Hangfire's list of jobs in one state ("enqueued" is per queue there).</summary>
    public static string JobsInState(string state) => Dashboard + (state == "enqueued" ? "/jobs/enqueued/default" : "/jobs/" + state);
}
