namespace Orleans.AdClicks.Models;

/// <summary>Whether an ad may be placed; clicks on tokens already placed are counted whatever it is.</summary>
[GenerateSerializer]
public enum AdStatus
{
    Active,
    Paused,
    Archived,
}
