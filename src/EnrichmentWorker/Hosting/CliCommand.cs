namespace EnrichmentWorker.Hosting;

/// <summary>
/// The verb and its own options, split from the host's configuration switches (<c>--Discogs:Token=...</c>), which
/// go to the usual .NET configuration.
/// </summary>
public sealed record CliCommand(string Verb, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string?> Options, string[] HostArgs)
{
    public const string Usage = """
        Usage: EnrichmentWorker [command] [options] [--Section:Key=value ...]

        Commands:
          run                      run the service: job workers, dashboard and HTTP API (the default)
          import FILE [--source NAME] [--format csv|jsonl]
                                   add or update albums from a CSV (header row) or JSON-lines file
          scan FOLDER [--dry-run]  find the albums in a music folder, print them and add them (not with --dry-run)
          export [--format csv|jsonl|sqlite] [--output FILE]
                                   write every album's Discogs genres and styles (to standard output without --output)
          enqueue [--force] [--overwrite-manual] [--recheck-misses[=DAYS]] [--limit N] [--mode genres|full]
                  [--dry-run[=offline|online]]
                                   queue albums for enrichment again
          status                   print queue counts and the Discogs budget
          migrate                  apply database migrations and exit
          healthcheck [--url URL] [--live]
                                   ask the local service for /health/ready (or /health/live); exit 0 when healthy
          hash-password            read a password or token on standard input, print its hash for Dashboard:Users/Tokens
          help                     print this text

        Any configuration key can be given as --Section:Key=value (see README).
        """;

    // Options each verb understands; a flag takes no value unless written --flag=value.
    private static readonly Dictionary<string, (string[] WithValue, string[] Flags)> VerbOptions = new(StringComparer.Ordinal)
    {
        ["run"] = ([], []),
        ["import"] = (["source", "format"], []),
        ["scan"] = ([], ["dry-run"]),
        ["export"] = (["format", "output"], []),
        ["enqueue"] = (["limit", "mode"], ["force", "overwrite-manual", "recheck-misses", "dry-run"]),
        ["status"] = ([], []),
        ["migrate"] = ([], []),
        ["healthcheck"] = (["url"], ["live"]),
        ["hash-password"] = ([], []),
        ["help"] = ([], []),
    };

    public static CliCommand Parse(string[] args)
    {
        var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "run";
        if (!VerbOptions.TryGetValue(verb, out var known))
        {
            throw new CliUsageException($"Unknown command '{verb}'.");
        }

        var positional = new List<string>();
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        var hostArgs = new List<string>();
        for (var i = args.Length > 0 && args[0] == verb ? 1 : 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(arg);
                continue;
            }

            var body = arg[2..];
            var eq = body.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? body : body[..eq];
            if (known.WithValue.Contains(name))
            {
                options[name] = eq >= 0 ? body[(eq + 1)..]
                    : i + 1 < args.Length ? args[++i]
                    : throw new CliUsageException($"--{name} needs a value.");
            }
            else if (known.Flags.Contains(name))
            {
                options[name] = eq >= 0 ? body[(eq + 1)..] : null;
            }
            else if (name.Contains(':', StringComparison.Ordinal) || eq >= 0 || char.IsUpper(name[0]))
            {
                hostArgs.Add(arg);
                if (eq < 0 && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    hostArgs.Add(args[++i]);
                }
            }
            else
            {
                throw new CliUsageException($"Unknown option --{name} for '{verb}'.");
            }
        }

        return new CliCommand(verb, positional, options, [.. hostArgs]);
    }

    public bool Has(string option) => Options.ContainsKey(option);

    public string? Option(string option) => Options.TryGetValue(option, out var value) ? value : null;
}

/// <summary>The command line could not be understood; the message and usage text say why.</summary>
public sealed class CliUsageException(string message) : Exception(message);
