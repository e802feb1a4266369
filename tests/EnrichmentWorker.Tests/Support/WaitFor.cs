namespace EnrichmentWorker.Tests.Support;

/// <summary>Polls a condition instead of sleeping a fixed time: fast when things are fast, bounded when not.</summary>
public static class WaitFor
{
    public static async Task ConditionAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}.");
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }

    public static Task ConditionAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        ConditionAsync(() => Task.FromResult(condition()), timeout, what);
}
