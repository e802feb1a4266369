using System.Security.Cryptography;

namespace EnrichmentWorker.Dashboard;

/// <summary>The one stylesheet and one script, embedded in the assembly (no front-end build, nothing to deploy beside the binary).</summary>
public static class DashboardAssets
{
    private static readonly Dictionary<string, (string ContentType, byte[] Body, string ETag)> Files = Load();

    public static IResult Serve(HttpContext http, string name)
    {
        if (!Files.TryGetValue(name, out var file))
        {
            return Results.NotFound();
        }

        http.Response.Headers.CacheControl = "public, max-age=300";
        if (http.Request.Headers.IfNoneMatch == file.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        http.Response.Headers.ETag = file.ETag;
        return Results.Bytes(file.Body, file.ContentType);
    }

    private static Dictionary<string, (string, byte[], string)> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, (string, byte[], string)>(StringComparer.Ordinal);
        foreach (var (name, type) in new[] { ("dashboard.css", "text/css; charset=utf-8"), ("dashboard.js", "text/javascript; charset=utf-8") })
        {
            using var stream = assembly.GetManifestResourceStream("EnrichmentWorker.Dashboard.Assets." + name)
                ?? throw new InvalidOperationException($"The dashboard asset {name} is missing from the build.");
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var body = memory.ToArray();
            files[name] = (type, body, "\"" + Convert.ToHexString(SHA256.HashData(body))[..16] + "\"");
        }

        return files;
    }
}
