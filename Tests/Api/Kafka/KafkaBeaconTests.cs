using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Api.Beacons;
using Orleans.AdClicks.Api.Beacons.EventHubs;
using Orleans.AdClicks.Api.Tokens;
using Orleans.AdClicks.Events.Wire;
using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.AdClicks.Tests.Infrastructure.Kafka;
using Orleans.AdClicks.Tokens;

namespace Orleans.AdClicks.Tests.Api.Kafka;

/// <summary>
/// Beacons through Kestrel whose click log is the Kafka producer, against librdkafka's mock cluster. The co-hosted
/// silo keeps the embedded stream (its Event Hubs half is not in this process's test): these tests read the topic.
/// </summary>
[Trait("Category", "EventHubs")]
public sealed class KafkaBeaconTests : IAsyncLifetime
{
    private const string Topic = "clicks";
    private const int Partitions = 4;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1);

    // What a loaded test machine may add to a beacon's own deadline, between the client and Kestrel.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    private readonly TempDirectory _data = new();
    private readonly MockKafkaCluster _cluster = new();
    private AdClicksApiFactory _api = null!;
    private ApiScenario _scenario = null!;

    public ValueTask InitializeAsync()
    {
        _cluster.CreateTopic(Topic, Partitions, replicationFactor: 3);
        var settings = _cluster.ProducerSettings();
        settings["AdClicks:Beacons:Deadline"] = Deadline.ToString();
        settings["AdClicks:EventHubs:Hub"] = Topic;
        settings["AdClicks:ClickLog:ShardsPerAd"] = "2";
        _api = new AdClicksApiFactory(_data.Path, settings: settings, services: s => s.AddKafkaClickLog(_ =>
            EventHubsConnection.Parse("test", "Endpoint=sb://mock.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=bm90LWEta2V5"))).Start();
        _scenario = new ApiScenario(_api);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        _cluster.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task Beacon_Accepted_ItsRecordInTheTopicWithTheDocumentedKeyAndValue()
    {
        var (advertiser, _, adId) = await _scenario.CreateAdWithOwnerAsync();
        var click = await ApiScenario.CreateImpressionAsync(advertiser, adId);
        var view = await ApiScenario.CreateImpressionAsync(advertiser, adId);

        Assert.Equal(HttpStatusCode.Redirect, (await _scenario.ClickAsync(click)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _scenario.ViewAsync(view)).StatusCode);

        var records = KafkaTopic.ReadAll(_cluster, Topic, Partitions, 2);
        Assert.Equal(2, records.Count);
        foreach (var (token, kind) in new[] { (click, "click"), (view, "impression") })
        {
            var impressionId = ImpressionOf(token);
            var record = Assert.Single(records, r => AdEventWire.TryDecode(r.Message.Value, out var e, out _) && e.ImpressionId == impressionId);
            Assert.Equal(Orleans.AdClicks.Events.AdKey.For(adId, impressionId, 2).ToString(), Encoding.UTF8.GetString(record.Message.Key));
            Assert.Contains($"\"kind\":\"{kind}\"", Encoding.UTF8.GetString(record.Message.Value), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Beacon_BrokersDown_503WithinDeadline_AndEveryAnsweredBeaconIsInTheTopic()
    {
        var (advertiser, _, adId) = await _scenario.CreateAdWithOwnerAsync();
        var answered = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            answered.Add(await ClickAcceptedAsync(advertiser, adId));
        }

        _cluster.TakeDown();
        var refused = new List<HttpStatusCode>();
        var tokens = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            tokens.Add(await ApiScenario.CreateImpressionAsync(advertiser, adId));
        }

        foreach (var token in tokens)
        {
            var watch = Stopwatch.StartNew();
            var response = await _scenario.ClickAsync(token);
            Assert.InRange(watch.Elapsed, TimeSpan.Zero, Deadline + Slack);
            refused.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                answered.Add(ImpressionOf(token));
            }
        }

        _cluster.BringUp();
        var after = await ApiScenario.CreateImpressionAsync(advertiser, adId);
        await Eventually.MatchesAsync(async () => (await _scenario.ClickAsync(after)).StatusCode, s => s == HttpStatusCode.Redirect);
        answered.Add(ImpressionOf(after));
        for (var i = 0; i < 5; i++)
        {
            answered.Add(await ClickAcceptedAsync(advertiser, adId));
        }

        Assert.All(refused, s => Assert.Equal(HttpStatusCode.ServiceUnavailable, s));
        var inTopic = KafkaTopic.ReadAll(_cluster, Topic, Partitions, answered.Count)
            .Select(r => AdEventWire.TryDecode(r.Message.Value, out var e, out _) ? e.ImpressionId : Guid.Empty)
            .ToHashSet();
        Assert.Subset(inTopic, answered.ToHashSet());
    }

    [Fact]
    public void ClickLog_KafkaRegistered_IsTheBeaconsLog()
    {
        Assert.IsType<KafkaClickLog>(_api.Services.GetRequiredService<IClickLog>());
    }

    private async Task<Guid> ClickAcceptedAsync(HttpClient advertiser, Guid adId)
    {
        var token = await ApiScenario.CreateImpressionAsync(advertiser, adId);
        Assert.Equal(HttpStatusCode.Redirect, (await _scenario.ClickAsync(token)).StatusCode);
        return ImpressionOf(token);
    }

    private Guid ImpressionOf(string text)
    {
        Assert.Equal(TokenVerdict.Valid, ClickTokenCodec.TryDecode(text, _api.Services.GetRequiredService<ClickTokens>().Keys, out var token));
        return token!.ImpressionId;
    }
}
