using System.Net;
using Microsoft.Extensions.Primitives;

namespace EnrichmentWorker.Dashboard;

/// <summary>
/// Decides whether a request may act as the machine's own administrator without signing in. A loopback source
/// address is not enough: a web page on a host name that an attacker re-points at 127.0.0.1 (DNS rebinding) reaches
/// the service from loopback too, with its own name in Host. So the request must also name the service by a loopback
/// address on the port it arrived on, must not have been relayed by a proxy, and a state-changing request that says
/// where it comes from (Origin, else Referer) must come from such an address too.
/// </summary>
public static class LoopbackTrust
{
    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]"];

    public static bool Allows(HttpContext context)
    {
        var request = context.Request;
        if (context.Connection.RemoteIpAddress is not { } address || !IPAddress.IsLoopback(address)
            || request.Headers.ContainsKey("X-Forwarded-For") || request.Headers.ContainsKey("Forwarded"))
        {
            return false;
        }

        var port = context.Connection.LocalPort;
        if (!IsLoopbackAuthority(request.Host.Host, request.Host.Port, request.Scheme, port))
        {
            return false;
        }

        return HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || ComesFromLoopback(request.Headers.Origin, request.Headers.Referer, port);
    }

    /// <summary>A state-changing request that names its origin must name this service on loopback; one that names none
    /// (a script, curl) is let through: browsers send Origin on every cross-origin POST.</summary>
    private static bool ComesFromLoopback(StringValues origin, StringValues referer, int port)
    {
        var claimed = !StringValues.IsNullOrEmpty(origin) ? origin.ToString() : referer.ToString();
        if (claimed.Length == 0)
        {
            return true;
        }

        // "null" (a sandboxed frame, a file: page) and anything unparsable are foreign.
        return Uri.TryCreate(claimed, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && IsLoopbackAuthority(uri.Host, uri.IsDefaultPort ? null : uri.Port, uri.Scheme, port);
    }

    private static bool IsLoopbackAuthority(string host, int? statedPort, string scheme, int actualPort)
    {
        var name = host.StartsWith('[') || !host.Contains(':') ? host : "[" + host + "]";
        if (!LoopbackNames.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        var port = statedPort ?? (string.Equals(scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase) ? 443 : 80);
        return port == actualPort;
    }
}
