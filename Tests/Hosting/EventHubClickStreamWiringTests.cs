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
    [InlineData("0")]
    [InlineData("65")]
    public void Silo_ShardsPerAdOutOfRange_RefusedNamingTheKey(string shards)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new()
        {
            ["ConnectionStrings:EventHubs"] = "contoso.servicebus.windows.net",
            ["AdClicks:ClickLog:ShardsPerAd"] = shards,
        }));

        Assert.Contains("AdClicks:ClickLog:ShardsPerAd", error.Message, StringComparison.Ordinal);
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
