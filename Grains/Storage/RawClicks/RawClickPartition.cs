namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>Where a group of raw events is written: an account (index into the clients), a day's table, a partition.</summary>
internal readonly record struct RawClickPartition(int Account, string Table, string PartitionKey);
