using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.RawClicks;

namespace Orleans.AdClicks.Tests.Storage.RawClicks;

public sealed class RawClickLayoutTests
{
    private static readonly DateOnly Day = new(2026, 3, 1);

    [Fact]
    public void HourTableName_LongestPrefix_IsAValidTableNameOutsideTheDayTablesRange()
    {
        var prefix = "r" + new string('x', RawClickLayout.MaxTablePrefixLength - 1);
        var layout = new RawClickLayout(prefix, 8, 1);

        var name = layout.HourTableName(Day);

        Assert.Equal(63, name.Length);
        Assert.All(name, c => Assert.True(char.IsAsciiLetterOrDigit(c)));
        Assert.True(string.CompareOrdinal(name, layout.TableName(DateOnly.MaxValue)) > 0);
        Assert.False(layout.TryParseDay(name, out _));
        Assert.True(layout.TryParseHourDay(name, out var day));
        Assert.Equal(Day, day);
        Assert.False(layout.TryParseHourDay(layout.TableName(Day), out _));
    }

    [Fact]
    public void HourPartitionOf_ShardedAd_KeysAreValidAndRoundTrip()
    {
        var layout = new RawClickLayout("rawclicks", 8, 4);
        var key = new AdKey(Guid.Parse("5a000000-0000-4000-8000-000000000001"), 12);

        var partition = layout.HourPartitionOf(new DateTimeOffset(2026, 3, 1, 23, 0, 0, TimeSpan.FromHours(-2)), AdSlice.Of(key.AdId));
        var rowKey = RawClickLayout.HourRowKey(key);

        Assert.Equal(new RawClickPartition(layout.AccountOf("2026030201-5a"), "rawclickshours20260302", "2026030201-5a"), partition);
        Assert.Equal("5a000000000040008000000000000001-12", rowKey);
        Assert.True(RawClickLayout.TryParseHourRowKey(rowKey, out var parsed));
        Assert.Equal(key, parsed);
    }

    [Fact]
    public void Options_PrefixTooLongForIndexTables_Refused()
    {
        var options = new AzureTableRawClickStoreOptions { TablePrefix = "r" + new string('x', RawClickLayout.MaxTablePrefixLength) };

        Assert.Throws<ArgumentException>(options.Validate);
    }
}
