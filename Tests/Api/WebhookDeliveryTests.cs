using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.RawClicks;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>Deliveries from the real Api to a real receiver on loopback: signature, retries, ordering, a hanging receiver.</summary>
public sealed class WebhookDeliveryTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private ApiScenario Scenario => fixture.Scenario;

    private WebhookReceiver Receiver => fixture.Receiver;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BudgetSpent_ReceiverFailsTwice_ThreeSignedAttemptsWithOneIdempotencyKey()
    {
        var name = NewName();
        Receiver.Answer(name, r => Task.FromResult(r.Attempt <= 2 ? 500 : 200));
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var (webhookId, secret) = await WebhooksApiTests.RegisterAsync(advertiser, Receiver.Url(name), "campaign.budget_spent");
        var (campaignId, tokens) = await CampaignWithTokensAsync(advertiser, new { name = "Small", totalClickBudget = 1 }, 1);

        Assert.Equal(HttpStatusCode.Redirect, (await Scenario.ClickAsync(tokens[0])).StatusCode);

        var delivery = await DeliveredAsync(advertiser, webhookId);
        var received = Receiver.ReceivedAt(name);
        Assert.Equal(3, received.Count);
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(200, delivery.GetProperty("statusCode").GetInt32());
        Assert.Single(received.Select(r => r.EventId).Distinct());
        Assert.Equal(delivery.GetProperty("eventId").GetGuid().ToString(), received[0].EventId);
        Assert.All(received, r => Assert.True(SignatureVerifies(secret, r), $"signature of attempt {r.Attempt}"));
        Assert.False(SignatureVerifies("whsec_wrong", received[0]));
        Assert.Single(received.Select(r => r.Body).Distinct());
        var payload = JsonDocument.Parse(received[0].Body).RootElement;
        Assert.Equal("campaign.budget_spent", payload.GetProperty("type").GetString());
        Assert.Equal("campaign.budget_spent", received[0].EventType);
        Assert.Equal(received[0].EventId, payload.GetProperty("id").GetGuid().ToString());
        Assert.Equal(campaignId, payload.GetProperty("campaignId").GetGuid());
        Assert.Equal(1, payload.GetProperty("data").GetProperty("totalClickBudget").GetInt64());
    }

    [Fact]
    public async Task DailyCapReached_MoreClicksThatDay_RaisedOnce()
    {
        var name = NewName();
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var (webhookId, _) = await WebhooksApiTests.RegisterAsync(advertiser, Receiver.Url(name), "campaign.daily_cap_reached");
        var (campaignId, tokens) = await CampaignWithTokensAsync(advertiser, new { name = "Capped", dailyClickCap = 1 }, 3);
        var adId = (await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/campaigns/{campaignId}/ads", Cancel))).GetProperty("items")[0].GetProperty("id").GetGuid();

        await Scenario.ClickAsync(tokens[0]);
        await DeliveredAsync(advertiser, webhookId);
        await Scenario.ClickAsync(tokens[1]);
        await Scenario.ClickAsync(tokens[2]);
        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (3, 0));

        var received = Assert.Single(Receiver.ReceivedAt(name));
        var payload = JsonDocument.Parse(received.Body).RootElement;
        Assert.Equal("campaign.daily_cap_reached", payload.GetProperty("type").GetString());
        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd"), payload.GetProperty("data").GetProperty("day").GetString());
        Assert.Single(await WebhooksApiTests.DeliveriesAsync(advertiser, webhookId));
    }

    [Fact]
    public async Task CampaignEnded_EndsAtPasses_RaisedByTheReminder()
    {
        var name = NewName();
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var (webhookId, _) = await WebhooksApiTests.RegisterAsync(advertiser, Receiver.Url(name), "campaign.ended");
        var endsAt = DateTimeOffset.UtcNow.AddSeconds(2);

        var (campaignId, _) = await CampaignWithTokensAsync(advertiser, new { name = "Short", endsAt }, 0);

        await DeliveredAsync(advertiser, webhookId);
        var payload = JsonDocument.Parse(Assert.Single(Receiver.ReceivedAt(name)).Body).RootElement;
        Assert.Equal("campaign.ended", payload.GetProperty("type").GetString());
        Assert.Equal(campaignId, payload.GetProperty("campaignId").GetGuid());
        Assert.True(payload.GetProperty("occurredAt").GetDateTimeOffset() >= endsAt.AddMilliseconds(-1), "raised before the end");
        Assert.Equal(endsAt.ToUnixTimeMilliseconds(), payload.GetProperty("data").GetProperty("endsAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task ReconciliationMismatches_RunFindsThem_EachAdvertiserToldOfItsOwnAds()
    {
        var name = NewName();
        var hour = MinuteBucket.Truncate(DateTimeOffset.UtcNow, Granularity.Hour).AddHours(-2);
        var (mine, myCampaign, myAd) = await Scenario.CreateAdWithOwnerAsync();
        var (theirs, theirCampaign, theirAd) = await Scenario.CreateAdWithOwnerAsync();
        await WebhooksApiTests.RegisterAsync(mine, Receiver.Url(name), "reconciliation.mismatches");
        await WebhooksApiTests.RegisterAsync(theirs, Receiver.Url(name + "-theirs"), "campaign.budget_spent");
        await AppendUncountedClicksAsync(myCampaign, myAd, hour.AddMinutes(7), clicks: 3);
        await AppendUncountedClicksAsync(theirCampaign, theirAd, hour.AddMinutes(8), clicks: 2);

        var started = await Scenario.Admin.PostAsync($"/api/reconciliation/runs?hour={Uri.EscapeDataString(hour.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))}", null, Cancel);
        var runId = (await ApiScenario.JsonAsync(started)).GetProperty("runId").GetGuid();

        var received = await Eventually.MatchesAsync(
            () => Task.FromResult(Receiver.ReceivedAt(name).Where(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("runId").GetGuid() == runId).ToList()),
            r => r.Count > 0);
        var payload = JsonDocument.Parse(Assert.Single(received).Body).RootElement;
        Assert.Equal("reconciliation.mismatches", payload.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("campaignId").ValueKind);
        var data = payload.GetProperty("data");
        Assert.Equal(1, data.GetProperty("mismatchCount").GetInt32());
        var line = Assert.Single(data.GetProperty("mismatches").EnumerateArray());
        Assert.Equal(myAd, line.GetProperty("adId").GetGuid());
        Assert.Equal("click", line.GetProperty("kind").GetString());
        Assert.Equal((3, 0), (line.GetProperty("expected").GetInt64(), line.GetProperty("found").GetInt64()));
        Assert.Empty(Receiver.ReceivedAt(name + "-theirs"));
    }

    [Fact]
    public async Task Events_EarlierOfCampaignRetried_LaterOfSameCampaignWaitsOtherCampaignDoesNot()
    {
        var name = NewName();
        var first = NewEvent(Guid.NewGuid());
        var second = NewEvent(first.CampaignId!.Value);
        var other = NewEvent(Guid.NewGuid());
        Receiver.Answer(name, r => Task.FromResult(r.EventId == first.Id.ToString() && r.Attempt <= 2 ? 500 : 200));

        await RegisterAndEnqueueAsync(name, first, second, other);

        var received = await Eventually.MatchesAsync(
            () => Task.FromResult(Receiver.ReceivedAt(name)),
            r => r.Any(x => x.EventId == second.Id.ToString()) && r.Any(x => x.EventId == other.Id.ToString()));
        var firstDone = received.Last(r => r.EventId == first.Id.ToString());
        Assert.Equal(3, firstDone.Attempt);
        Assert.True(received.First(r => r.EventId == second.Id.ToString()).Sequence > firstDone.Sequence, "the campaign's later event went out before the earlier one succeeded");
        Assert.True(received.First(r => r.EventId == other.Id.ToString()).Sequence < firstDone.Sequence, "another campaign's event waited for this campaign's retries");
    }

    [Fact]
    public async Task Events_EarlierOfCampaignFailsForGood_LaterDeliveredAfterTheLastAttempt()
    {
        var name = NewName();
        var first = NewEvent(Guid.NewGuid());
        var second = NewEvent(first.CampaignId!.Value);
        Receiver.Answer(name, r => Task.FromResult(r.EventId == first.Id.ToString() ? 503 : 200));

        var webhookId = await RegisterAndEnqueueAsync(name, first, second);

        var received = await Eventually.MatchesAsync(() => Task.FromResult(Receiver.ReceivedAt(name)), r => r.Any(x => x.EventId == second.Id.ToString()));
        var deliveries = await Eventually.MatchesAsync(
            () => fixture.Factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IWebhookGrain>(webhookId).ListDeliveriesAsync(),
            d => d.Count == 2 && d.All(x => x.Status != WebhookDeliveryStatus.Pending));

        Assert.Equal(WebhookFixture.MaxAttempts, received.Count(r => r.EventId == first.Id.ToString()));
        Assert.True(received.Single(r => r.EventId == second.Id.ToString()).Sequence > received.Where(r => r.EventId == first.Id.ToString()).Max(r => r.Sequence));
        var failed = Assert.Single(deliveries, d => d.EventId == first.Id);
        Assert.Equal(WebhookDeliveryStatus.Failed, failed.Status);
        Assert.Equal(WebhookFixture.MaxAttempts, failed.Attempts);
        Assert.Equal(503, failed.StatusCode);
        Assert.Equal(WebhookDeliveryStatus.Delivered, Assert.Single(deliveries, d => d.EventId == second.Id).Status);
    }

    [Fact]
    public async Task Receiver_Hangs_ClicksStillRedirectFastAndDeliveryArrivesLater()
    {
        var name = NewName();
        var release = new TaskCompletionSource();
        Receiver.Answer(name, async r =>
        {
            await release.Task.WaitAsync(Cancel);
            return 200;
        });
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var (webhookId, _) = await WebhooksApiTests.RegisterAsync(advertiser, Receiver.Url(name), "campaign.budget_spent");
        var (_, tokens) = await CampaignWithTokensAsync(advertiser, new { name = "Hanging", totalClickBudget = 1 }, 6);
        await Scenario.ClickAsync(tokens[0]);
        await Eventually.MatchesAsync(() => Task.FromResult(Receiver.ReceivedAt(name).Count), count => count == 1);

        var slowest = TimeSpan.Zero;
        foreach (var token in tokens.Skip(1))
        {
            var watch = Stopwatch.StartNew();
            Assert.Equal(HttpStatusCode.Redirect, (await Scenario.ClickAsync(token)).StatusCode);
            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
        }

        // The webhook's grain answers while its receiver hangs: the raiser's enqueue and the API's read wait for no delivery.
        var enqueue = Stopwatch.StartNew();
        var later = NewEvent(Guid.NewGuid());
        await fixture.Factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IWebhookGrain>(webhookId).EnqueueAsync(later);
        enqueue.Stop();
        var whileHung = await WebhooksApiTests.DeliveriesAsync(advertiser, webhookId);
        release.SetResult();
        var done = await Eventually.MatchesAsync(
            () => WebhooksApiTests.DeliveriesAsync(advertiser, webhookId),
            d => d.Length == 2 && d.All(x => x.GetProperty("status").GetString() == "delivered"));

        TestContext.Current.TestOutputHelper?.WriteLine($"While the receiver hung: slowest of 5 clicks {slowest.TotalMilliseconds:F1} ms, enqueue {enqueue.Elapsed.TotalMilliseconds:F1} ms");
        // Well under the 10 s attempt timeout a blocked caller would wait out, with room for a loaded machine.
        Assert.True(slowest < TimeSpan.FromSeconds(3), $"a click took {slowest} while the receiver hung");
        Assert.True(enqueue.Elapsed < TimeSpan.FromSeconds(3), $"queueing an event took {enqueue.Elapsed} while the receiver hung");
        Assert.Equal(["pending", "pending"], whileHung.Select(d => d.GetProperty("status").GetString()));
        Assert.Equal(0, whileHung[0].GetProperty("attempts").GetInt32());
        Assert.All(done, d => Assert.Equal(1, d.GetProperty("attempts").GetInt32()));
    }

    /// <summary>The check a receiver makes (as the README shows it): HMAC-SHA256 of "timestamp.body" under the secret, in hex.</summary>
    private static bool SignatureVerifies(string secret, ReceivedWebhook received)
    {
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{received.Timestamp}.{received.Body}"));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(expected)), Encoding.ASCII.GetBytes(received.Signature));
    }

    // Written to the raw store behind the stream's back: events the counting never saw, which reconciliation finds.
    private async Task AppendUncountedClicksAsync(Guid campaignId, Guid adId, DateTimeOffset at, int clicks)
    {
        var events = Enumerable.Range(0, clicks)
            .Select(i => new AdEvent(AdEventKind.Click, Guid.NewGuid(), adId, campaignId, at.AddSeconds(i), at.AddMinutes(-1), at.AddHours(1), true, null, null))
            .ToList();
        var accepted = await fixture.Factory.Services.GetRequiredService<IRawClickStore>().AppendNewAsync(new AdKey(adId, 0), events, Cancel);
        Assert.Equal(clicks, accepted.Count);
    }

    private static string NewName() => Guid.NewGuid().ToString("N");

    private static WebhookEvent NewEvent(Guid campaignId) =>
        new(Guid.NewGuid(), WebhookEvents.BudgetSpent, DateTimeOffset.UtcNow, Guid.Empty, campaignId, "{}");

    /// <summary>A webhook at /{name}, with the events queued straight on its grain, in order, as the campaigns would.</summary>
    private async Task<Guid> RegisterAndEnqueueAsync(string name, params WebhookEvent[] events)
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var (webhookId, _) = await WebhooksApiTests.RegisterAsync(advertiser, Receiver.Url(name));
        var grain = fixture.Factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IWebhookGrain>(webhookId);
        foreach (var webhookEvent in events)
        {
            await grain.EnqueueAsync(webhookEvent);
        }

        return webhookId;
    }

    private static async Task<(Guid CampaignId, string[] Tokens)> CampaignWithTokensAsync(HttpClient advertiser, object campaign, int tokens)
    {
        var response = await advertiser.PostAsJsonAsync("/api/campaigns", campaign, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var campaignId = (await ApiScenario.JsonAsync(response)).GetProperty("id").GetGuid();
        var adId = await ApiScenario.CreateAdAsync(advertiser, campaignId);
        return (campaignId, await Task.WhenAll(Enumerable.Range(0, tokens).Select(_ => ApiScenario.CreateImpressionAsync(advertiser, adId))));
    }

    /// <summary>Waits for the webhook's one delivery to be delivered and returns it.</summary>
    private static async Task<JsonElement> DeliveredAsync(HttpClient advertiser, Guid webhookId) =>
        (await Eventually.MatchesAsync(
            () => WebhooksApiTests.DeliveriesAsync(advertiser, webhookId),
            d => d.Length == 1 && d[0].GetProperty("status").GetString() == "delivered"))[0];
}
