using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EnrichmentWorker.DiscogsSimulator;

/// <summary>A running simulator on loopback Kestrel (127.0.0.1, a free port), for tests and the benchmark harness.</summary>
public sealed class DiscogsSimulatorServer : IAsyncDisposable
{
    // The catalogue is immutable once built; building it once per process keeps each test's start-up to a few ms.
    private static readonly ConcurrentDictionary<string, Lazy<SimulatorCatalog>> Catalogs = new(StringComparer.Ordinal);

    private readonly WebApplication _app;
    private readonly SimulatorState _state;
    private readonly List<ForeignClient> _foreignClients = [];

    private DiscogsSimulatorServer(WebApplication app, SimulatorState state, Uri baseUrl)
    {
        _app = app;
        _state = state;
        BaseUrl = baseUrl;
    }

    /// <summary>The root to use instead of https://api.discogs.com, e.g. http://127.0.0.1:40123/.</summary>
    public Uri BaseUrl { get; }

    public SimulatorCatalog Catalog => _state.Catalog;

    public RequestLog Requests => _state.Requests;

    public FaultPlan Faults => _state.Faults;

    public SimulatorOptions Options => _state.Options;

    public static async Task<DiscogsSimulatorServer> StartAsync(SimulatorOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var state = CreateState(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        Map(app, state);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DiscogsSimulatorServer(app, state, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <summary>A "foreign" client on the same IP spends part of the window now (loopback is one IP).</summary>
    public void FillWindow(int requests)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(requests);
        _state.Window.Add(SimulatorState.LoopbackClient, requests);
    }

    /// <summary>
    /// Starts another program on the loopback IP sending <paramref name="traffic"/> until the returned client is
    /// disposed (or the simulator stops).
    /// </summary>
    public ForeignClient StartForeignClient(ForeignTraffic traffic)
    {
        ArgumentNullException.ThrowIfNull(traffic);
        var client = new ForeignClient(_state, traffic);
        _foreignClients.Add(client);
        return client;
    }

    /// <summary>How many requests the loopback client's window holds now (what Used would say, minus the next request).</summary>
    public int WindowUsed => _state.Window.Used(SimulatorState.LoopbackClient);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _foreignClients)
        {
            await client.DisposeAsync();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    internal static SimulatorState CreateState(SimulatorOptions options)
    {
        var directory = Path.GetFullPath(options.DataDirectory ?? FindDataDirectory());
        var catalog = Catalogs.GetOrAdd(directory, d => new Lazy<SimulatorCatalog>(() => CatalogBuilder.Build(d))).Value;
        return new SimulatorState(options, catalog);
    }

    internal static void Map(WebApplication app, SimulatorState state)
    {
        var handler = new SimulatorHandler(state);
        app.Run(handler.HandleAsync);
    }

    /// <summary>tests/discogs-data beside EnrichmentWorker.sln, looked for upward from the binaries and from the working directory.</summary>
    public static string FindDataDirectory()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EnrichmentWorker.sln")))
                {
                    var candidate = Path.Combine(dir.FullName, "tests", "discogs-data");
                    if (Directory.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }
        }

        throw new DirectoryNotFoundException(
            "The Discogs simulator could not find tests/discogs-data next to EnrichmentWorker.sln above "
            + $"{AppContext.BaseDirectory}; set Simulator:DataDirectory to the folder holding catalog/ and dumps/.");
    }
}
