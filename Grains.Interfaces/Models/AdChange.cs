namespace Orleans.AdClicks.Models;

/// <summary>The outcome of changing an ad: the ad as it now is, or why nothing changed.</summary>
[GenerateSerializer, Immutable, Alias("adclicks.ad-change")]
public sealed record AdChange(
    [property: Id(0)] ChangeOutcome Outcome,
    [property: Id(1)] AdInfo? Ad,
    [property: Id(2)] string? Reason = null);
