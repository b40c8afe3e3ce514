using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Streaming;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.Configuration;
using Orleans.Streaming.EventHubs;
using Orleans.Streams;

namespace Orleans.AdClicks.Tests.Hosting;

/// <summary>What a silo on Event Hubs is configured with, read from its services without starting it (nothing connects).</summary>
[Trait("Category", "EventHubs")]
public sealed class EventHubClickStreamWiringTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData("key")]
    [InlineData("managed identity")]
    public void Silo_OnEventHubs_ReadsFromTheBeginningWithTheConfiguredCheckpointsCacheAndAdapter(string form)
    {
        using var host = Build(new()
        {
            ["ConnectionStrings:EventHubs"] = form == "key"
                ? $"Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=silo;SharedAccessKey={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}"
                : "contoso.servicebus.windows.net",
            ["AdClicks:EventHubs:CheckpointTable"] = "SiloCheckpoints",
            ["AdClicks:EventHubs:CheckpointInterval"] = "00:00:20",
            ["AdClicks:EventHubs:PrefetchCount"] = "3000",
            ["AdClicks:EventHubs:CacheMaxAge"] = "00:02:00",
        });
        var services = host.Services;

        var receiver = services.GetOptionsByName<EventHubReceiverOptions>(Constants.StreamProvider);
        var checkpoints = services.GetOptionsByName<AzureTableStreamCheckpointerOptions>(Constants.StreamProvider);
        var eviction = services.GetOptionsByName<StreamCacheEvictionOptions>(Constants.StreamProvider);
        var pubSub = services.GetOptionsByName<StreamPubSubOptions>(Constants.StreamProvider);

        Assert.False(receiver.StartFromNow);
        Assert.Equal(3000, receiver.PrefetchCount);
        Assert.Equal("SiloCheckpoints", checkpoints.TableName);
        Assert.Equal(TimeSpan.FromSeconds(20), checkpoints.PersistInterval);
        Assert.NotNull(checkpoints.TableServiceClient);
        Assert.Equal(TimeSpan.FromMinutes(2), eviction.DataMaxAgeInCache);
        Assert.Equal(TimeSpan.FromSeconds(30), eviction.DataMinTimeInCache);
        Assert.Equal(StreamPubSubType.ImplicitOnly, pubSub.PubSubType);
        Assert.IsType<ClickEventDataAdapter>(services.GetRequiredKeyedService<IEventHubDataAdapter>(Constants.StreamProvider));
    }

    [Theory]
    [InlineData("ShardsPerAd", "0")]
    [InlineData("ShardsPerAd", "65")]
    [InlineData("HotAdEventsPerShardPerSecond", "-1")]
    [InlineData("MaxShardsPerAd", "65")]
    [InlineData("HotAdCoolDown", "00:00:00")]
    public void Silo_ShardSettingOutOfRange_RefusedNamingTheKey(string setting, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new()
        {
            ["ConnectionStrings:EventHubs"] = "contoso.servicebus.windows.net",
            [$"AdClicks:ClickLog:{setting}"] = value,
        }));

        Assert.Contains($"AdClicks:ClickLog:{setting}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Silo_OnEventHubs_SpreadsHotAdsByTheApisKeys()
    {
        using var host = Build(new()
        {
            ["ConnectionStrings:EventHubs"] = "contoso.servicebus.windows.net",
            ["AdClicks:ClickLog:ShardsPerAd"] = "2",
            ["AdClicks:ClickLog:HotAdEventsPerShardPerSecond"] = "500",
            ["AdClicks:ClickLog:MaxShardsPerAd"] = "32",
            ["AdClicks:ClickLog:HotAdCoolDown"] = "00:05:00",
        });

        var hotAds = host.Services.GetRequiredService<PartitionHotAds>();

        Assert.Equal(new HotAdSettings(2, 500, 32, TimeSpan.FromMinutes(5)), hotAds.Settings);
    }

    private IHost Build(Dictionary<string, string?> settings)
    {
        settings["AdClicks:DataDirectory"] = _data.Path;
        settings["ConnectionStrings:AzureStorage"] = "UseDevelopmentStorage=true";
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.UseOrleans(silo => silo.UseLocalhostClustering().AddAdClicks(builder.Configuration));
        return builder.Build();
    }
}
