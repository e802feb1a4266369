using EnrichmentWorker.Dumps;
using EnrichmentWorker.Tests.Dashboard;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Tests.Dumps;

/// <summary>The overview names the data dump in service, through the real service binary.</summary>
public sealed class DumpDashboardTests
{
    [Test]
    public async Task The_overview_names_the_dump_in_service_by_entity_date_and_rows()
    {
        await using var service = await DashboardService.StartAsync();
        using var client = service.Client(DashboardService.ReaderToken);
        var before = await client.GetStringAsync("/dashboard");
        var importer = new DumpImporter(service.Database.DataSource, TimeProvider.System, Options.Create(new DumpOptions()), NullLogger<DumpImporter>.Instance);
        await importer.ImportAsync(DumpFile.Parse(DumpSamples.Masters), false, CancellationToken.None);

        var after = await client.GetStringAsync("/dashboard");

        Assert.That(before, Does.Contain("No data dump imported"));
        Assert.That(after, Does.Contain("Data dump: masters 2020-08-06 (1,000)"));
    }
}
