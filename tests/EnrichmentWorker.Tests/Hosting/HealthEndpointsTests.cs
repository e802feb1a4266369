using System.Net;
using System.Text.Json;
using EnrichmentWorker.Hosting;
using EnrichmentWorker.Hosting.Health;
using EnrichmentWorker.Storage;
using EnrichmentWorker.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnrichmentWorker.Tests.Hosting;

/// <summary>The health endpoints in-process on loopback Kestrel, against real databases in various states.</summary>
public sealed class HealthEndpointsTests
{
    private sealed class HealthApp(WebApplication app, Uri baseUrl, PostgresDatabase database) : IAsyncDisposable
    {
        private readonly HttpClient _http = new() { BaseAddress = baseUrl };

        public Uri BaseUrl => baseUrl;

        public async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
        {
            using var response = await _http.GetAsync(new Uri(path, UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, JsonDocument.Parse(body).RootElement.Clone());
        }

        public static async Task<HealthApp> StartAsync(string connectionString, Action<IServiceCollection>? more = null)
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = connectionString })
                .Build();
            var database = await PostgresDatabase.OpenAsync(configuration, NullLogger.Instance, CancellationToken.None);
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Services.AddStorage(database);
            builder.Services.AddServiceHealth();
            more?.Invoke(builder.Services);
            var app = builder.Build();
            app.MapServiceHealth();
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new HealthApp(app, new Uri(address), database);
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
            await database.DisposeAsync();
        }
    }

    private static Dictionary<string, (string Status, string Description)> Checks(JsonElement body) =>
        body.GetProperty("checks").EnumerateArray().ToDictionary(
            c => c.GetProperty("name").GetString()!,
            c => (c.GetProperty("status").GetString()!, c.GetProperty("description").GetString() ?? ""));

    [Test]
    public async Task Ready_is_healthy_when_the_database_answers_and_the_schema_is_current()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var app = await HealthApp.StartAsync(db.ConnectionString);

        var (status, body) = await app.GetAsync(HealthEndpoints.ReadyPath);

        var checks = Checks(body);
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
            Assert.That(checks[DatabaseHealthCheck.Name].Status, Is.EqualTo("Healthy"));
            Assert.That(checks[MigrationsHealthCheck.Name], Is.EqualTo(("Healthy", $"Schema at version {MigrationRunner.LatestVersion}.")));
        });
    }

    [Test]
    public async Task Ready_is_unavailable_with_the_reason_when_the_schema_is_behind()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        await using var app = await HealthApp.StartAsync(db.ConnectionString);

        var (status, body) = await app.GetAsync(HealthEndpoints.ReadyPath);

        var checks = Checks(body);
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(checks[DatabaseHealthCheck.Name].Status, Is.EqualTo("Healthy"));
            Assert.That(checks[MigrationsHealthCheck.Name].Status, Is.EqualTo("Unhealthy"));
            Assert.That(checks[MigrationsHealthCheck.Name].Description, Does.StartWith($"Schema at version 0, this build needs {MigrationRunner.LatestVersion}"));
        });
    }

    [Test]
    public async Task An_unreachable_database_makes_ready_fail_while_live_stays_up_and_nothing_leaks()
    {
        var unreachable = $"Host=127.0.0.1;Port={ServiceProcess.FreePort()};Username=secret_user;Password=secret_password;Database=nowhere;Timeout=2";
        await using var app = await HealthApp.StartAsync(unreachable);

        var (readyStatus, ready) = await app.GetAsync(HealthEndpoints.ReadyPath);
        var (liveStatus, live) = await app.GetAsync(HealthEndpoints.LivePath);

        Assert.Multiple(() =>
        {
            Assert.That(readyStatus, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(Checks(ready)[DatabaseHealthCheck.Name].Status, Is.EqualTo("Unhealthy"));
            Assert.That(ready.GetRawText(), Does.Not.Contain("secret").And.Not.Contain("   at "), "no credentials, no stack traces");
            Assert.That(liveStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(live.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
            Assert.That(live.GetProperty("checks").GetArrayLength(), Is.Zero, "liveness runs no checks");
        });
    }

    [Test]
    public async Task A_check_another_concern_tags_ready_appears_on_ready_and_a_throwing_one_shows_only_its_type()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var app = await HealthApp.StartAsync(db.ConnectionString, services => services.AddHealthChecks()
            .AddCheck("discogs-token", () => HealthCheckResult.Degraded("No Discogs token: running unauthenticated (25 requests/min)."), [HealthTags.Ready])
            .AddCheck("queue", () => throw new InvalidOperationException("Password=hunter2"), [HealthTags.Ready])
            .AddCheck("not-ready", () => HealthCheckResult.Unhealthy("elsewhere")));

        var (status, body) = await app.GetAsync(HealthEndpoints.ReadyPath);

        var checks = Checks(body);
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(checks["discogs-token"].Status, Is.EqualTo("Degraded"));
            Assert.That(checks["queue"], Is.EqualTo(("Unhealthy", "The check failed (InvalidOperationException); see the service log.")));
            Assert.That(checks.ContainsKey("not-ready"), Is.False);
            Assert.That(body.GetRawText(), Does.Not.Contain("hunter2"));
        });
    }

    [Test]
    public async Task The_healthcheck_command_exits_0_when_ready_and_1_when_not_or_when_nobody_answers()
    {
        await using var healthy = await TestDatabase.CreateAsync();
        await using var behind = await TestDatabase.CreateEmptyAsync();
        await using var good = await HealthApp.StartAsync(healthy.ConnectionString);
        await using var bad = await HealthApp.StartAsync(behind.ConnectionString);
        var verb = new HealthCheckVerb(new ConfigurationBuilder().Build());

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await verb.RunAsync(CliCommand.Parse(["healthcheck", "--url", good.BaseUrl.ToString()]), CancellationToken.None), Is.Zero);
            Assert.That(await verb.RunAsync(CliCommand.Parse(["healthcheck", "--url", bad.BaseUrl.ToString()]), CancellationToken.None), Is.EqualTo(1));
            Assert.That(await verb.RunAsync(CliCommand.Parse(["healthcheck", "--url", bad.BaseUrl.ToString(), "--live"]), CancellationToken.None), Is.Zero);
            Assert.That(await verb.RunAsync(CliCommand.Parse(["healthcheck", "--url", $"http://127.0.0.1:{ServiceProcess.FreePort()}"]), CancellationToken.None), Is.EqualTo(1));
        });
    }

    [TestCase("http://0.0.0.0:8080", "http://127.0.0.1:8080/")]
    [TestCase("http://+:8080;https://+:8443", "http://127.0.0.1:8080/")]
    [TestCase("http://[::]:8080", "http://127.0.0.1:8080/")]
    [TestCase("http://*:80", "http://127.0.0.1/")]
    [TestCase("http://127.0.0.1:5080", "http://127.0.0.1:5080/")]
    [TestCase("", "http://127.0.0.1:5080/")]
    public void The_healthcheck_command_asks_on_loopback_when_the_service_listens_everywhere(string urls, string expected)
    {
        Assert.That(HealthCheckVerb.LocalUrl(urls).ToString(), Is.EqualTo(expected));
    }
}
