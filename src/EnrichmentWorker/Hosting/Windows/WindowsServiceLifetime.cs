namespace EnrichmentWorker.Hosting.Windows;

/// <summary>
/// Ties the host's lifetime to the SCM: running once the host has started, stop pending (with checkpoints) as soon
/// as it begins stopping, and an SCM stop or system shutdown stops the host gracefully. ServiceRunner reports
/// stopped after the database has shut down too.
/// </summary>
public sealed class WindowsServiceLifetime(WindowsServiceControl control, IHostApplicationLifetime lifetime) : IHostedService, IDisposable
{
    private readonly List<CancellationTokenRegistration> _registrations = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registrations.Add(lifetime.ApplicationStarted.Register(control.ReportRunning));
        _registrations.Add(lifetime.ApplicationStopping.Register(control.ReportStopping));
        _registrations.Add(control.StopRequested.Register(lifetime.StopApplication));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }
}
