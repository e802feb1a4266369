using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using TagLib;

namespace EnrichmentWorker.Tests.MusicFolders;

/// <summary>The album-level tags a test writes into a file, the way the taggers write them.</summary>
public sealed record TagSpec(
    string? Album,
    string? Artist,
    string? AlbumArtist = null,
    int? Year = null,
    int? Disc = null,
    bool Compilation = false,
    string? CatalogNumber = null,
    string? Barcode = null,
    long? DiscogsReleaseId = null,
    string? MusicBrainzAlbumId = null,
    string Title = "Track");

/// <summary>
/// Real audio files made at test time: a fraction of a second of silence per format, encoded once per test run with
/// Debian's sox, flac, lame, opusenc and ffmpeg, then copied and tagged as Picard, beets and OneTagger tag them: FLAC
/// with metaflac (Vorbis comments such as CATALOGNUMBER, MUSICBRAINZ_ALBUMID, DISCOGS_RELEASE_ID), MP3 as ID3v2.4
/// (TXXX:CATALOGNUMBER, TXXX:MusicBrainz Album Id, TXXX:DISCOGS_RELEASE_ID, TCMP), Ogg/Opus as Vorbis comments and
/// M4A as iTunes freeform atoms (----:com.apple.iTunes:CATALOGNUMBER, cpil), the last three through TagLib#.
/// </summary>
public static class TaggedAudio
{
    private static readonly string TemplateFolder = Path.Combine(Path.GetTempPath(), "enrichment-audio-" + Environment.ProcessId);
    private static readonly ConcurrentDictionary<string, Lazy<string>> Templates = new(StringComparer.Ordinal);

    public static readonly string[] Formats = ["mp3", "flac", "ogg", "opus", "m4a"];

    /// <summary>Writes a tagged file of the format its extension names at <paramref name="path"/>.</summary>
    public static void Write(string path, TagSpec tags)
    {
        var extension = Path.GetExtension(path).TrimStart('.').ToLowerInvariant();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.Copy(Template(extension), path, overwrite: true);
        if (extension == "flac")
        {
            TagWithMetaflac(path, tags);
        }
        else
        {
            TagWithTagLib(path, tags);
        }
    }

    /// <summary>The untagged template of a format, encoded on first use.</summary>
    public static string Template(string extension) => Templates.GetOrAdd(extension, e => new Lazy<string>(() => Encode(e))).Value;

    private static string Encode(string extension)
    {
        Directory.CreateDirectory(TemplateFolder);
        var wav = Path.Combine(TemplateFolder, "silence.wav");
        lock (Templates)
        {
            if (!System.IO.File.Exists(wav))
            {
                Run("sox", "-n", "-r", "44100", "-c", "2", "-b", "16", wav, "trim", "0", "0.1");
            }
        }

        var output = Path.Combine(TemplateFolder, "silence." + extension);
        switch (extension)
        {
            case "flac": Run("flac", "-s", "-f", wav, "-o", output); break;
            case "mp3": Run("lame", "--silent", wav, output); break;
            case "ogg": Run("sox", wav, output); break;
            case "opus": Run("opusenc", "--quiet", wav, output); break;
            case "m4a": Run("ffmpeg", "-loglevel", "error", "-y", "-i", wav, "-c:a", "aac", output); break;
            default: throw new ArgumentException($"No encoder for .{extension}");
        }

        return output;
    }

    private static void TagWithMetaflac(string path, TagSpec t)
    {
        var args = new List<string> { "--remove-all-tags" };
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                args.Add($"--set-tag={name}={value}");
            }
        }

        Add("TITLE", t.Title);
        Add("ALBUM", t.Album);
        Add("ARTIST", t.Artist);
        Add("ALBUMARTIST", t.AlbumArtist);
        Add("DATE", t.Year?.ToString(CultureInfo.InvariantCulture));
        Add("DISCNUMBER", t.Disc?.ToString(CultureInfo.InvariantCulture));
        Add("COMPILATION", t.Compilation ? "1" : null);
        Add("CATALOGNUMBER", t.CatalogNumber);
        Add("BARCODE", t.Barcode);
        Add("MUSICBRAINZ_ALBUMID", t.MusicBrainzAlbumId);
        Add("DISCOGS_RELEASE_ID", t.DiscogsReleaseId?.ToString(CultureInfo.InvariantCulture));
        args.Add(path);
        Run("metaflac", [.. args]);
    }

    private static void TagWithTagLib(string path, TagSpec t)
    {
        using var file = TagLib.File.Create(path);
        var tag = file.Tag;
        tag.Title = t.Title;
        tag.Album = t.Album;
        tag.Performers = t.Artist is null ? [] : [t.Artist];
        tag.AlbumArtists = t.AlbumArtist is null ? [] : [t.AlbumArtist];
        tag.Year = (uint)(t.Year ?? 0);
        tag.Disc = (uint)(t.Disc ?? 0);
        tag.MusicBrainzReleaseId = t.MusicBrainzAlbumId;
        var discogs = t.DiscogsReleaseId?.ToString(CultureInfo.InvariantCulture);
        switch (file.GetTag(file is TagLib.Mpeg.AudioFile ? TagTypes.Id3v2 : file is TagLib.Mpeg4.File ? TagTypes.Apple : TagTypes.Xiph, true))
        {
            case TagLib.Id3v2.Tag id3:
                id3.Version = 4;
                id3.IsCompilation = t.Compilation;
                UserText(id3, "CATALOGNUMBER", t.CatalogNumber);
                UserText(id3, "BARCODE", t.Barcode);
                UserText(id3, "DISCOGS_RELEASE_ID", discogs);
                break;
            case TagLib.Mpeg4.AppleTag apple:
                apple.IsCompilation = t.Compilation;
                apple.SetDashBox("com.apple.iTunes", "CATALOGNUMBER", t.CatalogNumber);
                apple.SetDashBox("com.apple.iTunes", "BARCODE", t.Barcode);
                apple.SetDashBox("com.apple.iTunes", "DISCOGS_RELEASE_ID", discogs);
                break;
            case TagLib.Ogg.XiphComment xiph:
                xiph.IsCompilation = t.Compilation;
                xiph.SetField("CATALOGNUMBER", t.CatalogNumber is null ? [] : [t.CatalogNumber]);
                xiph.SetField("BARCODE", t.Barcode is null ? [] : [t.Barcode]);
                xiph.SetField("DISCOGS_RELEASE_ID", discogs is null ? [] : [discogs]);
                break;
            default:
                throw new InvalidOperationException($"No tag to write in {path}");
        }

        file.Save();
    }

    private static void UserText(TagLib.Id3v2.Tag tag, string description, string? value)
    {
        if (value is not null)
        {
            TagLib.Id3v2.UserTextInformationFrame.Get(tag, description, StringType.UTF8, true, true).Text = [value];
        }
    }

    public static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {program}");
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {error}. Is it installed (deploy/dev/setup.sh --tests)?");
        }
    }
}
