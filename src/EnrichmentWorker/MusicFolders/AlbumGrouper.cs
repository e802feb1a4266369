using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using EnrichmentWorker.Library;

namespace EnrichmentWorker.MusicFolders;

/// <summary>An album found in a music folder: what goes into <c>albums</c>, and the folders its tracks are in.</summary>
public sealed record FolderAlbum(AlbumInput Album, IReadOnlyList<string> Folders, int Tracks);

/// <summary>
/// Groups the tracks of one root into albums the way people's folders are laid out: one album per folder unless
/// the tags say otherwise (two album titles in a folder are two albums); <c>CD1</c>/<c>Disc 2</c> subfolders belong to
/// the folder above; a compilation (album artist "Various Artists", or the compilation flag) is one album however many
/// artists it has. Untagged tracks take their album from the folder name and the artist from the folder above.
/// <para>
/// The key of an album depends on its tags only, never on where it lies, so renaming or moving its folder within the
/// root finds the same row (and keeps its enrichment): the MusicBrainz release id when tagged, otherwise a hash of the
/// album's artist and title. The same album in two folders (a FLAC and an MP3 copy) is therefore one album.
/// </para>
/// </summary>
public sealed partial class AlbumGrouper
{
    public const string VariousArtists = "Various Artists";

    public (IReadOnlyList<FolderAlbum> Albums, IReadOnlyList<FolderProblem> Problems) Group(string source, IEnumerable<TrackFile> tracks)
    {
        var problems = new List<FolderProblem>();
        // Key -> tracks (with the folder each is counted in).
        var byKey = new Dictionary<string, List<(string Folder, TrackFile Track, string Artist, string Title)>>(StringComparer.Ordinal);
        foreach (var folderTracks in tracks.Where(t => t.Tags is not null).GroupBy(t => AlbumFolder(t.Path), StringComparer.Ordinal))
        {
            var folder = folderTracks.Key;
            foreach (var titled in folderTracks.GroupBy(t => TitleOf(folder, t.Tags!), StringComparer.OrdinalIgnoreCase))
            {
                var title = titled.Key;
                if (title.Length == 0)
                {
                    problems.Add(new FolderProblem(folder.Length == 0 ? "." : folder,
                        "tracks without an album tag directly in the root: tag them, or put them in an Artist/Album folder"));
                    continue;
                }

                foreach (var (artist, albumTracks) in SplitByArtist(folder, [.. titled]))
                {
                    if (artist.Length == 0)
                    {
                        problems.Add(new FolderProblem(folder.Length == 0 ? "." : folder, $"album '{title}' has no artist tag and no artist folder above it"));
                        continue;
                    }

                    var mbid = albumTracks.Select(t => t.Tags!.MusicBrainzAlbumId).FirstOrDefault(id => id is not null);
                    var key = mbid is not null ? "musicbrainz:" + mbid.Trim().ToLowerInvariant() : TagKey(artist, title);
                    if (!byKey.TryGetValue(key, out var list))
                    {
                        byKey[key] = list = [];
                    }

                    list.AddRange(albumTracks.Select(t => (folder, t, artist, albumTracks[0].Tags!.Album ?? title)));
                }
            }
        }

        var albums = new List<FolderAlbum>(byKey.Count);
        foreach (var (key, list) in byKey)
        {
            var tags = list.Select(t => t.Track.Tags!).ToList();
            var raw = new Dictionary<AlbumField, string?>
            {
                [AlbumField.SourceKey] = key,
                [AlbumField.Artist] = list[0].Artist,
                [AlbumField.AlbumArtist] = MostCommon(tags.Select(t => t.AlbumArtist)),
                [AlbumField.Title] = list[0].Title,
                [AlbumField.Year] = MostCommon(tags.Select(t => t.Year?.ToString(CultureInfo.InvariantCulture))),
                [AlbumField.TrackCount] = list.Count.ToString(CultureInfo.InvariantCulture),
                [AlbumField.CatalogNumber] = MostCommon(tags.Select(t => t.CatalogNumber)),
                [AlbumField.Barcode] = MostCommon(tags.Select(t => t.Barcode)),
                [AlbumField.DiscogsReleaseId] = MostCommon(tags.Select(t => t.DiscogsReleaseId?.ToString(CultureInfo.InvariantCulture))),
            };
            var fieldProblems = new List<FieldProblem>();
            var folders = list.Select(t => t.Folder).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (AlbumValidator.Validate(source, raw, fieldProblems) is { } album)
            {
                albums.Add(new FolderAlbum(album, folders, list.Count));
            }
            else
            {
                problems.Add(new FolderProblem(folders[0].Length == 0 ? "." : folders[0],
                    "tags refused: " + string.Join("; ", fieldProblems.Select(p => $"{p.Field} {p.Reason}"))));
            }
        }

        return (albums, problems);
    }

    /// <summary>The folder a track's album is counted in: its own, or the one above a disc folder (CD1, Disc 2).</summary>
    public static string AlbumFolder(string path)
    {
        var slash = path.LastIndexOf('/');
        var folder = slash < 0 ? "" : path[..slash];
        var name = folder[(folder.LastIndexOf('/') + 1)..];
        if (folder.Length > 0 && DiscFolder().IsMatch(name))
        {
            var up = folder.LastIndexOf('/');
            return up < 0 ? "" : folder[..up];
        }

        return folder;
    }

    /// <summary>
    /// Splits one folder's tracks of one title by artist, unless they are one album anyway: a shared album artist,
    /// the compilation flag, or "Various Artists".
    /// </summary>
    private static IEnumerable<(string Artist, List<TrackFile> Tracks)> SplitByArtist(string folder, List<TrackFile> tracks)
    {
        var albumArtist = MostCommon(tracks.Select(t => t.Tags!.AlbumArtist));
        var compilation = tracks.Any(t => t.Tags!.Compilation)
            || string.Equals(albumArtist, VariousArtists, StringComparison.OrdinalIgnoreCase);
        if (albumArtist is not null && tracks.All(t => t.Tags!.AlbumArtist is null || string.Equals(t.Tags.AlbumArtist, albumArtist, StringComparison.OrdinalIgnoreCase)))
        {
            yield return (albumArtist, tracks);
            yield break;
        }

        var artists = tracks.Select(t => t.Tags!.Artist).Where(a => a is not null).Distinct(StringComparer.OrdinalIgnoreCase).Count();
        if (compilation && artists > 1)
        {
            yield return (VariousArtists, tracks);
            yield break;
        }

        foreach (var byArtist in tracks.GroupBy(t => t.Tags!.AlbumArtist ?? t.Tags.Artist ?? ParentName(folder), StringComparer.OrdinalIgnoreCase))
        {
            yield return (byArtist.Key, [.. byArtist]);
        }
    }

    private static string TitleOf(string folder, TrackTags tags) => tags.Album?.Trim() ?? folder[(folder.LastIndexOf('/') + 1)..];

    private static string ParentName(string folder)
    {
        var slash = folder.LastIndexOf('/');
        return slash < 0 ? "" : folder[(folder[..slash].LastIndexOf('/') + 1)..slash];
    }

    private static string? MostCommon(IEnumerable<string?> values) =>
        values.Where(v => v is not null).GroupBy(v => v!, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault();

    /// <summary>Case and spacing do not make a different album: "The Wall" and "the wall " are one key.</summary>
    private static string TagKey(string artist, string title)
    {
        static string Fold(string s) => string.Join(' ', s.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var text = Fold(artist) + '\u001f' + Fold(title);
        return "folder:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }

    [GeneratedRegex(@"^(cd|disc|disk|dvd)[\s._-]*\d{1,2}(\b.*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DiscFolder();
}
