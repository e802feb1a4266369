using System.Globalization;

namespace EnrichmentWorker.Dashboard.Albums;

/// <summary>
/// Hostile but accepted text on list pages: cut to a readable length (the detail page has the whole value) and
/// isolated with &lt;bdi&gt;, so a right-to-left override in one artist cannot reverse the text around it.
/// </summary>
public static class ListText
{
    public static Markup Cut(string text, int length = AlbumList.ListTextLength) => Html.Of($"<bdi>{Shorten(text, length)}</bdi>");

    public static Markup Whole(string text) => Html.Of($"<bdi>{text}</bdi>");

    /// <summary>At most <paramref name="length"/> text elements and an ellipsis; never splits a surrogate pair or a combining sequence.</summary>
    public static string Shorten(string text, int length)
    {
        if (text.Length <= length)
        {
            return text;
        }

        var info = new StringInfo(text);
        return info.LengthInTextElements <= length ? text : info.SubstringByTextElements(0, length) + "…";
    }
}
