using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>
/// Maps an event to its account, table, partition and row. Everything is derived from the token (ad id,
/// impression id, issue day), never from arrival time, so a duplicate always meets its original. The
/// hashes are fixed (xxHash32), unlike string.GetHashCode, so every process agrees on them.
/// </summary>
internal sealed class RawClickLayout(string tablePrefix, int partitionsPerAd, int accounts)
{
    private const string DayFormat = "yyyyMMdd";
    private const string HourFormat = "yyyyMMddHH";

    // Letters sort after digits, so the index tables lie outside the day tables' name range and vice versa.
    private const string HourIndexInfix = "hours";

    /// <summary>The longest prefix that keeps the hour index tables' names (prefix, "hours", yyyyMMdd) within Table Storage's 63 characters.</summary>
    public const int MaxTablePrefixLength = 50;

    public int PartitionsPerAd => partitionsPerAd;

    public RawClickPartition PartitionOf(AdEvent e)
    {
        var partitionKey = PartitionKey(e.AdId, Bucket(e.ImpressionId));
        return new RawClickPartition(AccountOf(partitionKey), TableName(DateOnly.FromDateTime(e.TokenIssuedAt.UtcDateTime)), partitionKey);
    }

    /// <summary>"{adId:N}-{bucket:D2}": one ad spread over several partitions, each with its own throughput limit.</summary>
    public static string PartitionKey(Guid adId, int bucket) => string.Create(CultureInfo.InvariantCulture, $"{adId:N}-{bucket:D2}");

    /// <summary>The kind letter then the impression id: the dedup key, unique within a partition.</summary>
    public static string RowKey(AdEventKind kind, Guid impressionId) =>
        (kind == AdEventKind.Click ? "c" : "i") + impressionId.ToString("N");

    public string TableName(DateOnly issueDay) => tablePrefix + issueDay.ToString(DayFormat, CultureInfo.InvariantCulture);

    /// <summary>The issue day of one of this layout's tables; false for any other table.</summary>
    public bool TryParseDay(string tableName, out DateOnly day) => TryParseDay(tableName, tablePrefix, out day);

    /// <summary>The hour index table of one UTC day of event time: which ad shards have billable events in each hour.</summary>
    public string HourTableName(DateOnly eventDay) => tablePrefix + HourIndexInfix + eventDay.ToString(DayFormat, CultureInfo.InvariantCulture);

    /// <summary>The event day of one of this layout's hour index tables; false for any other table.</summary>
    public bool TryParseHourDay(string tableName, out DateOnly day) => TryParseDay(tableName, tablePrefix + HourIndexInfix, out day);

    /// <summary>Where the hour index lists the ads of <paramref name="slice"/> active in <paramref name="hour"/> (a UTC hour start).</summary>
    public RawClickPartition HourPartitionOf(DateTimeOffset hour, int slice)
    {
        // 256 partitions an hour, so the burst of first events at the start of an hour is spread.
        var partitionKey = hour.UtcDateTime.ToString(HourFormat, CultureInfo.InvariantCulture) + "-" + AdSlice.Prefix(slice);
        return new RawClickPartition(AccountOf(partitionKey), HourTableName(DateOnly.FromDateTime(hour.UtcDateTime)), partitionKey);
    }

    /// <summary>The hour index row of an ad shard: its string key with '-' for '#', which row keys must not contain.</summary>
    public static string HourRowKey(AdKey key) => key.ToString().Replace('#', '-');

    public static bool TryParseHourRowKey(string rowKey, out AdKey key) => AdKey.TryParse(rowKey.Replace('-', '#'), out key);

    public int AccountOf(string partitionKey) =>
        (int)(XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(partitionKey)) % (uint)accounts);

    private static bool TryParseDay(string tableName, string namePrefix, out DateOnly day)
    {
        day = default;
        return tableName.Length == namePrefix.Length + DayFormat.Length
            && tableName.StartsWith(namePrefix, StringComparison.Ordinal)
            && DateOnly.TryParseExact(tableName.AsSpan(namePrefix.Length), DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }

    // Hashed rather than taken from the id's bytes, so it is independent of the ad's counting shard (AdKey.For).
    private int Bucket(Guid impressionId)
    {
        Span<byte> bytes = stackalloc byte[16];
        impressionId.TryWriteBytes(bytes);
        return (int)(XxHash32.HashToUInt32(bytes) % (uint)partitionsPerAd);
    }
}
