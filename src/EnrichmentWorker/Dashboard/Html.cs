using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;

namespace EnrichmentWorker.Dashboard;

/// <summary>Markup that is already safe: only <see cref="Html"/> makes it, so nothing unencoded slips in.</summary>
public readonly struct Markup(string value)
{
    public static readonly Markup Empty = new("");

    public string Value => value ?? "";

    public override string ToString() => Value;
}

/// <summary>
/// The dashboard's template helper: <c>Html.Of($"&lt;td&gt;{album.Title}&lt;/td&gt;")</c> HTML-encodes every hole
/// (quotes included, so holes are safe inside quoted attributes) unless the hole is itself <see cref="Markup"/>.
/// Numbers and dates format with the invariant culture.
/// </summary>
public static class Html
{
    public static Markup Of([InterpolatedStringHandlerArgument] ref MarkupHandler handler) => handler.ToMarkup();

    public static Markup Join(IEnumerable<Markup> parts)
    {
        var builder = new StringBuilder();
        foreach (var part in parts)
        {
            builder.Append(part.Value);
        }

        return new Markup(builder.ToString());
    }

    public static Markup Join<T>(IEnumerable<T> items, Func<T, Markup> render) => Join(items.Select(render));

    public static Markup When(bool condition, Markup markup) => condition ? markup : Markup.Empty;

    public static string Encode(string? text) => HtmlEncoder.Default.Encode(text ?? "");
}

[InterpolatedStringHandler]
public ref struct MarkupHandler
{
    private readonly StringBuilder _builder;

    public MarkupHandler(int literalLength, int formattedCount) => _builder = new StringBuilder(literalLength + (formattedCount * 16));

    public readonly void AppendLiteral(string literal) => _builder.Append(literal);

    public readonly void AppendFormatted(Markup markup) => _builder.Append(markup.Value);

    public readonly void AppendFormatted(IEnumerable<Markup> parts)
    {
        foreach (var part in parts)
        {
            _builder.Append(part.Value);
        }
    }

    public readonly void AppendFormatted(string? text) => _builder.Append(HtmlEncoder.Default.Encode(text ?? ""));

    public readonly void AppendFormatted<T>(T value, string? format = null)
    {
        var text = value switch
        {
            null => "",
            IFormattable formattable => formattable.ToString(format, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        _builder.Append(HtmlEncoder.Default.Encode(text ?? ""));
    }

    internal readonly Markup ToMarkup() => new(_builder.ToString());
}
