using System.CommandLine;

namespace EnrichmentWorker.Hosting;

/// <summary>
/// Every verb of the command line with its options and their help; the verbs themselves read what was given through
/// <see cref="CliCommand"/>. Flags that take a value only when written <c>--flag=value</c> have an optional value.
/// </summary>
public static class CliGrammar
{
    public static RootCommand Create() => new("Enriches a music library's albums with Discogs data. Any configuration key can also be given as --Section:Key=value (see README).")
    {
        new Command("run", "run the service: job workers, dashboard and HTTP API (the default)"),
        new Command("import", "add or update albums from a CSV (header row) or JSON-lines file")
        {
            new Argument<string>("FILE") { Description = "the .csv, .jsonl or .ndjson file" },
            Value("--source", "NAME", "the source the albums are filed under (default: the file name without extension)"),
            Value("--format", "csv|jsonl", "the file's format, when its extension does not say"),
            Flag("--ignore-unknown-columns", "leave out CSV columns the service does not know (they are listed) instead of refusing the file"),
        },
        new Command("scan", "find the albums in a music folder, print them and add them (not with --dry-run)")
        {
            new Argument<string>("FOLDER") { Description = "the music folder to scan" },
            Flag("--dry-run", "print what would be added and write nothing"),
        },
        new Command("export", "write every album's Discogs genres and styles (to standard output without --output)")
        {
            Value("--format", "csv|jsonl|sqlite", "the output's format (sqlite needs --output)"),
            Value("--output", "FILE", "the file to write, or the SQLite database to upsert album_genres into"),
        },
        new Command("enqueue", "queue albums for enrichment again (without options: those with no result yet)")
        {
            Flag("--force", "queue every album again"),
            Flag("--overwrite-manual", "with --force, also albums a person matched by hand"),
            OptionalValue("--recheck-misses", "DAYS", "queue automatic no-match results older than DAYS (default Enrichment:RecheckMissesAfter)"),
            Value("--limit", "N", "queue at most N albums"),
            Value("--mode", "genres|full", "what to fetch for each album"),
            OptionalValue("--dry-run", "offline|online", "list what would be queued and write nothing; online also matches against Discogs"),
        },
        new Command("status", "print queue counts and the Discogs budget"),
        new Command("dump", "import Discogs monthly dump files: dump import FILE... (discogs_YYYYMMDD_*.xml.gz)")
        {
            new Argument<string[]>("import FILE") { Description = "the word import, then one or more dump files", Arity = ArgumentArity.OneOrMore },
            Value("--releases", "all|library", "import every release, or only those of the library's artists and masters"),
        },
        new Command("migrate", "apply database migrations and exit"),
        new Command("healthcheck", "ask the local service for /health/ready (or /health/live); exit 0 when healthy")
        {
            Aliases = { "health" },
            Options =
            {
                Value("--url", "URL", "the service's address (default: the first of Urls, on loopback)"),
                Flag("--live", "ask /health/live instead of /health/ready"),
            },
        },
        new Command("hash-password", "read a password or token on standard input, print its hash for Dashboard:Users/Tokens"),
        new Command(CliCommand.HelpVerb, "print this text, or a command's: help COMMAND")
        {
            new Argument<string>("COMMAND") { Arity = ArgumentArity.ZeroOrOne },
        },
    };

    public static bool IsHelpOrVersion(string token) => token is "-h" or "-?" or "--help" or "--version";

    private static Option<bool> Flag(string name, string description) => new(name) { Description = description, Arity = ArgumentArity.Zero };

    private static Option<string> Value(string name, string valueName, string description) =>
        new(name) { Description = description, HelpName = valueName };

    private static Option<string> OptionalValue(string name, string valueName, string description) =>
        new(name) { Description = description, HelpName = valueName, Arity = ArgumentArity.ZeroOrOne };
}
