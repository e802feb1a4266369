using System.CommandLine;
using System.CommandLine.Help;

namespace EnrichmentWorker.Hosting;

/// <summary>
/// The verb and its own options as the verbs read them, parsed by System.CommandLine (which also writes each verb's
/// <c>--help</c>), split from the host's configuration switches (<c>--Discogs:Token=...</c>), which go to the usual
/// .NET configuration. <see cref="HelpText"/> is set when help was asked for.
/// </summary>
public sealed record CliCommand(string Verb, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string?> Options, string[] HostArgs)
{
    public const string HelpVerb = "help";

    public string? HelpText { get; init; }

    public static CliCommand Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = CliGrammar.Create();
        var first = args.FirstOrDefault();
        string[] tokens = first is null || (first.StartsWith('-') && !CliGrammar.IsHelpOrVersion(first)) ? ["run", .. args] : args;
        if (tokens[0] == HelpVerb)
        {
            // "help import" is "import --help"; "help" alone is the overview.
            tokens = tokens.Length > 1 ? [tokens[1], "--help"] : ["--help"];
        }

        var command = root.Subcommands.FirstOrDefault(c => c.Name == tokens[0] || c.Aliases.Contains(tokens[0]));
        if (command is null && !CliGrammar.IsHelpOrVersion(tokens[0]))
        {
            throw new CliUsageException($"Unknown command '{tokens[0]}'.", verb: null);
        }

        var (verbTokens, hostArgs) = command is null ? (tokens, []) : SplitHostArgs(command, tokens);
        var result = root.Parse(verbTokens, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.Errors.Count > 0)
        {
            throw new CliUsageException(result.Errors[0].Message, command?.Name);
        }

        if (command is null || result.Action is HelpAction)
        {
            // --help (of a verb or of all) and --version: System.CommandLine writes them.
            using var help = new StringWriter();
            result.Invoke(new InvocationConfiguration { Output = help });
            return new CliCommand(HelpVerb, [], new Dictionary<string, string?>(), []) { HelpText = help.ToString().TrimEnd() };
        }

        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var option in command.Options)
        {
            if (result.GetResult(option) is { Implicit: false } given)
            {
                options[option.Name.TrimStart('-')] = given.Tokens.FirstOrDefault()?.Value;
            }
        }

        var arguments = command.Arguments.SelectMany(a => result.GetResult(a)?.Tokens.Select(t => t.Value) ?? []).ToList();
        return new CliCommand(command.Name, arguments, options, [.. hostArgs]);
    }

    public bool Has(string option) => Options.ContainsKey(option);

    public string? Option(string option) => Options.TryGetValue(option, out var value) ? value : null;

    /// <summary>
    /// Configuration switches are not the verb's: <c>--Section:Key[=value]</c>, a capitalised <c>--Key</c>, or any
    /// <c>--name=value</c> the verb does not know (<c>--urls=...</c>); written without '=', the next word is the value.
    /// </summary>
    private static (string[] VerbTokens, List<string> HostArgs) SplitHostArgs(Command command, string[] tokens)
    {
        var known = command.Options.SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet(StringComparer.Ordinal);
        var verbTokens = new List<string> { tokens[0] };
        var hostArgs = new List<string>();
        for (var i = 1; i < tokens.Length; i++)
        {
            var token = tokens[i];
            var eq = token.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? token : token[..eq];
            var isHostArg = token.StartsWith("--", StringComparison.Ordinal) && name.Length > 2 && !known.Contains(name)
                && (name.Contains(':', StringComparison.Ordinal) || eq >= 0 || char.IsUpper(name[2]));
            if (!isHostArg)
            {
                verbTokens.Add(token);
                continue;
            }

            hostArgs.Add(token);
            if (eq < 0 && i + 1 < tokens.Length && !tokens[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                hostArgs.Add(tokens[++i]);
            }
        }

        return ([.. verbTokens], hostArgs);
    }
}

/// <summary>The command line could not be understood: one line saying why, and the verb whose --help would help.</summary>
public sealed class CliUsageException(string message, string? verb = null) : Exception(message)
{
    public string? Verb { get; } = verb;
}
