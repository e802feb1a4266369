using Microsoft.Extensions.Time.Testing;
using System.Net;
using EnrichmentWorker.Dashboard;
using EnrichmentWorker.Tests.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Tests.Dashboard;

/// <summary>Failed bearer tokens and sign-ins are limited per client address, over HTTP against the real service.</summary>
public sealed class FailedSignInThrottleTests
{
    [Test]
    public async Task After_three_wrong_tokens_the_address_gets_429_with_retry_after_but_a_token_verified_before_still_works()
    {
        await using var service = await DashboardService.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Dashboard__FailedSignInLimit"] = "3",
            ["Dashboard__FailedSignInWindow"] = "00:10:00",
        });
        using (var reader = service.Client(DashboardService.ReaderToken))
        using (var first = await reader.GetAsync("/api/queue"))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the reader token is verified once, before the guessing");
        }

        using var guesser = service.Client("guess-1");
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await guesser.GetAsync("/api/overview");
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"guess {i + 1}");
        }

        using var refused = await guesser.GetAsync("/api/overview");
        using var validButNew = await service.Client(DashboardService.AdminToken).GetAsync("/api/overview");
        var (signIn, _) = await service.SignInAsync("admin", DashboardService.AdminPassword);
        using var signInRefused = signIn;
        using var stillWorks = await service.Client(DashboardService.ReaderToken).GetAsync("/api/queue");
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), body);
            Assert.That(refused.Headers.RetryAfter?.Delta?.TotalSeconds, Is.InRange(1, 600));
            Assert.That(body, Does.Contain("Too many failed sign-ins"));
            Assert.That(validButNew.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "a token never verified costs PBKDF2, so it waits too");
            Assert.That(signInRefused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the sign-in form counts against the same address");
            Assert.That(signInRefused.Headers.RetryAfter?.Delta?.TotalSeconds, Is.InRange(1, 600));
            Assert.That(await signInRefused.Content.ReadAsStringAsync(), Does.Contain("Too many failed sign-ins"));
            Assert.That(stillWorks.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a token verified before costs one SHA-256 and passes");
            Assert.That(service.Service.OutputText, Does.Contain("failed sign-ins or unknown bearer tokens from 127.0.0.1")
                .And.Not.Contain("guess-1").And.Not.Contain(DashboardService.AdminPassword));
        });
    }

    [Test]
    public async Task Wrong_passwords_on_the_sign_in_form_are_limited_too()
    {
        await using var service = await DashboardService.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Dashboard__FailedSignInLimit"] = "2",
        });
        var statuses = new List<HttpStatusCode>();
        foreach (var password in new[] { "guess", "guess again", DashboardService.AdminPassword })
        {
            var (response, _) = await service.SignInAsync("admin", password);
            using (response)
            {
                statuses.Add(response.StatusCode);
            }
        }

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
    }

    [Test]
    public void An_address_is_let_in_again_when_its_window_ends_and_other_addresses_are_not_affected()
    {
        var (throttle, clock) = Throttle(limit: 3, window: TimeSpan.FromMinutes(1));
        var guesser = IPAddress.Parse("203.0.113.7");
        for (var i = 0; i < 3; i++)
        {
            Assert.That(throttle.RetryAfter(guesser), Is.Null, $"before failure {i + 1}");
            throttle.Failed(guesser);
        }

        Assert.That(throttle.RetryAfter(guesser), Is.EqualTo(TimeSpan.FromMinutes(1)));
        Assert.That(throttle.RetryAfter(IPAddress.Parse("203.0.113.8")), Is.Null);
        clock.Advance(TimeSpan.FromSeconds(45));
        Assert.That(throttle.RetryAfter(guesser), Is.EqualTo(TimeSpan.FromSeconds(15)));
        clock.Advance(TimeSpan.FromSeconds(15));
        Assert.That(throttle.RetryAfter(guesser), Is.Null);
        throttle.Failed(guesser);
        Assert.That(throttle.RetryAfter(guesser), Is.Null, "a new window starts with one failure");
    }

    [Test]
    public void Addresses_in_one_ipv6_slash_64_share_a_count_and_ipv4_mapped_addresses_count_as_ipv4()
    {
        var (throttle, _) = Throttle(limit: 2, window: TimeSpan.FromMinutes(1));
        throttle.Failed(IPAddress.Parse("2001:db8:1:2::1"));
        throttle.Failed(IPAddress.Parse("2001:db8:1:2:ffff::9"));
        throttle.Failed(IPAddress.Parse("::ffff:198.51.100.4"));
        throttle.Failed(IPAddress.Parse("198.51.100.4"));

        Assert.Multiple(() =>
        {
            Assert.That(throttle.RetryAfter(IPAddress.Parse("2001:db8:1:2::abcd")), Is.Not.Null);
            Assert.That(throttle.RetryAfter(IPAddress.Parse("2001:db8:1:3::1")), Is.Null);
            Assert.That(throttle.RetryAfter(IPAddress.Parse("198.51.100.4")), Is.Not.Null);
        });
    }

    [Test]
    public void Many_addresses_cannot_grow_the_table_past_its_bound_and_are_limited_as_one_group()
    {
        var (throttle, clock) = Throttle(limit: 2, window: TimeSpan.FromMinutes(1));
        for (var i = 0; i < AuthenticationThrottle.MaxTrackedAddresses + 5; i++)
        {
            throttle.Failed(new IPAddress(0x0A000000u + (uint)i));
        }

        Assert.Multiple(() =>
        {
            Assert.That(throttle.TrackedAddresses, Is.EqualTo(AuthenticationThrottle.MaxTrackedAddresses + 1), "the table plus one shared overflow entry");
            Assert.That(throttle.RetryAfter(new IPAddress(0x0B000001u)), Is.Not.Null, "the overflow entry failed 5 times: newcomers wait");
        });

        clock.Advance(TimeSpan.FromMinutes(1));
        throttle.Failed(IPAddress.Parse("192.0.2.1"));
        Assert.That(throttle.TrackedAddresses, Is.EqualTo(1), "expired entries are dropped before any newcomer is pooled");
    }

    private static (AuthenticationThrottle Throttle, FakeTimeProvider Clock) Throttle(int limit, TimeSpan window)
    {
        var clock = new FakeTimeProvider();
        var options = Options.Create(new DashboardOptions { FailedSignInLimit = limit, FailedSignInWindow = window });
        return (new AuthenticationThrottle(options, clock, NullLogger<AuthenticationThrottle>.Instance), clock);
    }
}
