using System.Buffers;
using System.Text;

namespace EnrichmentWorker.Library;

/// <summary>
/// One physical line of a file: its text with the line ending kept, and what was wrong with its bytes. A line that
/// was <see cref="TooLong"/> holds only its start, without a line ending.
/// </summary>
internal readonly record struct FileLine(long Number, string Text, bool TooLong, int? InvalidUtf8At);

/// <summary>
/// Reads a file as UTF-8 text one physical line at a time, streaming: a line longer than <see cref="MaxLineBytes"/>
/// keeps only its start in memory (the rest is skipped), so a 10 MB field costs a quarter of a megabyte, not ten.
/// Each line is decoded on its own with a throwing decoder, so invalid bytes are reported with their line number;
/// reading then goes on (with the bad bytes replaced) to find the file's other problems. '\n' is never part of a
/// multi-byte UTF-8 sequence, so splitting on it before decoding is safe.
/// </summary>
internal sealed class Utf8LineReader(Stream stream)
{
    /// <summary>No valid album line comes near this: eleven fields of <see cref="AlbumValidator.MaxTextLength"/>.</summary>
    public const int MaxLineBytes = 256 * 1024;

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly UTF8Encoding Lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly ArrayBufferWriter<byte> _line = new(4096);
    private int _start;
    private int _end;
    private long _number;
    private bool _atEnd;

    public async ValueTask<FileLine?> ReadLineAsync(CancellationToken cancellationToken)
    {
        _line.ResetWrittenCount();
        var tooLong = false;
        var complete = false;
        while (!complete)
        {
            if (_start == _end)
            {
                if (_atEnd)
                {
                    break;
                }

                _start = 0;
                _end = await stream.ReadAsync(_buffer, cancellationToken);
                if (_end == 0)
                {
                    _atEnd = true;
                    break;
                }
            }

            var available = _buffer.AsSpan(_start, _end - _start);
            var newline = available.IndexOf((byte)'\n');
            var chunk = newline < 0 ? available : available[..(newline + 1)];
            complete = newline >= 0;
            _start += chunk.Length;

            var room = MaxLineBytes - _line.WrittenCount;
            if (chunk.Length > room)
            {
                tooLong = true;
                chunk = chunk[..room];
            }

            _line.Write(chunk);
        }

        if (_line.WrittenCount == 0 && !complete)
        {
            return null;
        }

        _number++;
        var bytes = _line.WrittenSpan;
        if (_number == 1 && bytes.StartsWith(Encoding.UTF8.Preamble))
        {
            bytes = bytes[Encoding.UTF8.Preamble.Length..];
        }

        if (tooLong)
        {
            bytes = CutAtCharacterBoundary(bytes);
        }

        try
        {
            var text = Strict.GetString(bytes);
            return new FileLine(_number, text, tooLong, null);
        }
        catch (DecoderFallbackException ex)
        {
            var text = Lenient.GetString(bytes);
            return new FileLine(_number, text, tooLong, Math.Max(ex.Index, 0) + 1);
        }
    }

    /// <summary>Drops a multi-byte character cut in half by truncation, so the cut is not reported as invalid UTF-8.</summary>
    private static ReadOnlySpan<byte> CutAtCharacterBoundary(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.Length;
        while (end > 0 && (bytes[end - 1] & 0xC0) == 0x80)
        {
            end--;
        }

        return end > 0 && bytes[end - 1] >= 0xC0 ? bytes[..(end - 1)] : bytes[..end];
    }
}
