using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Benchmarks.Micro;

/// <summary>Events as a beacon makes them: a browser's user agent, a truncated client address, a day-long token.</summary>
internal static class HotPathEvents
{
    public const string UserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    public static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 30, TimeSpan.Zero);

    public static AdEvent Click(Guid adId, Guid campaignId, Guid impressionId, DateTimeOffset now) =>
        new(AdEventKind.Click, impressionId, adId, campaignId, now, now.AddMinutes(-1), now.AddDays(1), Billable: true, UserAgent, "203.0.113.0");

    /// <summary>One click for each of <paramref name="count"/> events, spread over <paramref name="ads"/> ads in turn.</summary>
    public static AdEvent[] Clicks(int count, int ads, DateTimeOffset now)
    {
        var adIds = Enumerable.Range(0, ads).Select(_ => Guid.NewGuid()).ToArray();
        var campaign = Guid.NewGuid();
        return [.. Enumerable.Range(0, count).Select(i => Click(adIds[i % ads], campaign, Guid.NewGuid(), now))];
    }
}
