using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EnrichmentWorker.Export;

/// <summary>One genre or style of one album, as the playlist pipeline reads it: the album by its source key.</summary>
public sealed record AlbumGenreRow(string AlbumId, string Genre, string Source, string Kind);

/// <summary>The formats <c>export</c> writes.</summary>
public enum ExportFormat
{
    Csv,
    JsonLines,
    Sqlite,
}

/// <summary>
/// Writes <c>album_genres</c> out for the pipelines that read results elsewhere: CSV or JSON lines (streamed, so any
/// size fits), or into a SQLite database file's <c>album_genres(album_id, genre, source)</c> table.
/// </summary>
public sealed class AlbumGenreExport(NpgsqlDataSource dataSource)
{
    private const string Rows = """
        SELECT a.source_key AS AlbumId, g.genre AS Genre, g.source AS Source, g.kind AS Kind
        FROM album_genres g JOIN albums a ON a.id = g.album_id
        ORDER BY a.source_key, a.id, g.kind, g.genre, g.source
        """;

    /// <summary>Writes every row as CSV (with a header) or JSON lines; returns how many.</summary>
    public async Task<int> WriteTextAsync(Stream output, ExportFormat format, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        if (format == ExportFormat.Csv)
        {
            await writer.WriteLineAsync("album_id,genre,source,kind");
        }

        var count = 0;
        await foreach (var row in ReadAsync(cancellationToken))
        {
            await writer.WriteLineAsync(format == ExportFormat.Csv
                ? string.Join(',', Csv(row.AlbumId), Csv(row.Genre), row.Source, row.Kind)
                : JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["album_id"] = row.AlbumId,
                    ["genre"] = row.Genre,
                    ["source"] = row.Source,
                    ["kind"] = row.Kind,
                }));
            count++;
        }

        return count;
    }

    /// <summary>
    /// Upserts into the SQLite file's <c>album_genres</c> (created if absent) in one transaction: each exported
    /// album's Discogs rows are replaced by today's, so a genre Discogs dropped goes too, while rows of other sources,
    /// albums not exported and every other table are left alone. Genre and style become rows alike (the table has no
    /// kind); one named both is written once. Returns the rows written.
    /// </summary>
    public async Task<int> WriteSqliteAsync(string path, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
        await using var sqlite = new SqliteConnection(builder.ConnectionString);
        await sqlite.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await sqlite.BeginTransactionAsync(cancellationToken);
        await sqlite.ExecuteAsync(new CommandDefinition("""
            CREATE TABLE IF NOT EXISTS album_genres (
                album_id TEXT NOT NULL,
                genre    TEXT NOT NULL,
                source   TEXT NOT NULL,
                PRIMARY KEY (album_id, genre, source)
            )
            """, transaction: transaction, cancellationToken: cancellationToken));

        await using var clear = sqlite.CreateCommand();
        clear.Transaction = transaction;
        clear.CommandText = "DELETE FROM album_genres WHERE album_id = $album AND source IN ('discogs_release', 'discogs_master')";
        var clearAlbum = clear.Parameters.Add("$album", SqliteType.Text);
        await using var insert = sqlite.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO album_genres (album_id, genre, source) VALUES ($album, $genre, $source)";
        var album = insert.Parameters.Add("$album", SqliteType.Text);
        var genre = insert.Parameters.Add("$genre", SqliteType.Text);
        var source = insert.Parameters.Add("$source", SqliteType.Text);

        var written = 0;
        string? current = null;
        var seen = new HashSet<(string, string)>();
        await foreach (var row in ReadAsync(cancellationToken))
        {
            if (row.AlbumId != current)
            {
                current = row.AlbumId;
                seen.Clear();
                clearAlbum.Value = row.AlbumId;
                await clear.ExecuteNonQueryAsync(cancellationToken);
            }

            if (!seen.Add((row.Genre, row.Source)))
            {
                continue;
            }

            album.Value = row.AlbumId;
            genre.Value = row.Genre;
            source.Value = row.Source;
            await insert.ExecuteNonQueryAsync(cancellationToken);
            written++;
        }

        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    private async IAsyncEnumerable<AlbumGenreRow> ReadAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await foreach (var row in connection.QueryUnbufferedAsync<AlbumGenreRow>(Rows).WithCancellation(cancellationToken))
        {
            yield return row;
        }
    }

    /// <summary>RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled.</summary>
    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static bool TryParseFormat(string name, out ExportFormat format)
    {
        switch (name.ToLowerInvariant())
        {
            case "csv": format = ExportFormat.Csv; return true;
            case "jsonl" or "ndjson" or "json": format = ExportFormat.JsonLines; return true;
            case "sqlite" or "sqlite3" or "db": format = ExportFormat.Sqlite; return true;
            default: format = default; return false;
        }
    }

    public static bool TryFormatOfFile(string path, out ExportFormat format) =>
        TryParseFormat(Path.GetExtension(path).TrimStart('.').ToString(CultureInfo.InvariantCulture), out format);
}
