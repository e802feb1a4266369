using EnrichmentWorker.Hosting;

namespace EnrichmentWorker.Dashboard;

/// <summary>
/// <c>hash-password</c>: reads a password or token from standard input (so it stays out of the shell history and the
/// process list) and prints the hash for Dashboard:Users:N:PasswordHash or Dashboard:Tokens:N:TokenHash.
/// It needs no database and no host, so ServiceRunner runs it before either starts (someone generating a hash on a
/// laptop has neither).
/// </summary>
public sealed class HashPasswordVerb(TextReader input, TextWriter output, TextWriter error) : ICliVerb
{
    public const string VerbName = "hash-password";

    public string Name => VerbName;

    public async Task<int> RunAsync(CliCommand command, CancellationToken cancellationToken)
    {
        if (!Console.IsInputRedirected)
        {
            await error.WriteAsync("Password or token (input is not hidden; pipe it in to keep it off the screen): ");
        }

        var secret = await input.ReadLineAsync(cancellationToken);
        if (string.IsNullOrEmpty(secret))
        {
            await error.WriteLineAsync("Nothing was read from standard input; nothing to hash.");
            return ServiceRunner.ExitUsage;
        }

        await output.WriteLineAsync(PasswordHash.Create(secret));
        return 0;
    }
}
