using System.Globalization;

namespace EnrichmentWorker.Dashboard;

/// <summary>Reads filters and paging from query strings and forms; anything malformed is a 400 with a reason, never a 500.</summary>
public static class DashboardInput
{
    /// <summary>A keyset cursor: the last id of the previous page, a positive integer.</summary>
    public static bool TryAfter(string? value, out long? after, out string? error)
    {
        after = null;
        error = null;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0)
        {
            after = parsed;
            return true;
        }

        error = $"'after' must be an album id (a positive whole number), not '{value}'.";
        return false;
    }

    /// <summary>The optional reason given for pausing the queue: at most 500 characters, no NUL (PostgreSQL text cannot hold it).</summary>
    public static bool TryReason(string? value, out string? reason, out string? error)
    {
        reason = string.IsNullOrWhiteSpace(value) ? null : value;
        error = value switch
        {
            { Length: > 500 } => "The reason is longer than 500 characters.",
            not null when value.Contains('\0', StringComparison.Ordinal) => "The reason contains a NUL character.",
            _ => null,
        };
        return error is null;
    }

    /// <summary>overwriteManual: absent (false), true or false; anything else is the caller's mistake.</summary>
    public static bool TryFlag(string? value, out bool flag, out string? error)
    {
        flag = false;
        error = null;
        if (string.IsNullOrEmpty(value) || bool.TryParse(value, out flag))
        {
            return true;
        }

        error = $"'overwriteManual' must be true or false, not '{value}'.";
        return false;
    }

    /// <summary>
    /// The posted form, or null when the body is not a form (a script posting JSON to a page's URL) or cannot be read
    /// as one: the caller answers 400, where ReadFormAsync would throw and give a 500.
    /// </summary>
    public static async Task<IFormCollection?> TryReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return null;
        }

        try
        {
            return await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException)
        {
            return null; // malformed multipart, or over the form limits
        }
    }

    /// <summary>A needs-review cursor as <see cref="ReviewCursor.ToString"/> writes it (the <c>nextAfter</c> of the previous page).</summary>
    public static bool TryReviewCursor(string? value, out ReviewCursor? after, out string? error)
    {
        after = null;
        error = null;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        var parts = value.Split('_');
        if (parts.Length == 2
            && float.TryParse(parts[0], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var score)
            && float.IsFinite(score)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var albumId) && albumId > 0)
        {
            after = new ReviewCursor(score, albumId);
            return true;
        }

        error = $"'after' must be the nextAfter of the previous page (score_albumid, e.g. 0.83_1042), not '{value}'.";
        return false;
    }

    public static bool TryChoice(string? kind, string? id, out ManualChoice choice, out string? error)
    {
        choice = new ManualChoice(null, null);
        error = null;
        if (kind is null or "" or "none")
        {
            return true;
        }

        if (kind is not ("master" or "release"))
        {
            error = $"'kind' must be master, release or none, not '{kind}'.";
            return false;
        }

        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed <= 0)
        {
            error = "'id' must be the Discogs id of the chosen master or release.";
            return false;
        }

        choice = new ManualChoice(kind, parsed);
        return true;
    }
}
