using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EnrichmentWorker.Library;

/// <summary>A bad item of an HTTP batch: its 0-based index (null for the body as a whole), the field and why.</summary>
public sealed record BatchItemError(
    [property: JsonPropertyName("index")] int? Index,
    [property: JsonPropertyName("field")] string? Field,
    [property: JsonPropertyName("reason")] string Reason);

/// <summary>Validates a whole HTTP batch (a JSON array of album objects) with the same rules as an import file.</summary>
internal static class AlbumBatchReader
{
    public static (IReadOnlyList<AlbumInput> Albums, IReadOnlyList<BatchItemError> Errors) Read(JsonElement root, string defaultSource)
    {
        var errors = new List<BatchItemError>();
        if (root.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new BatchItemError(null, null, "the body must be a JSON array of album objects"));
            return ([], errors);
        }

        var albums = new AlbumCollector();
        var index = 0;
        foreach (var item in root.EnumerateArray())
        {
            var problems = new List<FieldProblem>();
            var raw = AlbumJson.ReadFields(item, sourceAllowed: true, problems);
            var album = problems.Count == 0 ? AlbumValidator.Validate(defaultSource, raw, problems) : null;
            if (album is not null && !albums.TryAdd(album, index, out var first))
            {
                problems.Add(AlbumCollector.Duplicate(album, !string.IsNullOrWhiteSpace(raw.GetValueOrDefault(AlbumField.SourceKey)),
                    string.Create(CultureInfo.InvariantCulture, $"at index {first}")));
            }

            errors.AddRange(problems.Select(p => new BatchItemError(index, p.Field, p.Reason)));
            index++;
        }

        return (albums.Albums, errors);
    }
}
