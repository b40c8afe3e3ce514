namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>How a silo process group-commits minute rows into ADX, at <c>AdClicks:Kusto</c>.</summary>
public sealed class KustoIngestionOptions
{
    public const string SectionName = "AdClicks:Kusto";

    /// <summary>How often pending rows are ingested.</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Pending rows that start a commit before the interval ends: about one full request.</summary>
    public int CommitRows { get; set; } = 14_000;

    /// <summary>Rows the process keeps waiting for ADX; past it a write is refused and the AdGrain keeps its rows dirty (it is the backlog).</summary>
    public int MaxPendingRows { get; set; } = 500_000;

    /// <summary>Uncompressed bytes per streaming request; the service takes at most 4 MB.</summary>
    public int MaxRequestBytes { get; set; } = Client.KustoIngestClient.MaxRequestBytes;

    /// <summary>Streaming requests of one commit in flight at once.</summary>
    public int MaxConcurrentRequests { get; set; } = 4;

    /// <summary>The wait after a failed commit; it doubles with each failure in a row, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait after an error the service calls permanent (a missing or wrong mapping): it needs an operator, not a tight loop.</summary>
    public TimeSpan PermanentErrorRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long stopping may spend on the last commit.</summary>
    public TimeSpan DisposeTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
