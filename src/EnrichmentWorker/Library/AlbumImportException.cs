using System.Globalization;

namespace EnrichmentWorker.Library;

/// <summary>One reason a file was refused: where (file, 1-based line, column or key when known) and why.</summary>
public sealed record ImportError(string File, long Line, string? Column, string Reason)
{
    public override string ToString() => Column is null
        ? string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}: {Reason}")
        : string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}: {Column} {Reason}");
}

/// <summary>
/// An import file was refused as a whole: nothing from it was written. <see cref="Errors"/> lists the problems found,
/// up to a limit (<see cref="StoppedEarly"/> says reading stopped there).
/// </summary>
public sealed class AlbumImportException(string file, IReadOnlyList<ImportError> errors, bool stoppedEarly)
    : Exception(BuildMessage(file, errors, stoppedEarly))
{
    public string File { get; } = file;

    public IReadOnlyList<ImportError> Errors { get; } = errors;

    public bool StoppedEarly { get; } = stoppedEarly;

    private static string BuildMessage(string file, IReadOnlyList<ImportError> errors, bool stoppedEarly)
    {
        var count = (stoppedEarly, errors.Count) switch
        {
            (true, 1) => "1 problem, and reading stopped there",
            (true, _) => $"the first {errors.Count} problems",
            (false, 1) => "1 problem",
            _ => $"{errors.Count} problems",
        };
        return $"{file} was not imported (nothing was written): {count}:{Environment.NewLine}"
            + string.Join(Environment.NewLine, errors.Select(e => "  " + e));
    }
}
