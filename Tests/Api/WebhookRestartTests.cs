using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>A webhook's stored queue outlives the process: the next start resumes it with nothing else asking.</summary>
public sealed class WebhookRestartTests
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["AdClicks:Webhooks:AllowLoopbackHttp"] = "true",
        ["AdClicks:Webhooks:FirstRetryDelay"] = "00:00:00.200",
        ["AdClicks:Webhooks:MaxRetryDelay"] = "00:00:00.200",
        ["AdClicks:Webhooks:MaxAttempts"] = "1000",
    };

    [Fact]
    public async Task Restart_QueueLeftPending_DeliveredAfterTheStartWithoutAnyCall()
    {
        using var data = new TempDirectory();
        await using var receiver = await WebhookReceiver.StartAsync();
        var receiverUp = false;
        receiver.Answer("hook", _ => Task.FromResult(Volatile.Read(ref receiverUp) ? 200 : 503));
        var queued = new WebhookEvent(Guid.NewGuid(), WebhookEvents.BudgetSpent, DateTimeOffset.UtcNow, Guid.Empty, Guid.NewGuid(), "{}");
        await using (var first = new AdClicksApiFactory(data.Path, settings: Settings).Start())
        {
            var (_, advertiser) = await new ApiScenario(first).CreateAdvertiserAsync();
            var (webhookId, _) = await WebhooksApiTests.RegisterAsync(advertiser, receiver.Url("hook"));
            await first.Services.GetRequiredService<IGrainFactory>().GetGrain<IWebhookGrain>(webhookId).EnqueueAsync(queued);
            await Eventually.MatchesAsync(() => Task.FromResult(receiver.ReceivedAt("hook").Count), count => count > 0);
        }

        var attemptsBefore = receiver.ReceivedAt("hook").Count;
        Volatile.Write(ref receiverUp, true);
        await using var second = new AdClicksApiFactory(data.Path, settings: Settings).Start();

        var received = await Eventually.MatchesAsync(() => Task.FromResult(receiver.ReceivedAt("hook")), r => r.Count > attemptsBefore);
        Assert.All(received, r => Assert.Equal(queued.Id.ToString(), r.EventId));
    }
}
