using System.Text.Json;
using EnrichmentWorker.Dashboard;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EnrichmentWorker.Hosting.Health;

/// <summary>
/// <c>/health/live</c>: the process is up and serving HTTP (runs no checks, so a slow database never gets the
/// process restarted). <c>/health/ready</c>: every check tagged <see cref="HealthTags.Ready"/>; 200 when all are
/// healthy or degraded, 503 otherwise. Both answer JSON: the overall status, and for a caller on this machine or
/// signed in to the dashboard, each check's status and description.
/// </summary>
public static class HealthEndpoints
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    public static IServiceCollection AddServiceHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>(DatabaseHealthCheck.Name, tags: [HealthTags.Ready], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<MigrationsHealthCheck>(MigrationsHealthCheck.Name, tags: [HealthTags.Ready], timeout: TimeSpan.FromSeconds(5));
        return services;
    }

    public static IEndpointRouteBuilder MapServiceHealth(this IEndpointRouteBuilder endpoints)
    {
        // Anonymous on purpose: probes (Docker, load balancers, systemd timers) carry no credentials. A remote
        // anonymous caller gets the status alone: the checks name the Discogs account and count the queue.
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJsonAsync })
            .AllowAnonymous();
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(HealthTags.Ready), ResponseWriter = WriteJsonAsync })
            .AllowAnonymous();
        return endpoints;
    }

    // A check that threw gets the exception's message as its description, which may name hosts or users: show its type.
    private static string? Describe(HealthReportEntry entry) => entry.Exception is { } ex
        ? $"The check failed ({ex.GetType().Name}); see the service log."
        : entry.Description;

    // The dashboard's authentication has run by now (it is the default scheme): a cookie, a bearer token, or trusted
    // loopback all count; so does a loopback caller not relayed by a proxy, the healthcheck verb and container probes.
    private static bool MaySeeDetail(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true || DashboardAuth.IsLocal(context);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    internal static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        if (!MaySeeDetail(context))
        {
            return context.Response.WriteAsync(JsonSerializer.Serialize(new HealthStatusResponse(report.Status.ToString()), Json), context.RequestAborted);
        }

        var body = new HealthResponse(
            report.Status.ToString(),
            report.TotalDuration.TotalMilliseconds,
            [.. report.Entries.Select(e => new HealthCheckEntry(
                e.Key, e.Value.Status.ToString(), Describe(e.Value), e.Value.Duration.TotalMilliseconds))]);
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json), context.RequestAborted);
    }
}

/// <summary>The JSON body of the health endpoints.</summary>
public sealed record HealthResponse(string Status, double DurationMs, IReadOnlyList<HealthCheckEntry> Checks);

/// <summary>The body for an anonymous remote caller: the overall status only.</summary>
public sealed record HealthStatusResponse(string Status);

/// <summary>One check: its name, status, and a description fit for anyone to read (no secrets, no stack traces).</summary>
public sealed record HealthCheckEntry(string Name, string Status, string? Description, double DurationMs);
