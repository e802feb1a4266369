using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Library;

/// <summary>
/// The HTTP intake: <c>POST /api/albums</c> (a JSON array of albums, all or nothing) and <c>GET /api/albums/{id}</c>.
/// Reads and writes are separate route groups, returned so the host attaches its read policy to one and its admin and
/// antiforgery policy to the other (Program.cs); the library itself knows nothing of the dashboard's access rules.
/// </summary>
public static class AlbumApi
{
    /// <summary>Bad items listed in one 400 answer; the detail line gives the full count.</summary>
    public const int MaxErrorsListed = 100;

    public static AlbumApiRoutes MapAlbumApi(this IEndpointRouteBuilder app)
    {
        var reads = app.MapGroup("/api/albums").WithTags("Albums");
        reads.MapGet("/{id:long}", GetAlbumAsync);
        var writes = app.MapGroup("/api/albums").WithTags("Albums");
        writes.MapPost("/", AddAlbumsAsync);
        return new AlbumApiRoutes(reads, writes);
    }

    internal static async Task<Results<Ok<AlbumUpsertResult>, ProblemHttpResult>> AddAlbumsAsync(
        HttpRequest request, AlbumWriter writer, IOptions<LibraryOptions> options, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (!request.HasJsonContentType())
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Send the albums as a JSON array with Content-Type: application/json.");
        }

        var body = await ReadBodyAsync(request, limits.MaxRequestBytes, cancellationToken);
        if (body is null)
        {
            return TooLarge(string.Create(CultureInfo.InvariantCulture,
                $"The body is larger than {limits.MaxRequestBytes} bytes: send the albums in several smaller batches."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, "The body is not valid JSON", ex.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > limits.MaxAlbumsPerRequest)
            {
                return TooLarge(string.Create(CultureInfo.InvariantCulture,
                    $"The batch holds {root.GetArrayLength()} albums; at most {limits.MaxAlbumsPerRequest} are accepted per request."));
            }

            var (albums, errors) = AlbumBatchReader.Read(root, limits.DefaultApiSource);
            if (errors.Count > 0)
            {
                var items = errors.Where(e => e.Index is not null).Select(e => e.Index).Distinct().Count();
                var detail = items == 0
                    ? errors[0].Reason
                    : string.Create(CultureInfo.InvariantCulture,
                        $"{items} of {root.GetArrayLength()} albums have problems ({errors.Count} in all{(errors.Count > MaxErrorsListed ? $", the first {MaxErrorsListed} listed" : "")}); nothing was written.");
                return TypedResults.Problem(
                    detail: detail,
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "The batch was refused",
                    extensions: new Dictionary<string, object?> { ["errors"] = errors.Take(MaxErrorsListed).ToList() });
            }

            return TypedResults.Ok(await writer.UpsertAsync(albums, cancellationToken));
        }
    }

    internal static async Task<Results<Ok<StoredAlbum>, ProblemHttpResult>> GetAlbumAsync(long id, AlbumLookup lookup, CancellationToken cancellationToken)
    {
        var album = await lookup.FindAsync(id, cancellationToken);
        return album is null
            ? Problem(StatusCodes.Status404NotFound, "Album not found", string.Create(CultureInfo.InvariantCulture, $"No album has id {id}."))
            : TypedResults.Ok(album);
    }

    /// <summary>The body, or null when it is larger than the limit (read no further than that, whatever it claims).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        // The server's own limit (Kestrel: 30 MB) must not cut in first when ours is set higher.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = (long)maxBytes + 1;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.ToArray();
    }

    private static ProblemHttpResult TooLarge(string detail) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "The batch is too large", detail);

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}

/// <summary>The intake's route groups: what only reads, and what writes.</summary>
public sealed record AlbumApiRoutes(RouteGroupBuilder Reads, RouteGroupBuilder Writes);
