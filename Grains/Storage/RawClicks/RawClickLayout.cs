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
    public bool TryParseDay(string tableName, out DateOnly day)
    {
        day = default;
        return tableName.Length == tablePrefix.Length + DayFormat.Length
            && tableName.StartsWith(tablePrefix, StringComparison.Ordinal)
            && DateOnly.TryParseExact(tableName.AsSpan(tablePrefix.Length), DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }

    public int AccountOf(string partitionKey) =>
        (int)(XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(partitionKey)) % (uint)accounts);

    // Hashed rather than taken from the id's bytes, so it is independent of the ad's counting shard (AdKey.For).
    private int Bucket(Guid impressionId)
    {
        Span<byte> bytes = stackalloc byte[16];
        impressionId.TryWriteBytes(bytes);
        return (int)(XxHash32.HashToUInt32(bytes) % (uint)partitionsPerAd);
    }
}
