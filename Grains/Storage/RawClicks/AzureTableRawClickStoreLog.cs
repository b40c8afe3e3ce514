using Microsoft.Extensions.Logging;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>The log lines of <see cref="AzureTableRawClickStore"/>; none carries a connection string or key.</summary>
internal static partial class AzureTableRawClickStoreLog
{
    [LoggerMessage(1, LogLevel.Warning, "Raw click storage call failed transiently; retry {Attempt} in {Delay}")]
    public static partial void Retrying(ILogger logger, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(2, LogLevel.Debug, "Refused {Count} raw events of ad {AdId} already in {Table}/{PartitionKey}")]
    public static partial void Refused(ILogger logger, int count, Guid adId, string table, string partitionKey);

    [LoggerMessage(3, LogLevel.Information, "Dropped raw click table {Table} of account {Account}: older than {RetentionDays} days")]
    public static partial void Dropped(ILogger logger, string table, int account, int retentionDays);

    [LoggerMessage(4, LogLevel.Error, "Dropping expired raw click tables failed; the next run tries again")]
    public static partial void DropFailed(ILogger logger, Exception exception);

    [LoggerMessage(5, LogLevel.Warning, "Skipped hour index row {RowKey} in {Table}/{PartitionKey}: not an ad key")]
    public static partial void BadIndexRow(ILogger logger, string table, string partitionKey, string rowKey);
}
