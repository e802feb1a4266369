using System.Globalization;
using System.Text.Json;

namespace EnrichmentWorker.Library;

/// <summary>
/// Reads and validates a whole JSON-lines file (one album object per line; blank lines skipped) into albums, or
/// throws <see cref="AlbumImportException"/> listing its problems by line.
/// </summary>
internal sealed class JsonLinesAlbumReader : IAlbumFileReader
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 4 };

    public async Task<IReadOnlyList<AlbumInput>> ReadAsync(Stream stream, string fileName, string source, CancellationToken cancellationToken)
    {
        var problems = new ImportProblems(fileName);
        var lines = new Utf8LineReader(stream);
        var albums = new AlbumCollector();
        var stoppedEarly = false;
        while (await lines.ReadLineAsync(cancellationToken) is { } line)
        {
            if (problems.IsFull)
            {
                stoppedEarly = true;
                break;
            }

            if (line.InvalidUtf8At is { } at)
            {
                problems.Add(line.Number, null, $"is not valid UTF-8 (bad byte at byte {at} of the line): save the file as UTF-8");
                continue;
            }

            if (line.TooLong)
            {
                problems.Add(line.Number, null, $"is longer than {Utf8LineReader.MaxLineBytes / 1024} KB (text fields hold at most {AlbumValidator.MaxTextLength} characters)");
                continue;
            }

            if (string.IsNullOrWhiteSpace(line.Text))
            {
                continue;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line.Text, Options);
            }
            catch (JsonException ex)
            {
                problems.Add(line.Number, null, $"is not valid JSON: {ex.Message}");
                continue;
            }

            using (document)
            {
                var fieldProblems = new List<FieldProblem>();
                var raw = AlbumJson.ReadFields(document.RootElement, sourceAllowed: false, fieldProblems);
                var album = fieldProblems.Count == 0 ? AlbumValidator.Validate(source, raw, fieldProblems) : null;
                if (album is not null && !albums.TryAdd(album, line.Number, out var first))
                {
                    fieldProblems.Add(AlbumCollector.Duplicate(album, !string.IsNullOrWhiteSpace(raw.GetValueOrDefault(AlbumField.SourceKey)),
                        string.Create(CultureInfo.InvariantCulture, $"on line {first}")));
                }

                problems.Add(line.Number, fieldProblems);
            }
        }

        problems.ThrowIfAny(stoppedEarly);
        return albums.Albums;
    }
}
