namespace EnrichmentWorker.Library;

/// <summary>
/// Collects the problems of one file while it is read, up to <see cref="Limit"/>: enough to fix a file in one go,
/// few enough that a file of garbage does not print a million lines.
/// </summary>
internal sealed class ImportProblems(string file)
{
    public const int Limit = 20;

    private readonly List<ImportError> _errors = [];

    public bool IsFull => _errors.Count >= Limit;

    public bool Any => _errors.Count > 0;

    public void Add(long line, string? column, string reason)
    {
        if (!IsFull)
        {
            _errors.Add(new ImportError(file, line, column, reason));
        }
    }

    public void Add(long line, IEnumerable<FieldProblem> problems)
    {
        foreach (var problem in problems)
        {
            Add(line, problem.Field, problem.Reason);
        }
    }

    /// <summary>Throws when any problem was found, so that nothing from the file is written.</summary>
    public void ThrowIfAny(bool stoppedEarly)
    {
        if (_errors.Count > 0)
        {
            throw new AlbumImportException(file, [.. _errors], stoppedEarly);
        }
    }
}
