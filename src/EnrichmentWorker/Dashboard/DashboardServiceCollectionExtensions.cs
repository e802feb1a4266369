using EnrichmentWorker.Dashboard.Albums;
using EnrichmentWorker.Dashboard.Hangfire;
using EnrichmentWorker.Discogs;
using EnrichmentWorker.Jobs;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Dashboard;

public static class DashboardServiceCollectionExtensions
{
    /// <summary>The dashboard, its JSON API, and who may use them (hash-password runs without a host: ServiceRunner).</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DashboardQueries>();
        services.AddSingleton<DashboardActions>();
        services.AddSingleton<ManualMatches>();
        services.AddSingleton<ManualMatchLookup>();
        services.AddSingleton<AlbumList>();
        // The queue's own services: registered by AddJobQueue too; Try* so the dashboard works in either order.
        services.TryAddSingleton<QueueControl>();
        services.TryAddSingleton<AlbumJobRequests>();
        services.TryAddSingleton<QueueReadings>();
        services.TryAddSingleton<Dumps.InstalledDumps>(); // the overview names the data dump in service
        // The Discogs client's budget and identity when it is registered (AddDiscogsClient), else a plain "not available".
        services.TryAddSingleton<IDashboardDiscogsStatus>(sp =>
            sp.GetService<DiscogsRequestBudget>() is { } budget && sp.GetService<DiscogsConnectionStatus>() is { } connection
                && sp.GetService<DiscogsIdentityMonitor>() is { } identity
                ? new DiscogsDashboardStatus(budget, connection, identity)
                : new UnavailableDiscogsStatus());
        services.AddDashboardAuthentication();
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.HeaderName = "X-CSRF-TOKEN";
            antiforgery.Cookie.Name = "enrichment-antiforgery";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.SuppressXFrameOptionsHeader = true; // we send DENY ourselves, on every response
        });
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        return services;
    }

    /// <summary>Security headers and a plain error page for everything, then the pages and the /api endpoints.</summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<DashboardOptions>>().Value;
        app.Use(SecurityHeaders);
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = PlainError, StatusCodeSelector = _ => StatusCodes.Status500InternalServerError });
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        DashboardPages.Map(app, options);
        DashboardApi.Map(app);
        HangfireDashboard.Map(app, options);
        app.MapGet("/", () => Results.Redirect(options.Path)).ExcludeFromDescription();

        // The address a person opens, printed once Kestrel has bound (so a port chosen at start is the real one).
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EnrichmentWorker.Dashboard");
            foreach (var url in app.Urls)
            {
                logger.LogInformation("Dashboard: {DashboardUrl}", url.TrimEnd('/') + options.Path);
            }
        });
        return app;
    }

    private const string ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
        + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>
    /// On every response, including 401/403 from authorization: no inline script or style (the pages use the one
    /// script and stylesheet under /assets), no framing, no MIME sniffing, no referrer to other sites. Images may come
    /// from https hosts (Discogs' image CDN). Hangfire's dashboard gets its own, slightly wider policy (HangfireDashboard).
    /// </summary>
    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        // Decided now: Hangfire's dashboard moves its prefix into PathBase before the response starts.
        var policy = HangfireDashboard.Serves(context.Request) ? HangfireDashboard.ContentSecurityPolicy : ContentSecurityPolicy;
        // Set as the response starts, not now: the exception handler clears the headers before writing its error page.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = policy;
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next();
    }

    /// <summary>A crash of our own shows a plain sentence: never a stack trace, connection string or token.</summary>
    private static async Task PlainError(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("EnrichmentWorker.Dashboard");
        logger.LogError(error, "Request {Path} failed", context.Request.Path.Value);
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        var message = "Something went wrong on the server while handling this request. The service log has the details.";
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            await Results.Problem(detail: message, statusCode: context.Response.StatusCode).ExecuteAsync(context);
            return;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(Html.Of($"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error · EnrichmentWorker</title></head>
            <body><h1>Sorry — that did not work</h1><p>{message}</p><p><a href="/">Back</a></p></body></html>
            """).Value);
    }
}
