namespace EnrichmentWorker.Hosting;

/// <summary>A command of the CLI other than <c>run</c>; each concern registers its own.</summary>
public interface ICliVerb
{
    string Name { get; }

    /// <summary>Runs the command against a migrated database; returns the process exit code.</summary>
    Task<int> RunAsync(CliCommand command, CancellationToken cancellationToken);
}
