namespace Orleans.AdClicks.Reconciliation;

/// <summary>What an ad grain rewrote when asked to repair minutes, and whose ad it is.</summary>
/// <param name="Rows">Minute rows written with their recount.</param>
[GenerateSerializer, Immutable, Alias("adclicks.repaired-minutes")]
public sealed record RepairedMinutes([property: Id(0)] Guid CampaignId, [property: Id(1)] Guid AdvertiserId, [property: Id(2)] int Rows);
