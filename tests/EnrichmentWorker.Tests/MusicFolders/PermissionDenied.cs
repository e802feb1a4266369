using System.Runtime.InteropServices;
using EnrichmentWorker.MusicFolders;

namespace EnrichmentWorker.Tests.MusicFolders;

/// <summary>
/// Walks and reads a root as a user without rights to what the test locked away. Root reads everything, so as root
/// (CI) the walk runs on a thread of its own whose file-system user id is <c>nobody</c> (setfsuid is per thread on
/// Linux and drops CAP_DAC_OVERRIDE with it), as the service's own user would meet the files.
/// </summary>
internal static partial class PermissionDenied
{
    private const uint Nobody = 65534;

    public static (List<string> Albums, List<string> Problems) Scan(string root)
    {
        (List<string>, List<string>)? result = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            var wasRoot = Environment.UserName == "root";
            if (wasRoot)
            {
                _ = SetFsUid(Nobody);
            }

            try
            {
                var walk = new FolderWalker().Walk(root, CancellationToken.None);
                var reader = new TrackTagReader();
                var tracks = walk.AudioFiles.Select(f =>
                {
                    try
                    {
                        return new TrackFile(f.Path, f.Size, f.ModifiedUtc, reader.Read(f.FullPath), null);
                    }
                    catch (TrackUnreadableException ex)
                    {
                        return new TrackFile(f.Path, f.Size, f.ModifiedUtc, null, ex.Message);
                    }
                }).ToList();
                var (albums, _) = new AlbumGrouper().Group("test", tracks);
                result = (
                    [.. albums.Select(a => $"{a.Album.Tags.Artist} - {a.Album.Tags.Title}")],
                    [.. walk.Problems.Select(p => $"{p.Path}: {p.Reason}").Concat(tracks.Where(t => t.Problem is not null).Select(t => $"{t.Path}: {t.Problem}")).Order(StringComparer.Ordinal)]);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
            finally
            {
                if (wasRoot)
                {
                    _ = SetFsUid(0);
                }
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? result!.Value : throw new InvalidOperationException("The walk failed", failure);
    }

    [LibraryImport("libc", EntryPoint = "setfsuid")]
    private static partial int SetFsUid(uint fsuid);
}
