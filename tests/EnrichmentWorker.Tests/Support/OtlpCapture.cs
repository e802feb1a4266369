using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnrichmentWorker.Tests.Support;

/// <summary>
/// An OTLP/HTTP collector on loopback that keeps every export body it receives, per signal (/v1/logs, /v1/traces,
/// /v1/metrics). The bodies are protobuf: strings travel in them as plain UTF-8, so a secret is found by its bytes.
/// </summary>
public sealed class OtlpCapture : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> _bodies = new(StringComparer.Ordinal);

    private OtlpCapture(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The value for OTEL_EXPORTER_OTLP_ENDPOINT (with OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf).</summary>
    public Uri Endpoint { get; }

    public static async Task<OtlpCapture> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        OtlpCapture? capture = null;
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            capture!._bodies.GetOrAdd(signal, _ => new ConcurrentQueue<byte[]>()).Enqueue(buffer.ToArray());
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        capture = new OtlpCapture(app, new Uri(app.Urls.First()));
        return capture;
    }

    public int Exports(string signal) => _bodies.TryGetValue(signal, out var bodies) ? bodies.Count : 0;

    /// <summary>Whether any export of the signal ("logs", "traces", "metrics") holds the text as UTF-8 bytes.</summary>
    public bool Contains(string signal, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return _bodies.TryGetValue(signal, out var bodies) && bodies.Any(body => body.AsSpan().IndexOf(needle) >= 0);
    }

    public IEnumerable<string> Signals => _bodies.Keys;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
