using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Ads;
using Orleans.AdClicks.Advertisers;
using Orleans.AdClicks.Campaigns;
using Orleans.AdClicks.Lists;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Orleans.AdClicks.Tests.Lists;

/// <summary>
/// A data directory written before the id lists, when the advertiser directory, each advertiser and each campaign
/// kept their lists in their own grain state: after the upgrade every advertiser, campaign and ad is listed once.
/// </summary>
public sealed class LegacyIdListsTests : IAsyncDisposable
{
    private readonly TempDirectory _data = new();
    private InProcessTestCluster? _cluster;

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        _data.Dispose();
    }

    [Fact]
    public async Task Start_StateWrittenBeforeTheIdLists_ListsEveryAdvertiserCampaignAndAdOnceAndClearsTheOldFields()
    {
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        var campaigns = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        var ads = Enumerable.Range(0, IIdPageGrain.Capacity + 205).Select(_ => Guid.NewGuid()).ToList();
        var paused = ads.Where((_, i) => i % 10 == 0).ToList();

        // The old version's grains and state names, written by this silo's grain storage and serializer.
        await StartAsync();
        await WriteAsync(Directory(), "advertisers", new List<Guid> { first, second });
        await WriteAsync(Advertiser(first), "advertiser", new AdvertiserGrainState { Name = "first", CampaignIds = [campaigns[0], campaigns[1]] });
        await WriteAsync(Advertiser(second), "advertiser", new AdvertiserGrainState { Name = "second", CampaignIds = [campaigns[2]] });
        await WriteAsync(Campaign(campaigns[0]), "campaign", new CampaignGrainState { AdvertiserId = first, Name = "big", Status = CampaignStatus.Active, AdIds = ads });
        await WriteAsync(Campaign(campaigns[1]), "campaign", new CampaignGrainState { AdvertiserId = first, Name = "paused", Status = CampaignStatus.Paused });
        await WriteAsync(Campaign(campaigns[2]), "campaign", new CampaignGrainState { AdvertiserId = second, Name = "other", Status = CampaignStatus.Active });
        foreach (var ad in ads)
        {
            await WriteAsync(GrainId.Create("ad", ad.ToString("N")), "ad", new AdGrainState
            {
                CampaignId = campaigns[0], AdvertiserId = first, Name = "ad", TargetUrl = "https://example.com/",
                Status = paused.Contains(ad) ? AdStatus.Paused : AdStatus.Active,
            });
        }

        // The upgrade: a new start on the same data directory.
        await RestartAsync();

        Assert.Equal([first, second], await ReadAllAsync(IdLists.Advertisers));
        Assert.Equal(campaigns, await ReadAllAsync(IdLists.AllCampaigns));
        Assert.Equal(campaigns[..2], await ReadAllAsync(IdLists.CampaignsOf(first)));
        Assert.Equal([campaigns[2]], await ReadAllAsync(IdLists.CampaignsOf(second)));
        Assert.Equal([campaigns[1]], await ReadAllAsync(IdLists.CampaignsOf(first), (int)CampaignStatus.Paused));
        Assert.Equal(ads, await ReadAllAsync(IdLists.AdsOf(campaigns[0])));
        Assert.Equal(paused, await ReadAllAsync(IdLists.AdsOf(campaigns[0]), (int)AdStatus.Paused));
        Assert.Empty((await ReadAsync<CampaignGrainState>(Campaign(campaigns[0]), "campaign")).AdIds);
        Assert.Empty((await ReadAsync<AdvertiserGrainState>(Advertiser(first), "advertiser")).CampaignIds);
        Assert.Empty(await ReadAsync<List<Guid>>(Directory(), "advertisers"));

        // Once: another start lists the same, and a legacy ad and campaign retag where the move put them.
        await RestartAsync();
        var adPaused = await _cluster!.Client.GetGrain<IAdDefinitionGrain>(ads[1]).SetStatusAsync(AdStatus.Paused);
        var campaignPaused = await _cluster.Client.GetGrain<ICampaignGrain>(campaigns[2]).SetStatusAsync(CampaignStatus.Paused);

        Assert.Equal(ChangeOutcome.Changed, adPaused.Outcome);
        Assert.Equal(ChangeOutcome.Changed, campaignPaused.Outcome);
        Assert.Equal(ads, await ReadAllAsync(IdLists.AdsOf(campaigns[0])));
        Assert.Equal(campaigns, await ReadAllAsync(IdLists.AllCampaigns));
        Assert.Equal([paused[0], ads[1], .. paused[1..]], await ReadAllAsync(IdLists.AdsOf(campaigns[0]), (int)AdStatus.Paused));
        Assert.Equal([campaigns[1], campaigns[2]], await ReadAllAsync(IdLists.AllCampaigns, (int)CampaignStatus.Paused));
    }

    private static GrainId Directory() => GrainId.Create("advertiserdirectory", "0");

    private static GrainId Advertiser(Guid id) => GrainId.Create("advertiser", id.ToString("N"));

    private static GrainId Campaign(Guid id) => GrainId.Create("campaign", id.ToString("N"));

    private async Task StartAsync() =>
        _cluster = await AdClicksTestCluster.DeployAsync(new Dictionary<string, string?> { ["AdClicks:DataDirectory"] = _data.Path }, silos: 1);

    private async Task RestartAsync()
    {
        await _cluster!.DisposeAsync();
        _cluster = null;
        await StartAsync();
    }

    private IGrainStorage Storage => _cluster!.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(Constants.GrainStore);

    private Task WriteAsync<T>(GrainId grain, string stateName, T state) => Storage.WriteStateAsync(stateName, grain, new GrainState<T>(state));

    private async Task<T> ReadAsync<T>(GrainId grain, string stateName)
        where T : new()
    {
        var state = new GrainState<T>(new T());
        await Storage.ReadStateAsync(stateName, grain, state);
        return state.State ?? new T();
    }

    private async Task<List<Guid>> ReadAllAsync(string list, int? tag = null)
    {
        var ids = new List<Guid>();
        var grain = _cluster!.Client.GetGrain<IIdListGrain>(list);
        while (true)
        {
            var page = await grain.ListAsync(ids.Count, 100, tag);
            if (page.Ids.Count == 0)
            {
                return ids;
            }

            ids.AddRange(page.Ids);
        }
    }
}
