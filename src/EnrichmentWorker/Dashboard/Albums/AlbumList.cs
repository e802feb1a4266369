using EnrichmentWorker.Matching;
using System.Globalization;
using System.Text;
using Dapper;
using Npgsql;

namespace EnrichmentWorker.Dashboard.Albums;

/// <summary>What an album's latest decision says, or that it has none yet.</summary>
public enum AlbumOutcome
{
    Matched,
    NeedsReview,
    NoMatch,
    NotEnriched,
}

/// <summary>The album list's filters, each optional; <see cref="After"/> is the last album id of the previous page.</summary>
public sealed record AlbumListFilter(string? Query, AlbumOutcome? Outcome, string? Genre, long? After);

/// <summary>One line of the list: long values are already cut (<see cref="AlbumList.ListTextLength"/>).</summary>
public sealed record AlbumListItem(long Id, string Artist, string Title, int? Year, string? Status, double? Score, bool Manual);

public sealed record AlbumListPageData(IReadOnlyList<AlbumListItem> Items, long? NextAfter);

/// <summary>
/// The albums list: search (accents and case folded by the database's album_search_fold, migration 0010), outcome,
/// genre or style, newest album first, keyset-paged by album id. One statement per page; every filter is a fixed SQL
/// fragment with parameters, so each combination gets a plan for exactly the filters given.
/// </summary>
public sealed class AlbumList(NpgsqlDataSource dataSource)
{
    public const int PageSize = 50;

    /// <summary>Characters of artist and title a list line carries: a 300,000-character artist costs 120 here.</summary>
    public const int ListTextLength = 120;

    public const int MaxQueryLength = 200;

    public const int MaxGenreLength = 200;

    /// <summary>Words of a search beyond this many narrow nothing a person would notice; they are ignored.</summary>
    public const int MaxWords = 8;

    public static IReadOnlyList<string> Words(string? query) =>
        query is null ? [] : [.. query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).Take(MaxWords)];

    public async Task<AlbumListPageData> PageAsync(AlbumListFilter filter, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("""
            SELECT a.id AS Id, left(a.artist, @cut) AS Artist, left(a.title, @cut) AS Title, a.year AS Year,
                   m.status AS Status, m.score::float8 AS Score, coalesce(m.manual, false) AS Manual
            FROM albums a
            LEFT JOIN album_matches m ON m.album_id = a.id
            WHERE true
            """);
        if (filter.After is not null)
        {
            sql.Append("\n  AND a.id < @after");
        }

        var words = Words(filter.Query);
        var parameters = new DynamicParameters();
        for (var i = 0; i < words.Count; i++)
        {
            // Every word somewhere in "artist title", in any order. The same expression as the index
            // albums_search_folded_trgm; LIKE's own wildcards in the text are escaped.
            sql.Append(CultureInfo.InvariantCulture, $"\n  AND album_search_fold(a.artist || ' ' || a.title) LIKE '%' || album_search_fold(@word{i}) || '%'");
            parameters.Add("word" + i.ToString(CultureInfo.InvariantCulture), EscapeLike(words[i]));
        }

        sql.Append(filter.Outcome switch
        {
            null => "",
            AlbumOutcome.NotEnriched => "\n  AND m.album_id IS NULL",
            _ => "\n  AND m.status = @status",
        });
        if (filter.Genre is not null)
        {
            sql.Append("\n  AND EXISTS (SELECT 1 FROM album_genres g WHERE g.genre = @genre AND g.album_id = a.id)");
        }

        sql.Append("\nORDER BY a.id DESC\nLIMIT @limit");

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        parameters.AddDynamicParams(new
        {
            cut = ListTextLength + 1,
            after = filter.After,
            status = filter.Outcome is { } outcome ? ToDb(outcome) : null,
            genre = filter.Genre,
            limit = PageSize + 1,
        });
        var rows = (await connection.QueryAsync<AlbumListItem>(new CommandDefinition(sql.ToString(), parameters, cancellationToken: cancellationToken))).AsList();
        var more = rows.Count > PageSize;
        var items = more ? rows[..PageSize] : rows;
        return new AlbumListPageData(items, more ? items[^1].Id : null);
    }

    public static string? ToDb(AlbumOutcome outcome) => outcome switch
    {
        AlbumOutcome.Matched => MatchOutcomeColumn.Matched,
        AlbumOutcome.NeedsReview => MatchOutcomeColumn.NeedsReview,
        AlbumOutcome.NoMatch => MatchOutcomeColumn.NoMatch,
        _ => null,
    };

    public static string ToParameter(AlbumOutcome outcome) => outcome switch
    {
        AlbumOutcome.Matched => "matched",
        AlbumOutcome.NeedsReview => "needs-review",
        AlbumOutcome.NoMatch => "no-match",
        _ => "not-enriched",
    };

    /// <summary>Reads the list's query string; anything malformed is a sentence saying which parameter and why.</summary>
    public static bool TryReadFilter(string? q, string? outcome, string? genre, string? after, out AlbumListFilter filter, out string? error)
    {
        filter = new AlbumListFilter(null, null, null, null);
        error = null;
        q = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        genre = string.IsNullOrWhiteSpace(genre) ? null : genre.Trim();
        if (q is { Length: > MaxQueryLength } || genre is { Length: > MaxGenreLength })
        {
            error = $"The search text and the genre may each be at most {MaxQueryLength} characters.";
            return false;
        }

        // PostgreSQL text cannot hold NUL, and no artist, title or genre contains a control character.
        if ((q ?? "").Any(char.IsControl) || (genre ?? "").Any(char.IsControl))
        {
            error = "The search text or genre contains a control character; search for letters, digits and punctuation.";
            return false;
        }

        AlbumOutcome? parsedOutcome = null;
        if (!string.IsNullOrEmpty(outcome))
        {
            var known = Enum.GetValues<AlbumOutcome>().Where(o => ToParameter(o) == outcome).ToList();
            if (known.Count == 0)
            {
                error = $"Unknown outcome '{outcome}'. Use one of: {string.Join(", ", Enum.GetValues<AlbumOutcome>().Select(ToParameter))}.";
                return false;
            }

            parsedOutcome = known[0];
        }

        long? parsedAfter = null;
        if (!string.IsNullOrEmpty(after))
        {
            if (!long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
            {
                error = $"'after' must be an album id (a positive whole number), not '{after}'.";
                return false;
            }

            parsedAfter = id;
        }

        filter = new AlbumListFilter(q, parsedOutcome, genre, parsedAfter);
        return true;
    }

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
