namespace EnrichmentWorker.Hosting.Health;

/// <summary>
/// Tags that place a health check on an endpoint. A concern adds its own readiness check in its AddXxx:
/// <code>
/// services.AddHealthChecks().AddCheck&lt;DiscogsTokenHealthCheck&gt;("discogs-token", tags: [HealthTags.Ready]);
/// </code>
/// The check's description is shown to anyone who can reach /health/ready: say what is wrong and what to do,
/// never a secret (token, connection string) and never a stack trace.
/// </summary>
public static class HealthTags
{
    /// <summary>On /health/ready: the service can do its work (database, migrations, Discogs token, queue moving).</summary>
    public const string Ready = "ready";
}
