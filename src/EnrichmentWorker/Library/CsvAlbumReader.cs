using System.Globalization;

namespace EnrichmentWorker.Library;

/// <summary>
/// Reads and validates a whole CSV file (RFC 4180, a header row naming the columns) into albums, or throws
/// <see cref="AlbumImportException"/> listing its problems by line.
/// </summary>
internal sealed class CsvAlbumReader : IAlbumFileReader
{
    public async Task<IReadOnlyList<AlbumInput>> ReadAsync(Stream stream, string fileName, string source, CancellationToken cancellationToken)
    {
        var problems = new ImportProblems(fileName);
        var lines = new Utf8LineReader(stream);
        var parser = new CsvRecordParser((line, reason) => problems.Add(line, null, reason));
        var albums = new AlbumCollector();
        AlbumField[]? columns = null;
        var stoppedEarly = false;

        void Handle(CsvRecord record, bool cutShort)
        {
            if (columns is null)
            {
                columns = ReadHeader(record, problems);
                return;
            }

            HandleRow(record, cutShort, columns, source, problems, albums);
        }

        while (await lines.ReadLineAsync(cancellationToken) is { } line)
        {
            // Past the limit, or with a header that cannot be understood, reading on would only find more of the same.
            if (problems.IsFull || (columns is not null && columns.Length == 0))
            {
                stoppedEarly = true;
                break;
            }

            if (line.InvalidUtf8At is { } at)
            {
                problems.Add(line.Number, null, $"is not valid UTF-8 (bad byte at byte {at} of the line): save the file as UTF-8");
            }

            foreach (var record in parser.Feed(line.Number, line.Text))
            {
                Handle(record, cutShort: false);
            }

            if (line.TooLong && parser.TakePartialRecord() is { } partial)
            {
                Handle(partial, cutShort: true);
            }
        }

        if (!stoppedEarly && parser.Finish() is { } last)
        {
            Handle(last, cutShort: false);
        }

        if (columns is null && !problems.Any)
        {
            problems.Add(1, null, $"is empty: expected a header row naming the columns ({AlbumFieldNames.FileFieldList})");
        }

        problems.ThrowIfAny(stoppedEarly);
        return albums.Albums;
    }

    /// <summary>The column of each header field, or an empty array (after reporting why) when it cannot be used.</summary>
    private static AlbumField[] ReadHeader(CsvRecord header, ImportProblems problems)
    {
        var columns = new List<AlbumField>();
        var ok = true;
        foreach (var name in header.Fields)
        {
            if (!AlbumFieldNames.TryParse(name, out var field))
            {
                problems.Add(header.Line, null, $"has an unknown column {AlbumValidator.Describe(name)} in the header (known: {AlbumFieldNames.FileFieldList})");
                ok = false;
            }
            else if (field == AlbumField.Source)
            {
                problems.Add(header.Line, null, "has a 'source' column: the source is named for the whole file (--source)");
                ok = false;
            }
            else if (columns.Contains(field))
            {
                problems.Add(header.Line, null, $"names the column '{AlbumFieldNames.NameOf(field)}' twice in the header");
                ok = false;
            }

            columns.Add(field);
        }

        foreach (var required in new[] { AlbumField.Artist, AlbumField.Title })
        {
            if (!columns.Contains(required))
            {
                problems.Add(header.Line, null, $"has no '{AlbumFieldNames.NameOf(required)}' column in the header (it is required)");
                ok = false;
            }
        }

        return ok ? [.. columns] : [];
    }

    private static void HandleRow(CsvRecord record, bool cutShort, AlbumField[] columns, string source, ImportProblems problems, AlbumCollector albums)
    {
        if (cutShort)
        {
            // Only the start of this row was read: say which field overflowed, not that fields are missing.
            var named = false;
            for (var i = 0; i < record.Fields.Count && i < columns.Length; i++)
            {
                if (record.Fields[i].Length > CsvRecordParser.MaxFieldLength)
                {
                    problems.Add(record.Line, AlbumFieldNames.NameOf(columns[i]), $"is longer than {AlbumValidator.MaxTextLength} characters");
                    named = true;
                }
            }

            if (!named)
            {
                problems.Add(record.Line, null, $"is longer than {Utf8LineReader.MaxLineBytes / 1024} KB");
            }

            return;
        }

        if (record.Fields.Count != columns.Length)
        {
            problems.Add(record.Line, null, string.Create(CultureInfo.InvariantCulture,
                $"has {record.Fields.Count} fields but the header has {columns.Length} (a comma inside a field needs quotes)"));
            return;
        }

        var raw = new Dictionary<AlbumField, string?>();
        for (var i = 0; i < columns.Length; i++)
        {
            raw[columns[i]] = record.Fields[i];
        }

        var fieldProblems = new List<FieldProblem>();
        var album = AlbumValidator.Validate(source, raw, fieldProblems);
        if (album is not null && !albums.TryAdd(album, record.Line, out var first))
        {
            fieldProblems.Add(AlbumCollector.Duplicate(album, !string.IsNullOrWhiteSpace(raw.GetValueOrDefault(AlbumField.SourceKey)),
                string.Create(CultureInfo.InvariantCulture, $"on line {first}")));
        }

        problems.Add(record.Line, fieldProblems);
    }
}
