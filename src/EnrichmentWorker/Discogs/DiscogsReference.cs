using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EnrichmentWorker.Discogs;

/// <summary>The two things an album can be matched to on Discogs.</summary>
public enum DiscogsEntity
{
    Release,
    Master,
}

/// <summary>
/// A Discogs release or master as a person names it: the page's address, Discogs' own [r123] / [m456] notation, or a
/// number with the kind chosen beside it. Parsed whole or refused with what is accepted, never guessed at.
/// </summary>
public sealed partial record DiscogsReference(DiscogsEntity Entity, long Id)
{
    public const string Accepted =
        "Paste the address of a Discogs release or master page (https://www.discogs.com/release/123-Artist-Title, https://www.discogs.com/master/456-Artist-Title), " +
        "or write r123 / m456 ([r123] and [m456] as Discogs writes them), or give the number and choose release or master.";

    /// <summary>"release" or "master": the word album_matches, the candidates and the API use.</summary>
    public string Kind => Entity == DiscogsEntity.Master ? "master" : "release";

    public string PageUrl => $"https://www.discogs.com/{Kind}/{Id.ToString(CultureInfo.InvariantCulture)}";

    public override string ToString() => $"{Kind} {Id.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>"release" / "master" (any case) as the kind for a bare number; null for anything else.</summary>
    public static DiscogsEntity? EntityOf(string? kind) => kind?.Trim().ToLowerInvariant() switch
    {
        "release" or "r" => DiscogsEntity.Release,
        "master" or "m" => DiscogsEntity.Master,
        _ => null,
    };

    /// <param name="text">What the person pasted.</param>
    /// <param name="kindOfBareNumber">What a bare number means; a URL or r/m notation says it itself and wins.</param>
    public static bool TryParse(string? text, DiscogsEntity? kindOfBareNumber, [NotNullWhen(true)] out DiscogsReference? reference, [NotNullWhen(false)] out string? error)
    {
        reference = null;
        var input = text?.Trim() ?? "";
        if (input.Length == 0)
        {
            error = "Nothing was given. " + Accepted;
            return false;
        }

        if (input.Length > 500)
        {
            error = "That is longer than any Discogs address (500 characters at most). " + Accepted;
            return false;
        }

        if (Notation().Match(input) is { Success: true } notation)
        {
            return TryId(notation.Groups["id"].Value, char.ToLowerInvariant(notation.Groups["kind"].Value[0]) == 'm' ? DiscogsEntity.Master : DiscogsEntity.Release, input, out reference, out error);
        }

        if (input.All(char.IsAsciiDigit))
        {
            if (kindOfBareNumber is not { } kind)
            {
                error = $"'{input}' is a number without a kind: choose whether it is a release or a master (or write r{input} / m{input}).";
                return false;
            }

            return TryId(input, kind, input, out reference, out error);
        }

        return TryUrl(input, out reference, out error);
    }

    private static bool TryUrl(string input, [NotNullWhen(true)] out DiscogsReference? reference, [NotNullWhen(false)] out string? error)
    {
        reference = null;
        if (!input.Contains("://", StringComparison.Ordinal) && !input.Contains('.', StringComparison.Ordinal))
        {
            error = $"'{input}' is not a Discogs address or id. " + Accepted;
            return false;
        }

        // "discogs.com/release/1" and "www.discogs.com/…" are pasted without a scheme as often as with one.
        var withScheme = input.Contains("://", StringComparison.Ordinal) ? input : "https://" + input;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            error = $"'{input}' is not a Discogs address or id. " + Accepted;
            return false;
        }

        var host = uri.IdnHost.ToLowerInvariant();
        if (host != "discogs.com" && !host.EndsWith(".discogs.com", StringComparison.Ordinal))
        {
            error = $"'{input}' is an address on {host}, not on discogs.com. " + Accepted;
            return false;
        }

        // Site pages: /release/123-Artist-Title, with an optional language (/de/release/…) or the older
        // /Artist-Title/release/123 before it. The API's own URLs: api.discogs.com/releases/123, /masters/456.
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var entity = segments[i].ToLowerInvariant() switch
            {
                "release" or "releases" => DiscogsEntity.Release,
                "master" or "masters" => DiscogsEntity.Master,
                _ => (DiscogsEntity?)null,
            };
            if (entity is { } found && PageId().Match(segments[i + 1]) is { Success: true } id)
            {
                return TryId(id.Groups["id"].Value, found, input, out reference, out error);
            }
        }

        error = $"'{input}' is a Discogs address, but not of a release or master page (an artist, label or search page cannot be an album's match). " + Accepted;
        return false;
    }

    private static bool TryId(string digits, DiscogsEntity entity, string input, [NotNullWhen(true)] out DiscogsReference? reference, [NotNullWhen(false)] out string? error)
    {
        if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
        {
            reference = new DiscogsReference(entity, id);
            error = null;
            return true;
        }

        reference = null;
        error = $"'{input}' does not hold a Discogs id: ids are whole numbers from 1 up. " + Accepted;
        return false;
    }

    /// <summary>r123, m456, [r123], [m456]: Discogs' own shorthand (its forum and notes link this way).</summary>
    [GeneratedRegex(@"^(?:\[(?<kind>[rRmM])(?<id>[0-9]+)\]|(?<kind>[rRmM])(?<id>[0-9]+))$", RegexOptions.CultureInvariant)]
    private static partial Regex Notation();

    /// <summary>"123" or "123-Artist-Title": the id leads the page's slug.</summary>
    [GeneratedRegex(@"^(?<id>[0-9]+)(-.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PageId();
}
