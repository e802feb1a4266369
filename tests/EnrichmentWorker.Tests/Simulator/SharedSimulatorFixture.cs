using EnrichmentWorker.DiscogsSimulator;

namespace EnrichmentWorker.Tests.Simulator;

/// <summary>
/// One simulator for every test of a fixture, rate limit off, with a client that sends the test token. For fixtures
/// whose tests only read: a test that plans faults or fills the window needs a simulator of its own.
/// </summary>
public abstract class SharedSimulatorFixture
{
    protected DiscogsSimulatorServer Server { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartSimulator()
    {
        Server = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions { RateLimitEnabled = false });
        Client = SimulatorTestKit.Client(Server);
    }

    [OneTimeTearDown]
    public async Task StopSimulator()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
