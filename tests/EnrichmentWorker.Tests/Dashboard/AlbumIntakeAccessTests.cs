using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;

namespace EnrichmentWorker.Tests.Dashboard;

/// <summary>The album intake sits behind the same access rules as the dashboard's own API.</summary>
public sealed class AlbumIntakeAccessTests
{
    private DashboardService _service = null!;

    [OneTimeSetUp]
    public async Task Start() => _service = await DashboardService.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    [Test]
    public async Task An_anonymous_or_read_only_caller_cannot_add_albums_and_nothing_is_written()
    {
        var batch = new[] { new { artist = "Intruder", title = "Should Not Land" } };

        using var anonymous = await _service.Client().PostAsJsonAsync("/api/albums", batch);
        using var reader = await _service.Client(DashboardService.ReaderToken).PostAsJsonAsync("/api/albums", batch);

        Assert.That(anonymous.IsSuccessStatusCode, Is.False, $"anonymous POST answered {anonymous.StatusCode}");
        Assert.That(reader.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        await using var connection = await _service.Database.DataSource.OpenConnectionAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM albums WHERE artist = 'Intruder'"), Is.Zero);
    }

    [Test]
    public async Task An_admin_token_adds_albums_and_a_read_only_token_reads_them()
    {
        using var added = await _service.Client(DashboardService.AdminToken).PostAsJsonAsync("/api/albums",
            new[] { new { source_key = "access-1", artist = "Sigur Rós", title = "Ágætis byrjun", year = 1999 } });
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.OK), await added.Content.ReadAsStringAsync());

        await using var connection = await _service.Database.DataSource.OpenConnectionAsync();
        var id = await connection.ExecuteScalarAsync<long>("SELECT id FROM albums WHERE source_key = 'access-1'");
        var album = await _service.Client(DashboardService.ReaderToken).GetFromJsonAsync<JsonElement>($"/api/albums/{id}");

        Assert.That(album.GetProperty("title").GetString(), Is.EqualTo("Ágætis byrjun"));
    }
}
