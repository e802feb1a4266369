namespace EnrichmentWorker.Library;

public enum AlbumFileFormat
{
    Csv,
    JsonLines,
}

/// <summary>Reads one import file into validated albums, all or nothing.</summary>
internal interface IAlbumFileReader
{
    /// <summary>Every album of the file, in file order; throws <see cref="AlbumImportException"/> on any bad row.</summary>
    Task<IReadOnlyList<AlbumInput>> ReadAsync(Stream stream, string fileName, string source, CancellationToken cancellationToken);
}

public static class AlbumFileFormats
{
    /// <summary>Parses <c>--format</c>: <c>csv</c>, or <c>jsonl</c> / <c>ndjson</c>.</summary>
    public static bool TryParse(string? name, out AlbumFileFormat format)
    {
        switch (name?.Trim().ToUpperInvariant())
        {
            case "CSV":
                format = AlbumFileFormat.Csv;
                return true;
            case "JSONL" or "NDJSON":
                format = AlbumFileFormat.JsonLines;
                return true;
            default:
                format = default;
                return false;
        }
    }

    /// <summary>The format a file's extension names: <c>.csv</c>, <c>.jsonl</c> or <c>.ndjson</c>.</summary>
    public static bool TryFromExtension(string path, out AlbumFileFormat format) =>
        TryParse(Path.GetExtension(path).TrimStart('.'), out format);
}
