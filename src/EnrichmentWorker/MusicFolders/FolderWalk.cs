namespace EnrichmentWorker.MusicFolders;

/// <summary>An audio file found under a root, by its '/'-separated path relative to the root.</summary>
public sealed record FoundFile(string Path, string FullPath, long Size, DateTime ModifiedUtc);

/// <summary>A file or folder a scan could not use, and why, in words a user can act on.</summary>
public sealed record FolderProblem(string Path, string Reason);

/// <summary>What a walk of one root found: audio files, how many other files it passed over, and problems.</summary>
public sealed record FolderWalkResult(IReadOnlyList<FoundFile> AudioFiles, int OtherFiles, IReadOnlyList<FolderProblem> Problems);

/// <summary>
/// Lists the audio files under a root without opening them (names, sizes and times only), so a rescan costs one
/// directory read per folder. A folder that cannot be listed, a symbolic link loop or a name that is not valid
/// UTF-8 becomes a problem, never an exception: the rest of the root is still walked.
/// </summary>
public sealed class FolderWalker
{
    /// <summary>Extensions read as audio; anything else (covers, cue sheets, logs) is counted and passed over.</summary>
    public static readonly IReadOnlySet<string> AudioExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".mp3", ".flac", ".ogg", ".oga", ".opus", ".m4a", ".m4b", ".mp4", ".aac", ".wma", ".ape", ".wv", ".mpc", ".aif", ".aiff", ".dsf", ".wav",
    };

    private static readonly EnumerationOptions ListOneFolder = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = false,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Walks <paramref name="root"/>, which must exist (the caller tells a vanished root apart).</summary>
    public FolderWalkResult Walk(string root, CancellationToken cancellationToken)
    {
        var files = new List<FoundFile>();
        var problems = new List<FolderProblem>();
        var other = 0;
        var rootInfo = new DirectoryInfo(root);
        // Real paths of the folders being walked: a link back to one of them is a loop, not more music.
        var rootReal = RealPath(rootInfo);
        var visited = new HashSet<string>(StringComparer.Ordinal) { rootReal };
        var pending = new Stack<(DirectoryInfo Folder, string Relative, string Real)>();
        pending.Push((rootInfo, "", rootReal));
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (folder, relative, real) = pending.Pop();
            FileSystemInfo[] entries;
            try
            {
                entries = folder.GetFileSystemInfos("*", ListOneFolder);
            }
            catch (UnauthorizedAccessException)
            {
                problems.Add(new FolderProblem(relative.Length == 0 ? "." : relative, "permission denied: the service's user may not list this folder"));
                continue;
            }
            catch (IOException ex)
            {
                problems.Add(new FolderProblem(relative.Length == 0 ? "." : relative, $"cannot list this folder: {ex.Message}"));
                continue;
            }

            foreach (var entry in entries)
            {
                var path = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
                if (entry.Name.Contains('\uFFFD', StringComparison.Ordinal))
                {
                    // .NET decodes names as UTF-8 and puts U+FFFD for bytes that are not; such a path cannot be opened again.
                    problems.Add(new FolderProblem(path, "the name is not valid UTF-8: rename it (e.g. convmv -f latin1 -t utf8)"));
                    continue;
                }

                if (entry.LinkTarget is not null && !TryFollow(entry, path, problems))
                {
                    continue;
                }

                if (entry is DirectoryInfo directory)
                {
                    var directoryReal = entry.LinkTarget is null ? real + "/" + entry.Name : RealPath(directory);
                    if (!visited.Add(directoryReal))
                    {
                        problems.Add(new FolderProblem(path, "symbolic link loop: it leads back to a folder already scanned"));
                        continue;
                    }

                    pending.Push((directory, path, directoryReal));
                }
                else if (entry is FileInfo file)
                {
                    if (!AudioExtensions.Contains(file.Extension))
                    {
                        other++;
                        continue;
                    }

                    try
                    {
                        // For a link, the size and time of what it points to.
                        var info = entry.LinkTarget is null ? file : new FileInfo(file.FullName);
                        files.Add(new FoundFile(path, file.FullName, info.Length, info.LastWriteTimeUtc));
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        problems.Add(new FolderProblem(path, $"cannot be read: {ex.Message}"));
                    }
                }
            }
        }

        return new FolderWalkResult(files, other, problems);
    }

    private static bool TryFollow(FileSystemInfo entry, string path, List<FolderProblem> problems)
    {
        FileSystemInfo? target;
        try
        {
            target = entry.ResolveLinkTarget(returnFinalTarget: true);
        }
        catch (IOException)
        {
            // ELOOP: the link resolves to itself through other links.
            problems.Add(new FolderProblem(path, "symbolic link loop: the link never reaches a real file or folder"));
            return false;
        }

        if (target is null || !target.Exists)
        {
            problems.Add(new FolderProblem(path, "broken symbolic link: what it points to does not exist"));
            return false;
        }

        return true;
    }

    private static string RealPath(DirectoryInfo directory)
    {
        try
        {
            return directory.ResolveLinkTarget(returnFinalTarget: true)?.FullName.TrimEnd('/') ?? directory.FullName.TrimEnd('/');
        }
        catch (IOException)
        {
            return directory.FullName.TrimEnd('/');
        }
    }
}
