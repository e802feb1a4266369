using System.Globalization;
using System.Text;

namespace EnrichmentWorker.Benchmarks.Library;

/// <summary>Writes a library as the CSV the service's <c>import</c> verb reads (header row, column names = albums columns).</summary>
public static class LibraryCsv
{
    public static async Task WriteAsync(string path, IEnumerable<LibraryAlbum> albums, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16);
        await writer.WriteAsync("source_key,artist,title,year\n");
        foreach (var album in albums)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await writer.WriteAsync(album.SourceKey);
            await writer.WriteAsync(',');
            await writer.WriteAsync(Quote(album.Artist));
            await writer.WriteAsync(',');
            await writer.WriteAsync(Quote(album.Title));
            await writer.WriteAsync(',');
            await writer.WriteAsync(album.Year?.ToString(CultureInfo.InvariantCulture) ?? "");
            await writer.WriteAsync('\n');
        }
    }

    private static string Quote(string field) => "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
