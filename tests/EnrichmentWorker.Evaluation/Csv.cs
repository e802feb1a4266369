namespace EnrichmentWorker.Evaluation;

/// <summary>Writes RFC 4180 lines for eval-set.csv; reading is the simulator's <c>CsvRecords</c>.</summary>
public static class Csv
{
    public static string Line(IEnumerable<string> fields) =>
        string.Join(',', fields.Select(static f => f.Contains(',') || f.Contains('"') || f.Contains('\n') || f != f.Trim()
            ? "\"" + f.Replace("\"", "\"\"") + "\""
            : f));
}
