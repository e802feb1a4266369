using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EnrichmentWorker.Library;

/// <summary>A field of one album that cannot be taken as given, and why, in words a user can act on.</summary>
public sealed record FieldProblem(string? Field, string Reason)
{
    public FieldProblem(AlbumField field, string reason)
        : this(AlbumFieldNames.NameOf(field), reason)
    {
    }
}

/// <summary>
/// Turns the raw text of one album (from a CSV row, a JSON line or an HTTP batch item) into an <see cref="AlbumInput"/>,
/// with the same rules for every way in. Tags are stored exactly as given (no trimming, no case folding): only the
/// source and source key, which are identifiers, are trimmed.
/// </summary>
public static class AlbumValidator
{
    /// <summary>Longest text field, in UTF-16 code units. Real tags are far shorter; this only stops abuse.</summary>
    public const int MaxTextLength = 4096;

    public const int MaxSourceLength = 200;

    public const int MaxSourceKeyLength = 500;

    public const int MinYear = 1000;

    public const int MaxYear = 2100;

    public const int MaxTrackCount = 10_000;

    /// <summary>Builds the album, or returns null after adding each problem found to <paramref name="problems"/>.</summary>
    public static AlbumInput? Validate(string? defaultSource, IReadOnlyDictionary<AlbumField, string?> raw, List<FieldProblem> problems)
    {
        var before = problems.Count;
        string? Get(AlbumField field) => raw.TryGetValue(field, out var value) ? value : null;

        var source = Identifier(AlbumField.Source, Get(AlbumField.Source) ?? defaultSource, MaxSourceLength, problems);
        if (source is null && problems.Count == before)
        {
            problems.Add(new FieldProblem(AlbumField.Source, "is missing"));
        }

        var artist = RequiredText(AlbumField.Artist, Get(AlbumField.Artist), problems);
        var title = RequiredText(AlbumField.Title, Get(AlbumField.Title), problems);
        var albumArtist = OptionalText(AlbumField.AlbumArtist, Get(AlbumField.AlbumArtist), problems);
        var catalogNumber = OptionalText(AlbumField.CatalogNumber, Get(AlbumField.CatalogNumber), problems);
        var barcode = OptionalText(AlbumField.Barcode, Get(AlbumField.Barcode), problems);
        var year = OptionalNumber(AlbumField.Year, Get(AlbumField.Year), MinYear, MaxYear, problems);
        var trackCount = OptionalNumber(AlbumField.TrackCount, Get(AlbumField.TrackCount), 1, MaxTrackCount, problems);
        var releaseId = OptionalNumber(AlbumField.DiscogsReleaseId, Get(AlbumField.DiscogsReleaseId), 1, long.MaxValue, problems);
        var masterId = OptionalNumber(AlbumField.DiscogsMasterId, Get(AlbumField.DiscogsMasterId), 1, long.MaxValue, problems);
        var sourceKey = Identifier(AlbumField.SourceKey, Get(AlbumField.SourceKey), MaxSourceKeyLength, problems);

        if (problems.Count > before || source is null || artist is null || title is null)
        {
            return null;
        }

        return new AlbumInput(
            source,
            sourceKey ?? StableKey(artist, title, (int?)year),
            new AlbumTags(artist, albumArtist, title, (int?)year, (int?)trackCount, catalogNumber, barcode, releaseId, masterId));
    }

    /// <summary>
    /// The key of an album given without one: derived from its artist, title and year, so importing the same file
    /// again finds the same rows. (Changing one of those tags in such a file therefore adds a new album.)
    /// </summary>
    public static string StableKey(string artist, string title, int? year)
    {
        var text = string.Join('\u001f', artist, title, year?.ToString(CultureInfo.InvariantCulture) ?? "");
        return "tags:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }

    private static string? RequiredText(AlbumField field, string? value, List<FieldProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add(new FieldProblem(field, value is null ? "is missing" : "is blank"));
            return null;
        }

        return CheckText(field, value, MaxTextLength, problems) ? value : null;
    }

    private static string? OptionalText(AlbumField field, string? value, List<FieldProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return CheckText(field, value, MaxTextLength, problems) ? value : null;
    }

    private static string? Identifier(AlbumField field, string? value, int maxLength, List<FieldProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        return CheckText(field, trimmed, maxLength, problems) ? trimmed : null;
    }

    private static long? OptionalNumber(AlbumField field, string? value, long min, long max, List<FieldProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (value.Length > 40)
        {
            problems.Add(new FieldProblem(field, $"is {Describe(value)}, not a whole number"));
            return null;
        }

        if (!long.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            problems.Add(new FieldProblem(field, $"is {Describe(value)}, not a whole number"));
            return null;
        }

        if (number < min || number > max)
        {
            var range = max == long.MaxValue ? $"must be {min} or more" : $"must be between {min} and {max}";
            problems.Add(new FieldProblem(field, $"is {number.ToString(CultureInfo.InvariantCulture)}: {range}"));
            return null;
        }

        return number;
    }

    private static bool CheckText(AlbumField field, string value, int maxLength, List<FieldProblem> problems)
    {
        if (value.Length > maxLength)
        {
            problems.Add(new FieldProblem(field, $"is longer than {maxLength} characters"));
            return false;
        }

        // PostgreSQL text cannot hold NUL, and a lone surrogate cannot be encoded as UTF-8: refuse both here, with the
        // field named, rather than fail the whole write later with a driver error.
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            problems.Add(new FieldProblem(field, "contains a NUL character"));
            return false;
        }

        if (!IsWellFormedUtf16(value))
        {
            problems.Add(new FieldProblem(field, "contains an unpaired surrogate (not valid Unicode text)"));
            return false;
        }

        return true;
    }

    private static bool IsWellFormedUtf16(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A value quoted for a message, shortened so a huge field cannot flood the output.</summary>
    internal static string Describe(string value) =>
        value.Length <= 40 ? $"'{value}'" : $"'{value[..37]}...' ({value.Length} characters)";
}
