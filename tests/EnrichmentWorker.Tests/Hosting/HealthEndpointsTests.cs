using System.Net;
using System.Text.Json;
using Dapper;
using EnrichmentWorker.Discogs;
using EnrichmentWorker.DiscogsSimulator;
using EnrichmentWorker.Enrichment;
using EnrichmentWorker.Hosting;
using EnrichmentWorker.Hosting.Health;
using EnrichmentWorker.Jobs;
using EnrichmentWorker.Storage;
using EnrichmentWorker.Telemetry;
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

        public static async Task<HealthApp> StartAsync(string connectionString, Action<IServiceCollection, IConfiguration>? more = null,
            IDictionary<string, string?>? settings = null)
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = connectionString })
                .Build();
            var database = await PostgresDatabase.OpenAsync(configuration, NullLogger.Instance, CancellationToken.None);
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.AddStorage(database);
            builder.Services.AddServiceHealth();
            more?.Invoke(builder.Services, builder.Configuration);
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
        await using var app = await HealthApp.StartAsync(db.ConnectionString, (services, _) => services.AddHealthChecks()
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

    [TestCase("tok-valid-81", "Healthy", "Connected to Discogs as simulator_user.")]
    [TestCase("tok-revoked-17", "Degraded", "Discogs rejected the token (401 on /oauth/identity")]
    [TestCase(null, "Degraded", DiscogsIdentityMonitor.MissingTokenMessage)]
    public async Task Ready_names_the_Discogs_account_and_a_missing_or_rejected_token_degrades_it_without_failing(string? token, string expected, string description)
    {
        await using var simulator = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions { ValidTokens = new HashSet<string>(StringComparer.Ordinal) { "tok-valid-81" } });
        await using var db = await TestDatabase.CreateAsync();
        await using var app = await HealthApp.StartAsync(db.ConnectionString, (services, configuration) => services.AddDiscogsClient(configuration),
            new Dictionary<string, string?> { ["Discogs:BaseUrl"] = simulator.BaseUrl.ToString(), ["Discogs:Token"] = token });

        // The identity check runs in the background at start-up; until it has answered the check says so.
        (HttpStatusCode Status, JsonElement Body) ready = default;
        await WaitFor.ConditionAsync(async () =>
        {
            ready = await app.GetAsync(HealthEndpoints.ReadyPath);
            return !Checks(ready.Body)[DiscogsTokenHealthCheck.Name].Description.Contains("not been checked", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), "the token check");

        var check = Checks(ready.Body)[DiscogsTokenHealthCheck.Name];
        Assert.Multiple(() =>
        {
            Assert.That(ready.Status, Is.EqualTo(HttpStatusCode.OK), "a token problem never makes an orchestrator restart the service");
            Assert.That(check.Status, Is.EqualTo(expected));
            Assert.That(check.Description, Does.StartWith(description));
            Assert.That(ready.Body.GetRawText(), Does.Not.Contain("tok-"), "the token itself is never shown");
        });
    }

    [Test]
    public async Task Ready_fails_when_due_jobs_wait_with_nothing_moving_and_a_resume_or_a_pause_by_a_person_is_not_a_stall()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var app = await HealthApp.StartAsync(db.ConnectionString, AddQueueCheck);
        var (idleStatus, idle) = await app.GetAsync(HealthEndpoints.ReadyPath);

        // No worker anywhere: two albums due for ten minutes, no job started or finished since, not resumed since.
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("INSERT INTO albums (source, source_key, artist, title) VALUES ('test', 's1', 'Can', 'Tago Mago'), ('test', 's2', 'Neu!', 'Neu!')");
        await connection.ExecuteAsync("UPDATE album_jobs SET requested_at = now() - interval '10 minutes'");
        await connection.ExecuteAsync("UPDATE queue_state SET changed_at = now() - interval '1 hour'");
        var (stalledStatus, stalled) = await app.GetAsync(HealthEndpoints.ReadyPath);

        // A resume starts the wait afresh: the workers get their chance before it counts as a stall.
        await connection.ExecuteAsync("UPDATE queue_state SET changed_at = now()");
        var (resumedStatus, resumed) = await app.GetAsync(HealthEndpoints.ReadyPath);

        await connection.ExecuteAsync("UPDATE queue_state SET paused = true, paused_by = 'person', reason = 'library move', changed_at = now()");
        var (pausedStatus, paused) = await app.GetAsync(HealthEndpoints.ReadyPath);

        Assert.Multiple(() =>
        {
            Assert.That(idleStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Checks(idle)[QueueStalledHealthCheck.Name], Is.EqualTo(("Healthy", "No job is due; 0 scheduled for later, 0 running.")));
            Assert.That(stalledStatus, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(Checks(stalled)[QueueStalledHealthCheck.Name].Status, Is.EqualTo("Unhealthy"));
            Assert.That(Checks(stalled)[QueueStalledHealthCheck.Name].Description, Does.StartWith("Stalled: 2 due, 0 running; the first in line has waited 10m"));
            Assert.That((resumedStatus, Checks(resumed)[QueueStalledHealthCheck.Name].Status), Is.EqualTo((HttpStatusCode.OK, "Healthy")));
            Assert.That(pausedStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Checks(paused)[QueueStalledHealthCheck.Name], Is.EqualTo(("Degraded", "Paused by a person: library move. Resume it on the dashboard.")));
        });
    }

    [Test]
    public async Task Due_albums_that_waited_long_are_not_a_stall_while_albums_keep_finishing()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var app = await HealthApp.StartAsync(db.ConnectionString, AddQueueCheck);
        await using var connection = await db.DataSource.OpenConnectionAsync();

        // A big import an hour ago: the oldest due album is an hour old, but another album finished just now.
        await connection.ExecuteAsync("INSERT INTO albums (source, source_key, artist, title) VALUES ('test', 'b1', 'Can', 'Tago Mago'), ('test', 'b2', 'Neu!', 'Neu!')");
        await connection.ExecuteAsync("UPDATE album_jobs SET requested_at = now() - interval '1 hour'");
        await connection.ExecuteAsync("UPDATE queue_state SET changed_at = now() - interval '1 hour'");
        // ... and an album finished just now: the queue moves.
        await connection.ExecuteAsync("""
            INSERT INTO albums (source, source_key, artist, title) VALUES ('test', 'b0', 'Can', 'Ege Bamyasi');
            DELETE FROM album_jobs WHERE album_id = (SELECT id FROM albums WHERE source_key = 'b0');
            INSERT INTO album_job_history (album_id, state, reason) SELECT id, 'succeeded', 'matched' FROM albums WHERE source_key = 'b0';
            """);

        var (status, body) = await app.GetAsync(HealthEndpoints.ReadyPath);

        var check = Checks(body)[QueueStalledHealthCheck.Name];
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(check.Status, Is.EqualTo("Healthy"));
            Assert.That(check.Description, Does.StartWith("2 due, 0 running; the first in line has waited "));
        });
    }

    [Test]
    public void The_stall_allowance_grows_with_the_jobs_running_and_shrinks_with_a_faster_budget()
    {
        var standard = new DiscogsOptions { Token = "x" };
        var fast = new DiscogsOptions { Token = "x", Window = TimeSpan.FromSeconds(1) };

        Assert.Multiple(() =>
        {
            // 2 min + 3 × 5 requests × 1 s each at 60 a minute × (4 running + 1).
            Assert.That(QueueStalledHealthCheck.Allowance(4, standard), Is.EqualTo(TimeSpan.FromSeconds(195)));
            Assert.That(QueueStalledHealthCheck.Allowance(0, standard), Is.EqualTo(TimeSpan.FromSeconds(135)));
            Assert.That(QueueStalledHealthCheck.Allowance(4, fast), Is.EqualTo(TimeSpan.FromSeconds(121.25)).Within(TimeSpan.FromMilliseconds(1)), "a 60th of a second is not a whole number of ticks");
        });
    }

    private static void AddQueueCheck(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<EnrichmentTelemetry>();
        services.AddSingleton<QueueReadings>();
        services.AddOptions<DiscogsOptions>();
        services.AddHealthChecks().AddCheck<QueueStalledHealthCheck>(QueueStalledHealthCheck.Name, tags: [HealthTags.Ready]);
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
