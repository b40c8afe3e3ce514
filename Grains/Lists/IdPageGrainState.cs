namespace Orleans.AdClicks.Lists;

/// <summary>At most <see cref="IIdPageGrain.Capacity"/> ids of a list, and their tags at the same indexes.</summary>
[GenerateSerializer, Alias("adclicks.id-page-state")]
public sealed class IdPageGrainState
{
    [Id(0)] public List<Guid> Ids { get; set; } = [];

    [Id(1)] public List<int> Tags { get; set; } = [];
}
