using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Tests.Api;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Dashboard;

/// <summary>
/// An Api whose clock starts <see cref="History"/> in the past and moves forward a minute at a time to now, while an
/// advertiser's ads are placed, viewed and clicked: beacons count at their arrival minute, so this is how the
/// dashboard gets history to compare with (a previous period) and to picture. Ends with the clock on real time.
/// </summary>
public sealed class DashboardHistoryFixture : IAsyncLifetime
{
    public static readonly TimeSpan History = TimeSpan.FromMinutes(90);

    private readonly TempDirectory _data = new();
    private readonly ShiftedClock _clock = new();

    public AdClicksApiFactory Factory { get; private set; } = null!;

    public ApiScenario Scenario { get; private set; } = null!;

    public DashboardAdvertiser Advertiser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var now = TimeProvider.System.GetUtcNow();
        var first = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero) - History;
        SetClock(first);
        Factory = new AdClicksApiFactory(_data.Path, services: services => services.AddSingleton<TimeProvider>(_clock)).Start();
        Scenario = new ApiScenario(Factory);
        Advertiser = await DashboardAdvertiser.CreateAsync(Factory, Scenario, "Northwind Traders", "Winter sale", "Spring launch", "Loyalty club");

        var sent = new Dictionary<Guid, (long Clicks, long Impressions)>();
        for (var minute = 0; minute < (int)History.TotalMinutes; minute++)
        {
            // Half a minute in, so a step's beacons all land in its own minute however long they take.
            SetClock(first + TimeSpan.FromMinutes(minute) + TimeSpan.FromSeconds(30));
            foreach (var (campaign, index) in Advertiser.Campaigns.Select((c, i) => (c, i)))
            {
                var (impressions, clicks) = Traffic(minute, index);
                await AdTraffic.SendAsync(Advertiser.Client, Scenario.Anonymous, campaign.AdId, impressions, clicks);
                var (c, i) = sent.GetValueOrDefault(campaign.AdId);
                sent[campaign.AdId] = (c + clicks, i + impressions);
            }
        }

        _clock.Offset = TimeSpan.Zero;
        foreach (var (adId, (clicks, impressions)) in sent)
        {
            await AdTraffic.WaitForAdAsync(Advertiser.Client, adId, clicks, impressions);
        }
    }

    /// <summary>Moves the Api's clock to <paramref name="time"/>, always forward (Orleans refuses a clock that goes back).</summary>
    private void SetClock(DateTimeOffset time) => _clock.Offset = time - TimeProvider.System.GetUtcNow();

    /// <summary>A morning's rise with a wobble, a different size per campaign; every minute has at least one impression.</summary>
    private static (int Impressions, int Clicks) Traffic(int minute, int campaign)
    {
        var impressions = 2 + (minute / 10) + (3 * campaign) + (minute * (campaign + 3) % 5);
        var clicks = ((minute + campaign) % 4 == 0 ? 2 : 1) * (impressions / (6 + (2 * campaign)));
        return (impressions, clicks);
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        _data.Dispose();
    }
}
