using EnrichmentWorker.Hosting;
using EnrichmentWorker.Matching;
using EnrichmentWorker.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Tests.Matching;

public sealed class MatchingOptionsTests
{
    [Test]
    public void A_review_threshold_above_the_match_threshold_is_refused_naming_both_settings()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Matching:MatchThreshold"] = "0.7",
            ["Matching:ReviewThreshold"] = "0.75",
        }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddMatching().BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => _ = services.GetRequiredService<IOptions<MatchingOptions>>().Value);

        Assert.That(ex!.Message, Does.Contain("Matching:ReviewThreshold must be at or below Matching:MatchThreshold"));
    }

    [Test]
    public async Task The_service_with_settings_that_contradict_each_other_does_not_start_and_says_why_in_one_line()
    {
        await using var db = await TestDatabase.CreateAsync();

        var (exitCode, output) = await ServiceProcess.RunCommandAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = db.ConnectionString,
            ["Matching__ReviewThreshold"] = "0.9",
        }, "run");

        Assert.That(exitCode, Is.EqualTo(ServiceRunner.ExitStartupFailed), output);
        Assert.That(output, Does.Contain("EnrichmentWorker cannot start: Matching:ReviewThreshold must be at or below Matching:MatchThreshold"));
        Assert.That(output, Does.Not.Contain("   at "), "no stack trace");
    }
}
