using System.Globalization;
using TagLib;

namespace EnrichmentWorker.MusicFolders;

/// <summary>
/// Reads the album-level tags of one audio file with TagLib#, never writing to it. Besides the common tags it reads
/// the identifiers taggers store under their own names (each checked against the tagger's source):
/// <list type="bullet">
/// <item>Picard and beets: catalog number <c>CATALOGNUMBER</c> (ID3 <c>TXXX:CATALOGNUMBER</c>, MP4
/// <c>----:com.apple.iTunes:CATALOGNUMBER</c>), barcode <c>BARCODE</c> likewise, MusicBrainz release id
/// <c>MUSICBRAINZ_ALBUMID</c> / <c>TXXX:MusicBrainz Album Id</c> / <c>----:com.apple.iTunes:MusicBrainz Album Id</c>
/// (TagLib#'s <see cref="Tag.MusicBrainzReleaseId"/> maps exactly these), compilation <c>COMPILATION</c> / <c>TCMP</c> /
/// <c>cpil</c>. beets also reads a catalog number from <c>CATALOGID</c> and <c>DISCOGS_CATALOG</c>, and a barcode from
/// <c>UPC</c> and <c>EAN</c>.</item>
/// <item>OneTagger's Discogs platform: release id <c>DISCOGS_RELEASE_ID</c> (Vorbis field, ID3 <c>TXXX</c>, MP4
/// <c>----:com.apple.iTunes:</c> freeform), the same name it reads back. No common tagger writes a Discogs master id.</item>
/// </list>
/// </summary>
public sealed class TrackTagReader
{
    private static readonly string[] CatalogNames = ["CATALOGNUMBER", "CATALOGID", "DISCOGS_CATALOG"];
    private static readonly string[] BarcodeNames = ["BARCODE", "UPC", "EAN"];
    private const string DiscogsReleaseName = "DISCOGS_RELEASE_ID";

    /// <summary>Reads <paramref name="path"/>; throws <see cref="TrackUnreadableException"/> with a reason a user can act on.</summary>
    public TrackTags Read(string path)
    {
        TagLib.File file;
        try
        {
            file = TagLib.File.Create(new ReadOnlyFileAbstraction(path), ReadStyle.Average);
        }
        catch (UnsupportedFormatException)
        {
            throw new TrackUnreadableException("not an audio file TagLib# knows (unsupported format)");
        }
        catch (CorruptFileException ex)
        {
            throw new TrackUnreadableException($"corrupt or not audio: {ex.Message}");
        }
        catch (UnauthorizedAccessException)
        {
            throw new TrackUnreadableException("permission denied: the service's user may not read it");
        }
        catch (IOException ex)
        {
            throw new TrackUnreadableException($"cannot be read: {ex.Message}");
        }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or OverflowException or InvalidOperationException or NullReferenceException or FormatException)
        {
            // TagLib# reports some malformed frames as plain runtime exceptions rather than CorruptFileException.
            throw new TrackUnreadableException($"corrupt tags ({ex.GetType().Name}: {ex.Message})");
        }

        using (file)
        {
            var tag = file.Tag;
            var compilation = false;
            string? catalog = null, barcode = null, discogs = null;
            if (file.GetTag(TagTypes.Id3v2) is TagLib.Id3v2.Tag id3)
            {
                compilation |= id3.IsCompilation;
                catalog ??= First(CatalogNames, name => UserText(id3, name));
                barcode ??= First(BarcodeNames, name => UserText(id3, name));
                discogs ??= UserText(id3, DiscogsReleaseName);
            }

            if (file.GetTag(TagTypes.Xiph) is TagLib.Ogg.XiphComment xiph)
            {
                compilation |= xiph.IsCompilation;
                catalog ??= First(CatalogNames, xiph.GetFirstField);
                barcode ??= First(BarcodeNames, xiph.GetFirstField);
                discogs ??= xiph.GetFirstField(DiscogsReleaseName);
            }

            if (file.GetTag(TagTypes.Apple) is TagLib.Mpeg4.AppleTag apple)
            {
                compilation |= apple.IsCompilation;
                catalog ??= First(CatalogNames, name => apple.GetDashBox("com.apple.iTunes", name));
                barcode ??= First(BarcodeNames, name => apple.GetDashBox("com.apple.iTunes", name));
                discogs ??= apple.GetDashBox("com.apple.iTunes", DiscogsReleaseName);
            }

            return new TrackTags(
                Album: Text(tag.Album),
                AlbumArtist: Text(tag.FirstAlbumArtist),
                Artist: Text(tag.FirstPerformer),
                Year: tag.Year is >= 1000 and <= 2100 ? (int)tag.Year : null,
                Disc: tag.Disc > 0 ? (int)tag.Disc : null,
                Compilation: compilation,
                CatalogNumber: Text(catalog),
                Barcode: Text(barcode),
                DiscogsReleaseId: long.TryParse(discogs?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null,
                MusicBrainzAlbumId: Text(tag.MusicBrainzReleaseId));
        }
    }

    /// <summary>A TXXX frame's text by its description, as Picard, beets and OneTagger name them (case-insensitively, as they read).</summary>
    private static string? UserText(TagLib.Id3v2.Tag tag, string description) =>
        TagLib.Id3v2.UserTextInformationFrame.Get(tag, description, StringType.UTF8, create: false, caseSensitive: false)?.Text.FirstOrDefault();

    private static string? First(string[] names, Func<string, string?> get)
    {
        foreach (var name in names)
        {
            if (Text(get(name)) is { } value)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Tag text as stored, but blank and NUL-padded values (common in old ID3 tags) count as absent.</summary>
    private static string? Text(string? value)
    {
        var cleaned = value?.TrimEnd('\0');
        return string.IsNullOrWhiteSpace(cleaned) ? null : cleaned;
    }

    /// <summary>Opens the file for reading only, so no code path of TagLib# can ever write to the user's files.</summary>
    private sealed class ReadOnlyFileAbstraction(string path) : TagLib.File.IFileAbstraction
    {
        public string Name => path;

        public Stream ReadStream => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, FileOptions.SequentialScan);

        public Stream WriteStream => throw new NotSupportedException("Music folders are read-only to this service.");

        public void CloseStream(Stream stream) => stream.Dispose();
    }
}

/// <summary>An audio file whose tags cannot be read; the message says why, for the library page and the log.</summary>
public sealed class TrackUnreadableException(string reason) : Exception(reason);
