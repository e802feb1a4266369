using EnrichmentWorker.Benchmarks;
using EnrichmentWorker.Benchmarks.Support;

namespace EnrichmentWorker.Tests.Benchmarks;

/// <summary>
/// The benchmark harness on a tiny library (<c>--smoke</c>), through the same code paths as a real run, so it cannot
/// rot. No timing is asserted: only that it completes, prints its configuration and every figure's row, and that no
/// figure failed. A figure whose piece has not landed prints "pending" and passes.
/// </summary>
public sealed class BenchmarkSmokeTests
{
    [Test]
    [CancelAfter(600_000)] // ten scenarios at smoke scale (the foreign-client one adds ~30 s), on a 2-core machine (4 min 20 s was seen cut off at 4 min)
    public async Task A_smoke_run_completes_and_prints_every_figure(CancellationToken cancellationToken)
    {
        using var output = new StringWriter();
        var result = await BenchmarkProgram.RunAsync(["--smoke"], output, cancellationToken);
        await TestContext.Out.WriteLineAsync(output.ToString());

        var expected = FigureNames.Expected(BenchSettings.Parse(["--smoke"]));
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, "exit code");
            Assert.That(result.Report, Does.Contain("machine:").And.Contain("budget:").And.Contain("library:"), "configuration");
            Assert.That(expected, Is.Not.Empty);
            foreach (var row in expected)
            {
                Assert.That(result.Report, Does.Contain("| " + row + " "), $"row '{row}'");
            }

            Assert.That(result.Figures.Where(f => f.Status == FigureStatus.Failed).Select(f => $"{f.Name}: {f.Value}"), Is.Empty, "failed figures");
        });
    }
}
