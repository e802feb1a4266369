// The Discogs simulator as a program, for the demo mode and the benchmark harness:
//   dotnet run --project tests/EnrichmentWorker.DiscogsSimulator -- --urls http://127.0.0.1:5099 --Simulator:Window=00:01:00
// Options bind from the "Simulator" section (command line, environment Simulator__Window, appsettings).
using EnrichmentWorker.DiscogsSimulator;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.AddOptions<SimulatorOptions>()
    .BindConfiguration(SimulatorOptions.SectionName)
    .ValidateDataAnnotations()
    .ValidateOnStart();
var app = builder.Build();
var options = app.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value;
var started = TimeProvider.System.GetTimestamp();
var state = DiscogsSimulatorServer.CreateState(options);
DiscogsSimulatorServer.Map(app, state);
app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
    "Discogs simulator: {Masters} masters, {Releases} releases loaded in {Ms:0} ms; limit {Limit}/{Window} with a token, {Unauthenticated} without; tokens accepted: {Tokens}",
    state.Catalog.MasterCount, state.Catalog.ReleaseCount, TimeProvider.System.GetElapsedTime(started).TotalMilliseconds,
    options.RequestsPerWindow, options.Window, options.UnauthenticatedRequestsPerWindow, options.ValidTokens.Count));
await app.RunAsync();
