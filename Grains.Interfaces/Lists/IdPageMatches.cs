namespace Orleans.AdClicks.Lists;

/// <summary>The ids of one tag in one page: how many there are, and those asked for.</summary>
[GenerateSerializer, Immutable, Alias("adclicks.id-page-matches")]
public sealed record IdPageMatches([property: Id(0)] int Matches, [property: Id(1)] IReadOnlyList<Guid> Ids);
