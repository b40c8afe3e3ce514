namespace Orleans.AdClicks.Lists;

/// <summary>A list's counts: the ids themselves are in its pages, so this stays a few numbers however long the list.</summary>
[GenerateSerializer, Alias("adclicks.id-list-state")]
public sealed class IdListGrainState
{
    [Id(0)] public long Count { get; set; }

    /// <summary>Ids per tag; as many entries as there are tags (campaign statuses: four).</summary>
    [Id(1)] public Dictionary<int, long> CountsByTag { get; set; } = [];
}
