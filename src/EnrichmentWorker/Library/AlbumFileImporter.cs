using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Library;

/// <summary>What an import did, under which source name the file's albums live, and which columns it left out.</summary>
public sealed record AlbumImportResult(string File, string Source, AlbumFileFormat Format, AlbumUpsertResult Counts, IReadOnlyList<string> IgnoredColumns);

/// <summary>
/// Imports a CSV or JSON-lines file: the whole file is read and validated first, then written in one transaction,
/// so a bad row anywhere means nothing from the file is written.
/// </summary>
public sealed class AlbumFileImporter(AlbumWriter writer, IOptions<LibraryOptions> options)
{
    public Task<AlbumImportResult> ImportAsync(string path, AlbumFileFormat format, string source, CancellationToken cancellationToken) =>
        ImportAsync(path, format, source, ignoreUnknownColumns: false, cancellationToken);

    /// <param name="ignoreUnknownColumns">Leave out CSV columns the service does not know (real exports carry genre, path, ...)
    /// instead of refusing the file; the result lists them.</param>
    public async Task<AlbumImportResult> ImportAsync(string path, AlbumFileFormat format, string source, bool ignoreUnknownColumns, CancellationToken cancellationToken)
    {
        var csv = format == AlbumFileFormat.Csv ? new CsvAlbumReader(ignoreUnknownColumns) : null;
        IAlbumFileReader reader = csv ?? (IAlbumFileReader)new JsonLinesAlbumReader();

        IReadOnlyList<AlbumInput> albums;
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            albums = await reader.ReadAsync(stream, path, source, cancellationToken);
        }

        var counts = await writer.UpsertAsync(albums, options.Value.ImportStatementTimeout, cancellationToken);
        return new AlbumImportResult(path, source, format, counts, csv?.IgnoredColumns ?? []);
    }

    /// <summary>
    /// The source a file's albums are filed under when <c>--source</c> is not given: the file's name without its
    /// extension, so two different exports never overwrite each other's rows. Import a renamed file with the same
    /// <c>--source</c> to update rather than add.
    /// </summary>
    public static string DefaultSource(string path) => Path.GetFileNameWithoutExtension(path) is { Length: > 0 } name ? name : "import";
}
