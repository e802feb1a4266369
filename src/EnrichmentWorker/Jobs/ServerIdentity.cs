namespace EnrichmentWorker.Jobs;

/// <summary>This process as the queue knows it: the name in the server registry, job leases and job history.</summary>
public sealed class ServerIdentity
{
    public string Id { get; } = $"{Environment.MachineName.ToLowerInvariant()}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";
}
