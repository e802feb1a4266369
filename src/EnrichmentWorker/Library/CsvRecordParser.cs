using System.Text;

namespace EnrichmentWorker.Library;

/// <summary>One CSV record: its fields and the line it starts on (a quoted field may span several lines).</summary>
internal sealed record CsvRecord(long Line, IReadOnlyList<string> Fields);

/// <summary>
/// An RFC 4180 record parser fed one physical line at a time: quoted fields with doubled quotes, embedded commas and
/// line breaks (kept exactly, CRLF included), CRLF or LF record ends. A field is kept up to
/// <see cref="MaxFieldLength"/> + 1 characters, so an enormous field is still known to be too long without being
/// held. A quote inside an unquoted field is taken literally (<c>12" Single</c>), as most CSV writers expect.
/// </summary>
internal sealed class CsvRecordParser(Action<long, string> reportProblem)
{
    public const int MaxFieldLength = AlbumValidator.MaxTextLength;

    private readonly List<string> _fields = [];
    private readonly StringBuilder _field = new();
    private State _state = State.FieldStart;
    private long _recordLine;
    private long _quoteOpenedOn;
    private bool _recordHasQuotes;

    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }

    /// <summary>Parses one line (with its line ending); returns the records it completed.</summary>
    public List<CsvRecord> Feed(long lineNumber, string line)
    {
        var completed = new List<CsvRecord>();
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (_state == State.FieldStart && _fields.Count == 0)
            {
                _recordLine = lineNumber;
            }

            // A CR directly before the LF belongs to the line ending, outside quotes.
            if (c == '\r' && _state != State.Quoted && i + 1 < line.Length && line[i + 1] == '\n')
            {
                continue;
            }

            switch (_state)
            {
                case State.FieldStart when c == '"':
                    _state = State.Quoted;
                    _quoteOpenedOn = lineNumber;
                    _recordHasQuotes = true;
                    break;
                case State.FieldStart or State.Unquoted or State.QuoteInQuoted when c == ',':
                    EndField();
                    break;
                case State.FieldStart or State.Unquoted or State.QuoteInQuoted when c == '\n':
                    EndField();
                    EndRecord(completed);
                    break;
                case State.FieldStart or State.Unquoted:
                    _state = State.Unquoted;
                    Append(c);
                    break;
                case State.Quoted when c == '"':
                    _state = State.QuoteInQuoted;
                    break;
                case State.Quoted:
                    Append(c);
                    break;
                case State.QuoteInQuoted when c == '"':
                    _state = State.Quoted;
                    Append('"');
                    break;
                case State.QuoteInQuoted:
                    reportProblem(lineNumber, $"has '{c}' right after a closing quote (a quote inside a quoted field is written \"\")");
                    _state = State.Unquoted;
                    Append(c);
                    break;
            }
        }

        return completed;
    }

    /// <summary>
    /// Ends the input: returns the last record when the file does not end with a line break. A record whose quoted
    /// field never closed is reported as such and not returned: its fields and their count mean nothing.
    /// </summary>
    public CsvRecord? Finish()
    {
        if (_state == State.Quoted)
        {
            reportProblem(_quoteOpenedOn, "has a quoted field that is never closed (a missing \" ?)");
            return null;
        }

        if (_state == State.FieldStart && _fields.Count == 0)
        {
            return null;
        }

        EndField();
        var completed = new List<CsvRecord>();
        EndRecord(completed);
        return completed.Count > 0 ? completed[0] : null;
    }

    /// <summary>
    /// Takes the record in progress as it stands, closing an open quoted field, and starts afresh: for a line cut
    /// short because it was far too long, whose rest (and so the record's real end) was never read.
    /// </summary>
    public CsvRecord? TakePartialRecord()
    {
        if (_state == State.FieldStart && _fields.Count == 0)
        {
            return null;
        }

        EndField();
        var record = new CsvRecord(_recordLine, [.. _fields]);
        _fields.Clear();
        _recordHasQuotes = false;
        return record;
    }

    private void Append(char c)
    {
        if (_field.Length <= MaxFieldLength)
        {
            _field.Append(c);
        }
    }

    private void EndField()
    {
        _fields.Add(_field.ToString());
        _field.Clear();
        _state = State.FieldStart;
    }

    private void EndRecord(List<CsvRecord> completed)
    {
        // A blank line is no record; a line holding only "" is one (with one empty field).
        if (_recordHasQuotes || _fields.Count > 1 || _fields[0].Length > 0)
        {
            completed.Add(new CsvRecord(_recordLine, [.. _fields]));
        }

        _fields.Clear();
        _state = State.FieldStart;
        _recordHasQuotes = false;
    }
}
