using Microsoft.Extensions.Configuration;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Models;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Orleans.AdClicks.Tests.Infrastructure;

/// <summary>An in-process cluster of AdClicks silos and the steps cluster tests share.</summary>
public static class AdClicksTestCluster
{
    /// <summary>
    /// Deploys <paramref name="silos"/> silos wired by <c>AddAdClicks</c> with <paramref name="settings"/>, then by
    /// <paramref name="configureSilo"/> when set (a test's clock or store decorator, found again in the silo's services).
    /// A <paramref name="serviceId"/> given again makes a later cluster find the grain state of an earlier one.
    /// </summary>
    public static async Task<InProcessTestCluster> DeployAsync(
        IReadOnlyDictionary<string, string?> settings, short silos = 2, Action<ISiloBuilder>? configureSilo = null, string? serviceId = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = new InProcessTestClusterBuilder(silos);
        if (serviceId is not null)
        {
            builder.Options.ServiceId = serviceId;
        }

        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddAdClicks(configuration);
            configureSilo?.Invoke(silo);
        });
        builder.ConfigureClient(client => client.AddAdClicksClickStream(configuration));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>An advertiser with one campaign of <paramref name="count"/> ads.</summary>
    public static async Task<List<AdInfo>> CreateAdsAsync(this IClusterClient client, int count)
    {
        var advertiser = Guid.NewGuid();
        await client.GetGrain<IAdvertiserGrain>(advertiser).CreateAsync("advertiser", new byte[32]);
        var campaign = client.GetGrain<ICampaignGrain>(Guid.NewGuid());
        await campaign.CreateAsync(advertiser, new CampaignSettings("campaign"));
        var ads = new List<AdInfo>();
        for (var i = 0; i < count; i++)
        {
            ads.Add(await campaign.CreateAdAsync(new AdSettings($"ad {i}", "https://example.com/")));
        }

        return ads;
    }

    /// <summary>Appends the events to the click stream as the click log does: per ad, 50 at a time.</summary>
    public static async Task PublishAsync(this IClusterClient client, IEnumerable<AdEvent> events)
    {
        var provider = client.GetStreamProvider(Constants.StreamProvider);
        await Task.WhenAll(events.GroupBy(e => e.AdId).Select(async ad =>
        {
            var stream = provider.GetStream<AdEvent>(StreamId.Create(Constants.ClicksNamespace, new AdKey(ad.Key, 0).ToString()));
            foreach (var chunk in ad.Chunk(50))
            {
                await stream.OnNextBatchAsync(chunk);
            }
        }));
    }
}
