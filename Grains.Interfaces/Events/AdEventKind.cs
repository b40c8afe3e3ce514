namespace Orleans.AdClicks.Events;

/// <summary>What the browser did with an ad; the dedup key is (kind, impression id).</summary>
[GenerateSerializer]
public enum AdEventKind : byte
{
    Impression = 1,
    Click = 2,
}
