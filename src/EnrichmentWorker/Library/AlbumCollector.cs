namespace EnrichmentWorker.Library;

/// <summary>
/// The albums of one file or batch in order, refusing a second album with the same (source, source_key): one
/// upsert cannot write a row twice, and two rows claiming one key is a mistake the sender should see.
/// </summary>
internal sealed class AlbumCollector
{
    private readonly Dictionary<(string Source, string Key), long> _firstSeenAt = [];

    public List<AlbumInput> Albums { get; } = [];

    /// <summary>Adds the album; false (with where the first one was) when its key was seen already.</summary>
    public bool TryAdd(AlbumInput album, long position, out long firstSeenAt)
    {
        if (_firstSeenAt.TryAdd((album.Source, album.SourceKey), position))
        {
            Albums.Add(album);
            firstSeenAt = position;
            return true;
        }

        firstSeenAt = _firstSeenAt[(album.Source, album.SourceKey)];
        return false;
    }

    /// <summary>Why a duplicate was refused, for a key given by the sender or one derived from the tags.</summary>
    public static FieldProblem Duplicate(AlbumInput album, bool keyGiven, string firstSeen) => keyGiven
        ? new FieldProblem(AlbumField.SourceKey, $"{AlbumValidator.Describe(album.SourceKey)} is used twice (first {firstSeen})")
        : new FieldProblem((string?)null, $"has the same artist, title and year as {firstSeen} and no source_key to tell them apart");
}
