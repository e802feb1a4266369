using EnrichmentWorker.Dashboard;
using EnrichmentWorker.Hosting;
using EnrichmentWorker.Storage;

// The service's table of contents: what it is made of, and what it serves.
return await ServiceRunner.RunAsync(
    args,
    configureServices: (builder, database) =>
    {
        builder.Services.AddServiceHosting();
        builder.Services.AddStorage(database);
        builder.Services.AddDashboard();
    },
    mapEndpoints: app =>
    {
        app.MapDashboard();
        app.MapGet("/", () => Results.Redirect("/dashboard"));
    });

/// <summary>Exposed so tests and the benchmark harness can reference the entry assembly.</summary>
public partial class Program;
