using Microsoft.AspNetCore.Antiforgery;

namespace EnrichmentWorker.Dashboard;

/// <summary>
/// Refuses a state-changing request without a valid antiforgery token (form field or X-CSRF-TOKEN header), whenever
/// the caller's credential is ambient — a cookie, or the loopback trust a hostile web page could ride on too.
/// A bearer-token client sends its credential explicitly, so another site cannot forge its requests: exempt.
/// </summary>
public sealed class AntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.User.UsesBearerToken())
        {
            try
            {
                await antiforgery.ValidateRequestAsync(http);
            }
            catch (AntiforgeryValidationException)
            {
                const string why = "The request had no valid antiforgery token. Reload the page and try again.";
                return http.Request.Path.StartsWithSegments("/api")
                    ? DashboardApi.Problem(StatusCodes.Status400BadRequest, why)
                    : DashboardPages.BadRequest(http, why);
            }
        }

        return await next(context);
    }
}
