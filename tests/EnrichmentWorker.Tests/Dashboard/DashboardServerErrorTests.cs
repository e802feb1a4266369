using System.Net;
using Dapper;

namespace EnrichmentWorker.Tests.Dashboard;

/// <summary>A failure of the service's own (here: a table gone from under it) as a user sees it.</summary>
public sealed class DashboardServerErrorTests
{
    [Test]
    public async Task A_server_error_is_a_plain_page_with_the_security_headers_and_no_details()
    {
        await using var service = await DashboardService.StartAsync();
        var album = await DashboardSeed.AlbumAsync(service.Database.DataSource, "Talk Talk", "Spirit of Eden", 1988);
        await using (var connection = await service.Database.DataSource.OpenConnectionAsync())
        {
            // Only the album page reads it, and nothing writes it without workers: the rest of the service carries on.
            await connection.ExecuteAsync("ALTER TABLE album_credits RENAME TO album_credits_gone");
        }

        using var client = service.Client(DashboardService.ReaderToken);
        using var page = await client.GetAsync($"/dashboard/albums/{album}");
        using var api = await client.GetAsync($"/api/albums/{album}/enrichment");
        foreach (var response in new[] { page, api })
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Multiple(() =>
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
                Assert.That(body, Does.Contain("Something went wrong on the server"));
                Assert.That(body, Does.Not.Contain("album_credits").And.Not.Contain("Exception").And.Not.Contain("   at ")
                    .And.Not.Contain(service.Database.ConnectionString));
                Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("frame-ancestors 'none'"));
                Assert.That(response.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"));
            });
        }
    }
}
