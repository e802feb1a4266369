using System.Text;

namespace EnrichmentWorker.Hosting;

/// <summary>
/// Text for a terminal: values from files and the database may hold ANSI escapes (which recolour, move the cursor or
/// retitle the window) and bidirectional overrides (which reverse the text around them). Both are dropped; line
/// breaks and tabs stay.
/// </summary>
public static class TerminalText
{
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.AsSpan().ContainsAny(Unsafe))
        {
            return text ?? string.Empty;
        }

        var clean = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!IsUnsafe(c))
            {
                clean.Append(c);
            }
        }

        return clean.ToString();
    }

    public static bool IsUnsafe(char c) => (char.IsControl(c) && c is not ('\n' or '\r' or '\t')) || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    private static readonly System.Buffers.SearchValues<char> Unsafe = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x2070).Select(i => (char)i).Where(IsUnsafe)]);
}

/// <summary>A console writer that passes everything through <see cref="TerminalText.Clean"/>: what CLI commands print.</summary>
public sealed class TerminalTextWriter(TextWriter inner) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        if (!TerminalText.IsUnsafe(value))
        {
            inner.Write(value);
        }
    }

    public override void Write(string? value) => inner.Write(TerminalText.Clean(value));

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => inner.WriteLine(TerminalText.Clean(value));

    public override void Flush() => inner.Flush();
}

/// <summary>"1 album", "2 albums": counts in messages read as sentences.</summary>
public static class Plural
{
    public static string Of(long count, string noun) =>
        count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " " + (count == 1 ? noun : noun + "s");
}
