namespace EnrichmentWorker.Hosting.Systemd;

/// <summary>
/// Configuration from systemd credentials (LoadCredential= in the unit): each file in $CREDENTIALS_DIRECTORY is one
/// key, "__" separating sections, so a credential named <c>Discogs__Token</c> is <c>Discogs:Token</c>. The files
/// live on a private, non-swappable mount only this service's user can read, and never in the environment.
/// </summary>
public static class SystemdCredentials
{
    public const string DirectoryVariable = "CREDENTIALS_DIRECTORY";

    public static IConfigurationBuilder AddSystemdCredentials(this IConfigurationBuilder configuration, string? directory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return string.IsNullOrEmpty(directory)
            ? configuration
            : configuration.AddKeyPerFile(directory, optional: true);
    }
}
