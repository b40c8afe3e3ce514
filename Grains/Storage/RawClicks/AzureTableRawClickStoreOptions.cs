namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>How <see cref="AzureTableRawClickStore"/> lays raw events out in Azure Table Storage ("AdClicks:RawClicks").</summary>
public sealed class AzureTableRawClickStoreOptions
{
    /// <summary>
    /// Tables are named prefix + yyyyMMdd of the token's issue day, hour index tables prefix + "hours" + yyyyMMdd of the
    /// event day; 1–50 letters and digits, starting with a letter.
    /// </summary>
    public string TablePrefix { get; set; } = "rawclicks";

    /// <summary>Partitions one ad's events are spread over (1–100). Changing it on live data breaks dedup: never do.</summary>
    public int PartitionsPerAd { get; set; } = 8;

    /// <summary>
    /// How much longer than the token lifetime a day's table must be kept: a token issued at the end of its
    /// issue day expires a lifetime after that day ends, and clocks differ.
    /// </summary>
    public static readonly TimeSpan RetentionMargin = TimeSpan.FromDays(2);

    /// <summary>Days of raw events kept; a day's table is dropped whole once it is older.</summary>
    public int RetentionDays { get; set; } = 90;

    /// <summary>
    /// The cluster's token lifetime ("AdClicks:Tokens:Lifetime", set by the host, not by this section): bounds which
    /// tables a count has to read, and how long a table can still receive a countable duplicate.
    /// </summary>
    public TimeSpan TokenLifetime { get; internal set; } = TimeSpan.FromDays(1);

    /// <summary>Entity-group transactions one append runs at the same time.</summary>
    public int MaxConcurrentTransactions { get; set; } = 8;

    /// <summary>Dedup keys remembered in memory as stored, to refuse quick retries without a 409; 0 turns it off.</summary>
    public int RecentIdsCapacity { get; set; } = 1_000_000;

    /// <summary>(hour, ad shard) pairs remembered in memory as in the hour index, so each costs one upsert per process; 0 turns it off.</summary>
    public int IndexedAdHoursCapacity { get; set; } = 1_000_000;

    internal void Validate()
    {
        if (TablePrefix.Length is 0 or > RawClickLayout.MaxTablePrefixLength || !char.IsAsciiLetter(TablePrefix[0]) || !TablePrefix.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"TablePrefix '{TablePrefix}' must be 1–{RawClickLayout.MaxTablePrefixLength} ASCII letters or digits, starting with a letter.");
        }

        if (PartitionsPerAd is < 1 or > 100)
        {
            throw new ArgumentException($"PartitionsPerAd must be 1–100, not {PartitionsPerAd}.");
        }

        if (TokenLifetime <= TimeSpan.Zero)
        {
            throw new ArgumentException($"AdClicks:Tokens:Lifetime must be positive, not {TokenLifetime}.");
        }

        // Dropping a table that can still receive a countable duplicate would let that duplicate in again.
        if (TimeSpan.FromDays(RetentionDays) < TokenLifetime + RetentionMargin)
        {
            throw new ArgumentException(
                $"AdClicks:RawClicks:RetentionDays ({RetentionDays}) must be at least AdClicks:Tokens:Lifetime ({TokenLifetime}) plus {RetentionMargin.TotalDays} days: " +
                "a table dropped earlier could let a still-countable duplicate be counted again.");
        }

        if (RecentIdsCapacity < 0)
        {
            throw new ArgumentException($"RecentIdsCapacity must not be negative, not {RecentIdsCapacity}.");
        }

        if (IndexedAdHoursCapacity < 0)
        {
            throw new ArgumentException($"IndexedAdHoursCapacity must not be negative, not {IndexedAdHoursCapacity}.");
        }

        if (MaxConcurrentTransactions < 1)
        {
            throw new ArgumentException($"MaxConcurrentTransactions must be positive, not {MaxConcurrentTransactions}.");
        }
    }
}
