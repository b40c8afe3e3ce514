using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Api.Beacons;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>Beacons over a real click stream whose appends for chosen ads are held or fail.</summary>
public sealed class ClickLogTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1);

    // What a loaded test machine may add to a beacon's own deadline, between the client and Kestrel.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    private readonly TempDirectory _data = new();
    private readonly StalledClickStream _stream = new();
    private AdClicksApiFactory _api = null!;
    private ApiScenario _scenario = null!;
    private HttpClient _advertiser = null!;
    private Guid _campaignId;

    public ValueTask InitializeAsync()
    {
        _api = new AdClicksApiFactory(_data.Path, settings: new Dictionary<string, string>
        {
            ["AdClicks:Beacons:Deadline"] = Deadline.ToString(),
        }, services: _stream.AddTo).Start();
        _scenario = new ApiScenario(_api);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Click_AppendStuck_503WithinDeadline()
    {
        var (advertiser, _, adId) = await _scenario.CreateAdWithOwnerAsync();
        var token = await ApiScenario.CreateImpressionAsync(advertiser, adId);
        _stream.Hold(adId);

        var watch = Stopwatch.StartNew();
        var response = await ClickAsync(token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.InRange(watch.Elapsed, Deadline - TimeSpan.FromMilliseconds(50), Deadline + Slack);
        _stream.Release(adId);
    }

    [Fact]
    public async Task Click_AppendFails_503AtOnce()
    {
        var (advertiser, _, adId) = await _scenario.CreateAdWithOwnerAsync();
        var token = await ApiScenario.CreateImpressionAsync(advertiser, adId);
        Assert.Equal(HttpStatusCode.Redirect, (await ClickAsync(await ApiScenario.CreateImpressionAsync(advertiser, adId))).StatusCode);
        _stream.Fail(adId);

        var watch = Stopwatch.StartNew();
        var response = await ClickAsync(token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(watch.Elapsed < Deadline, $"answered after {watch.Elapsed}");

        // One try: the click log has no retry layer of its own above the stream's.
        Assert.Single(_stream.Appends(adId));
    }

    [Fact]
    public async Task Click_OtherAdsStuck_RedirectsWithoutWaitingForThem()
    {
        await CreateCampaignAsync();
        var stuck = new[] { await CreateAdAsync(), await CreateAdAsync() };
        var other = await CreateAdAsync();
        var otherToken = await ApiScenario.CreateImpressionAsync(_advertiser, other);
        Assert.Equal(HttpStatusCode.Redirect, (await ClickAsync(await ApiScenario.CreateImpressionAsync(_advertiser, other))).StatusCode);
        var stuckClicks = new List<Task<HttpResponseMessage>>();
        foreach (var adId in stuck)
        {
            // One append of each stuck ad is held before the next ad is clicked: every pump that waits on a
            // whole batch would be taken.
            _stream.Hold(adId);
            stuckClicks.Add(ClickAsync(await ApiScenario.CreateImpressionAsync(_advertiser, adId)));
            await Eventually.MatchesAsync(() => Task.FromResult(_stream.Appends(adId).Count), n => n == 1);
        }

        var watch = Stopwatch.StartNew();
        var response = await ClickAsync(otherToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(watch.Elapsed < Deadline, $"answered after {watch.Elapsed}");
        Assert.All(await Task.WhenAll(stuckClicks), r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode));
        Array.ForEach(stuck, _stream.Release);
    }

    [Fact]
    public async Task AppendAsync_ShardBusy_WaitingEventsGoInOneAppendWithoutTheAbandoned()
    {
        await CreateCampaignAsync();
        var adId = await CreateAdAsync();
        var log = _api.Services.GetRequiredService<IClickLog>();
        _stream.Hold(adId);
        var first = log.AppendAsync(NewClick(adId), TestContext.Current.CancellationToken);
        await Eventually.MatchesAsync(() => Task.FromResult(_stream.Appends(adId).Count), n => n == 1);
        using var giveUp = new CancellationTokenSource();

        // Queued behind the held append: the first gives up (its deadline passed, or its client left).
        var abandoned = log.AppendAsync(NewClick(adId), giveUp.Token);
        var waiting = Enumerable.Range(0, 10).Select(_ => log.AppendAsync(NewClick(adId), TestContext.Current.CancellationToken)).ToList();
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        _stream.Release(adId);
        await first;
        await Task.WhenAll(waiting);

        Assert.Equal(new[] { 1, 10 }, _stream.Appends(adId));
    }

    [Fact]
    public async Task AppendAsync_ShardBackedUp_RefusedAtOnceWhileOtherShardsAppend()
    {
        using var data = new TempDirectory();
        var stream = new StalledClickStream();
        await using var api = new AdClicksApiFactory(data.Path, settings: new Dictionary<string, string>
        {
            ["AdClicks:ClickLog:MaxPendingPerShard"] = "5",
        }, services: stream.AddTo).Start();
        var scenario = new ApiScenario(api);
        var (_, _, stuck) = await scenario.CreateAdWithOwnerAsync();
        var (_, _, other) = await scenario.CreateAdWithOwnerAsync();
        var log = api.Services.GetRequiredService<IClickLog>();
        stream.Hold(stuck);
        var held = log.AppendAsync(NewClick(stuck), TestContext.Current.CancellationToken);
        await Eventually.MatchesAsync(() => Task.FromResult(stream.Appends(stuck).Count), n => n == 1);
        var waiting = Enumerable.Range(0, 5).Select(_ => log.AppendAsync(NewClick(stuck), TestContext.Current.CancellationToken)).ToList();

        await Assert.ThrowsAsync<ClickLogUnavailableException>(() => log.AppendAsync(NewClick(stuck), TestContext.Current.CancellationToken));
        await log.AppendAsync(NewClick(other), TestContext.Current.CancellationToken);

        stream.Release(stuck);
        await held;
        await Task.WhenAll(waiting);
        Assert.Equal(new[] { 1, 5 }, stream.Appends(stuck));
    }

    private async Task CreateCampaignAsync()
    {
        (_, _advertiser) = await _scenario.CreateAdvertiserAsync();
        _campaignId = await ApiScenario.CreateCampaignAsync(_advertiser);
    }

    private Task<Guid> CreateAdAsync() => ApiScenario.CreateAdAsync(_advertiser, _campaignId);

    private Task<HttpResponseMessage> ClickAsync(string token) => _scenario.Anonymous.GetAsync($"/c/{token}", TestContext.Current.CancellationToken);

    private static AdEvent NewClick(Guid adId)
    {
        var now = DateTimeOffset.UtcNow;
        return new AdEvent(AdEventKind.Click, Guid.NewGuid(), adId, Guid.NewGuid(), now, now, now.AddDays(1), Billable: true, UserAgent: null, ClientIp: null);
    }
}
