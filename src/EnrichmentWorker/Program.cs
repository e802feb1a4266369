using EnrichmentWorker.Dashboard;
using EnrichmentWorker.Discogs;
using EnrichmentWorker.Dumps;
using EnrichmentWorker.Enrichment;
using EnrichmentWorker.Export;
using EnrichmentWorker.Hosting;
using EnrichmentWorker.Hosting.Health;
using EnrichmentWorker.Jobs;
using EnrichmentWorker.Library;
using EnrichmentWorker.Matching;
using EnrichmentWorker.MusicFolders;
using EnrichmentWorker.Storage;
using EnrichmentWorker.Telemetry;

// The service's table of contents: what it is made of, and what it serves.
return await ServiceRunner.RunAsync(
    args,
    configureServices: (builder, database) =>
    {
        builder.Services.AddTelemetry(builder.Configuration);
        builder.Services.AddServiceHosting();
        builder.Services.AddStorage(database);
        builder.Services.AddAlbumLibrary();
        builder.Services.AddMusicFolders();
        builder.Services.AddResultExport();
        builder.Services.AddDiscogsClient(builder.Configuration);
        builder.Services.AddMatching();
        builder.Services.AddDiscogsDumps();
        builder.Services.AddJobQueue(builder.Configuration);
        builder.Services.AddEnrichment();
        builder.Services.AddDashboard();
    },
    mapEndpoints: app =>
    {
        app.MapDashboard();
        app.MapServiceHealth();
        var albums = app.MapAlbumApi();
        albums.Reads.RequireAuthorization(DashboardAuth.ReadPolicy);
        albums.Writes.RequireAuthorization(DashboardAuth.AdminPolicy).AddEndpointFilter<AntiforgeryFilter>();
    });

/// <summary>Exposed so tests and the benchmark harness can reference the entry assembly.</summary>
public partial class Program;
