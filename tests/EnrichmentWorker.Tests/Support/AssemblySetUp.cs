using EnrichmentWorker.Tests.Support;

/// <summary>In the global namespace so that it wraps every test in the assembly.</summary>
[SetUpFixture]
public sealed class AssemblySetUp
{
    [OneTimeSetUp]
    public Task StartPostgres() => TestPostgres.StartServerAndBuildTemplate();

    [OneTimeTearDown]
    public Task StopPostgres() => TestPostgres.StopServer();
}
