/// <summary>
/// .NET's startup-hook entry point (global namespace, by the runtime's convention): naming this assembly in
/// DOTNET_STARTUP_HOOKS loads it into the service process, which is all HangfireTestJobs needs.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
    }
}
