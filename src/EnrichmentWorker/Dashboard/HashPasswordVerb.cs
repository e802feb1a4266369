using EnrichmentWorker.Hosting;

namespace EnrichmentWorker.Dashboard;

/// <summary>
/// <c>hash-password</c>: reads a password or token from standard input (so it stays out of the shell history and the
/// process list) and prints the hash for Dashboard:Users:N:PasswordHash or Dashboard:Tokens:N:TokenHash.
/// </summary>
public sealed class HashPasswordVerb : ICliVerb
{
    public string Name => "hash-password";

    public async Task<int> RunAsync(CliCommand command, CancellationToken cancellationToken)
    {
        if (!Console.IsInputRedirected)
        {
            await Console.Error.WriteAsync("Password or token (input is not hidden; pipe it in to keep it off the screen): ");
        }

        var secret = await Console.In.ReadLineAsync(cancellationToken);
        if (string.IsNullOrEmpty(secret))
        {
            await Console.Error.WriteLineAsync("Nothing was read from standard input; nothing to hash.");
            return ServiceRunner.ExitUsage;
        }

        Console.WriteLine(PasswordHash.Create(secret));
        return 0;
    }
}
