namespace Orleans.AdClicks.Lists;

/// <summary>A page of a list's ids and the list's total (of the tag asked for, if any).</summary>
[GenerateSerializer, Immutable, Alias("adclicks.id-list-page")]
public sealed record IdListPage([property: Id(0)] IReadOnlyList<Guid> Ids, [property: Id(1)] long Total);
