using System.Globalization;
using System.Text;
using System.Text.Unicode;
using CsvHelper;

namespace EnrichmentWorker.Library;

/// <summary>
/// Reads and validates a whole CSV file (RFC 4180, a header row naming the columns) into albums, or throws
/// <see cref="AlbumImportException"/> listing its problems by line and column. CsvHelper parses; this class adds what
/// an import needs on top: the header's columns, invalid UTF-8 named by line and column (CsvHelper hands out the
/// raw bytes, which it would otherwise decode with replacement characters), malformed quoting as a problem of the
/// line it starts on, and a record size limit so one unclosed quote cannot make it buffer a whole large file.
/// </summary>
internal sealed class CsvAlbumReader(bool ignoreUnknownColumns = false) : IAlbumFileReader
{
    /// <summary>
    /// No valid album record comes near this. A record past it stops the reading; CsvHelper checks when it needs more
    /// input, so a record up to twice this may still be read whole (and then refused field by field): memory stays bounded.
    /// </summary>
    public const int MaxRecordBytes = 16 * 1024 * 1024;

    // A field with more bytes than this cannot be valid (4 bytes per character at most); only its start is decoded.
    private const int MaxFieldBytes = (AlbumValidator.MaxTextLength + 1) * 4;

    /// <summary>The header's columns the file named but the service does not know, when told to ignore them.</summary>
    public IReadOnlyList<string> IgnoredColumns { get; private set; } = [];

    public async Task<IReadOnlyList<AlbumInput>> ReadAsync(Stream stream, string fileName, string source, CancellationToken cancellationToken)
    {
        var problems = new ImportProblems(fileName);
        var albums = new AlbumCollector();
        var malformed = false;
        var options = CsvReaderOptions.Default with
        {
            HasHeader = false, // the header is read as a record, so its problems are reported like any other line's
            Separator = ',',
            TrackLineNumbers = true,
            // A library repeats its artists (and album artists, years) across albums: one string each, not one per row.
            PoolStrings = true,
            SkipEmptyLines = true,
            MaxRecordSize = MaxRecordBytes,
            OnMalformedRecord = record =>
            {
                // A quote inside an unquoted field is taken literally (12" Single), as most CSV writers expect.
                if (record.Reason == CsvMalformedReason.StrayQuote)
                {
                    return;
                }

                malformed = true;
                problems.Add(record.LineNumber, null, record.Reason == CsvMalformedReason.UnterminatedQuote
                    ? "has a quoted field that is never closed (a missing \" ?)"
                    : "has text right after a closing quote (a quote inside a quoted field is written \"\")");
            },
        };

        using var reader = CsvReader.Create(stream, options, leaveOpen: true);
        Column[]? columns = null;
        var stoppedEarly = false;
        try
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (malformed)
                {
                    // Its fields and their count mean nothing; the problem is reported already.
                    malformed = false;
                }
                else if (columns is null)
                {
                    columns = ReadHeader(reader.Current, reader.LineNumber, problems);
                }
                else
                {
                    ReadRow(reader.Current, reader.LineNumber, columns, source, problems, albums);
                }

                // Past the limit, or with a header that cannot be understood, reading on would only find more of the same.
                if (problems.IsFull || columns is { Length: 0 })
                {
                    stoppedEarly = true;
                    break;
                }
            }
        }
        catch (CsvFormatException ex) when (ex.Message.Contains("MaxRecordSize", StringComparison.Ordinal))
        {
            problems.Add(ex.LineNumber, null, $"starts a record longer than {MaxRecordBytes / 1024 / 1024} MB (a quoted field that is never closed?)");
            stoppedEarly = true;
        }

        if (columns is null && !problems.Any)
        {
            problems.Add(1, null, $"is empty: expected a header row naming the columns ({AlbumFieldNames.FileFieldList})");
        }

        problems.ThrowIfAny(stoppedEarly);
        return albums.Albums;
    }

    /// <summary>A header column: the album field it fills, or none when it is ignored.</summary>
    private readonly record struct Column(AlbumField? Field);

    /// <summary>The column of each header field, or an empty array (after reporting why) when it cannot be used.</summary>
    private Column[] ReadHeader(CsvRow header, long line, ImportProblems problems)
    {
        var columns = new List<Column>();
        var ignored = new List<string>();
        var ok = true;
        for (var i = 0; i < header.FieldCount; i++)
        {
            var name = Text(header, i, line, problems, null);
            if (name is null)
            {
                ok = false;
            }
            else if (!AlbumFieldNames.TryParse(name, out var field))
            {
                if (ignoreUnknownColumns)
                {
                    ignored.Add(name);
                    columns.Add(new Column(null));
                    continue;
                }

                problems.Add(line, null, $"has an unknown column {AlbumValidator.Describe(name)} in the header (known: {AlbumFieldNames.FileFieldList}; "
                    + "import with --ignore-unknown-columns to leave such columns out)");
                ok = false;
            }
            else if (field == AlbumField.Source)
            {
                problems.Add(line, null, "has a 'source' column: the source is named for the whole file (--source)");
                ok = false;
            }
            else if (columns.Contains(new Column(field)))
            {
                problems.Add(line, null, $"names the column '{AlbumFieldNames.NameOf(field)}' twice in the header");
                ok = false;
            }
            else
            {
                columns.Add(new Column(field));
                continue;
            }

            columns.Add(new Column(null));
        }

        foreach (var required in new[] { AlbumField.Artist, AlbumField.Title })
        {
            if (!columns.Contains(new Column(required)))
            {
                problems.Add(line, null, $"has no '{AlbumFieldNames.NameOf(required)}' column in the header (it is required)");
                ok = false;
            }
        }

        IgnoredColumns = ignored;
        return ok ? [.. columns] : [];
    }

    private static void ReadRow(CsvRow record, long line, Column[] columns, string source, ImportProblems problems, AlbumCollector albums)
    {
        if (record.FieldCount != columns.Length)
        {
            problems.Add(line, null, string.Create(CultureInfo.InvariantCulture,
                $"has {record.FieldCount} fields but the header has {columns.Length} (a comma inside a field needs quotes)"));
            return;
        }

        var raw = new Dictionary<AlbumField, string?>();
        var readable = true;
        for (var i = 0; i < columns.Length; i++)
        {
            if (columns[i].Field is { } field)
            {
                var value = Text(record, i, line, problems, field);
                readable &= value is not null;
                raw[field] = value;
            }
        }

        if (!readable)
        {
            return;
        }

        var fieldProblems = new List<FieldProblem>();
        var album = AlbumValidator.Validate(source, raw, fieldProblems);
        if (album is not null && !albums.TryAdd(album, line, out var first))
        {
            fieldProblems.Add(AlbumCollector.Duplicate(album, !string.IsNullOrWhiteSpace(raw.GetValueOrDefault(AlbumField.SourceKey)),
                string.Create(CultureInfo.InvariantCulture, $"on line {first}")));
        }

        problems.Add(line, fieldProblems);
    }

    /// <summary>A field's text, or null (after reporting it) when its bytes are not UTF-8.</summary>
    private static string? Text(CsvRow record, int index, long line, ImportProblems problems, AlbumField? field)
    {
        var bytes = record.GetSpan(index);
        if (!Utf8.IsValid(bytes))
        {
            problems.Add(line, field is { } f ? AlbumFieldNames.NameOf(f) : null,
                $"is not valid UTF-8 (bad byte at byte {FirstInvalidByte(bytes) + 1} of the field): save the file as UTF-8");
            return null;
        }

        // Enough of an enormous field for the validator to call it too long, without holding all of it twice.
        return bytes.Length > MaxFieldBytes ? Encoding.UTF8.GetString(bytes[..MaxFieldBytes]) : record.GetString(index);
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> bytes)
    {
        var at = 0;
        while (at < bytes.Length && System.Text.Rune.DecodeFromUtf8(bytes[at..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            at += consumed;
        }

        return at;
    }
}
