using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace EnrichmentWorker.DiscogsSimulator;

/// <summary>
/// Every request, in Discogs' order: count it in the client's moving window (refused requests too), send the three
/// rate headers, refuse when over the limit, check the token, apply a planned fault, then answer the route.
/// </summary>
internal sealed class SimulatorHandler(SimulatorState state)
{
    /// <summary>Real body of a 401 for a token Discogs does not know (api/errors/401-invalid-token.json).</summary>
    public const string InvalidTokenMessage = "Invalid consumer token. Please register an app before making requests.";

    public const string MustAuthenticateMessage = "You must authenticate to access this resource.";

    public const string TooManyRequestsMessage = "You are making requests too quickly.";

    public const string QueryTimeMessage = "Query time exceeded. Please try a simpler query.";

    /// <summary>
    /// Discogs documents that a User-Agent is required but not what it answers without one (nothing recorded, and the
    /// issue threads only say requests "get blocked"); the simulator refuses with 403 and a {"message"} body.
    /// </summary>
    public const string UserAgentRequiredMessage = "A User-Agent header identifying your application is required.";

    // Discogs writes "&" and non-ASCII letters as they are, not as \u0026 escapes.
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task HandleAsync(HttpContext context)
    {
        var options = state.Options;
        var request = context.Request;
        var response = context.Response;
        var userAgent = request.Headers.UserAgent.ToString();
        var token = ReadToken(request);
        var authenticated = token is not null && options.ValidTokens.Contains(token);
        var limit = authenticated ? options.RequestsPerWindow : options.UnauthenticatedRequestsPerWindow;
        var used = state.Window.Hit(ClientKey(context));
        var status = 0;
        try
        {
            SetRateHeaders(response, limit, used);
            response.Headers["X-Discogs-Media-Type"] = "discogs.v2";
            response.Headers["Access-Control-Allow-Origin"] = "*";
            status = await RespondAsync(context, userAgent, token, authenticated, limit, used);
        }
        finally
        {
            state.Requests.Add(new RecordedRequest(
                state.Time.GetUtcNow(),
                request.Method,
                $"{request.Path}{request.QueryString}",
                status,
                authenticated,
                userAgent.Length == 0 ? null : userAgent));
        }
    }

    private async Task<int> RespondAsync(HttpContext context, string userAgent, string? token, bool authenticated, int limit, int used)
    {
        var options = state.Options;
        var response = context.Response;
        var ct = context.RequestAborted;
        if (userAgent.Trim().Length == 0)
        {
            return await WriteMessageAsync(response, StatusCodes.Status403Forbidden, UserAgentRequiredMessage, ct);
        }

        if (options.RateLimitEnabled && used > limit)
        {
            return await TooManyAsync(response, ct);
        }

        if (token is not null && !authenticated)
        {
            return await WriteMessageAsync(response, StatusCodes.Status401Unauthorized, InvalidTokenMessage, ct);
        }

        var fault = state.Faults.TakeFor(context.Request.Path.Value ?? "/");
        switch (fault?.Kind)
        {
            case FaultKind.ServerError:
                return await WriteMessageAsync(response, StatusCodes.Status500InternalServerError, QueryTimeMessage, ct);
            case FaultKind.BadGateway:
                return await WriteHtmlAsync(response, StatusCodes.Status502BadGateway, "502 Bad Gateway", ct);
            case FaultKind.ServiceUnavailable:
                return await WriteHtmlAsync(response, StatusCodes.Status503ServiceUnavailable, "503 Service Temporarily Unavailable", ct);
            case FaultKind.ConnectionReset:
                context.Abort();
                return 0;
            case FaultKind.Unauthorized:
                return await WriteMessageAsync(response, StatusCodes.Status401Unauthorized, InvalidTokenMessage, ct);
            case FaultKind.RateLimited:
                SetRateHeaders(response, limit, Math.Max(used, limit + 1));
                return await TooManyAsync(response, ct);
            case FaultKind.Latency:
                await Task.Delay(fault.Value.Delay ?? options.FaultLatency, state.Time, ct);
                break;
        }

        if (options.Latency > TimeSpan.Zero)
        {
            await Task.Delay(options.Latency, state.Time, ct);
        }

        var api = $"{context.Request.Scheme}://{context.Request.Host}";
        var (status, body) = new SimulatorRoutes(state, new JsonViews(api, authenticated), api)
            .Answer(context.Request, authenticated);
        var text = body is JsonObject { Count: 1 } only && only["message"] is JsonValue message
            ? MessageBody(message.GetValue<string>())
            : body.ToJsonString(Compact);
        if (fault?.Kind == FaultKind.TruncatedJson)
        {
            text = text[..Math.Max(1, text.Length / 2)];
        }
        else if (fault?.Kind == FaultKind.MalformedJson)
        {
            text = "{\"pagination\": {\"page\": 1,, \"results\": [<html>";
            status = StatusCodes.Status200OK;
        }

        return await WriteJsonAsync(response, status, text, ct);
    }

    private static string? ReadToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            const string prefix = "Discogs token=";
            // Any other scheme (OAuth, key/secret) is not a token the simulator knows: treated as an invalid token.
            return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header[prefix.Length..].Trim() : header;
        }

        var query = request.Query["token"].ToString();
        return query.Length > 0 ? query : null;
    }

    /// <summary>One window per client IP; all of loopback is one "IP" (127.0.0.1 and ::1 are the same machine).</summary>
    internal static string ClientKey(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null || IPAddress.IsLoopback(address))
        {
            return SimulatorState.LoopbackClient;
        }

        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    private static void SetRateHeaders(HttpResponse response, int limit, int used)
    {
        response.Headers["X-Discogs-Ratelimit"] = limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-Discogs-Ratelimit-Used"] = used.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-Discogs-Ratelimit-Remaining"] = Math.Max(0, limit - used).ToString(CultureInfo.InvariantCulture);
    }

    private async Task<int> TooManyAsync(HttpResponse response, CancellationToken ct)
    {
        response.Headers.RetryAfter = state.Options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-cache";
        return await WriteMessageAsync(response, StatusCodes.Status429TooManyRequests, TooManyRequestsMessage, ct);
    }

    /// <summary>Error bodies byte for byte as Discogs sends them: <c>{"message": "..."}</c>, with the space.</summary>
    internal static Task<int> WriteMessageAsync(HttpResponse response, int status, string message, CancellationToken ct) =>
        WriteJsonAsync(response, status, MessageBody(message), ct);

    internal static string MessageBody(string message) => $"{{\"message\": {JsonSerializer.Serialize(message, Compact)}}}";

    private static async Task<int> WriteJsonAsync(HttpResponse response, int status, string json, CancellationToken ct)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(json);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, ct);
        return status;
    }

    private static async Task<int> WriteHtmlAsync(HttpResponse response, int status, string title, CancellationToken ct)
    {
        response.StatusCode = status;
        response.ContentType = "text/html";
        await response.WriteAsync(
            $"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", ct);
        return status;
    }
}
