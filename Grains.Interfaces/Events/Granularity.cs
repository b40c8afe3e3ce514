namespace Orleans.AdClicks.Events;

/// <summary>The bucket size of an analytics series.</summary>
[GenerateSerializer]
public enum Granularity
{
    Minute,
    Hour,
    Day,
}
