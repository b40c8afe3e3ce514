using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Storage.Aggregates;

/// <summary>
/// The hourly breakdown rows' side of the writer: queued beside the minute rows and merged in the same commit, by
/// version, into hour_breakdowns; their versions count towards latest_versions as the minute rows' do, so a grain that
/// reactivates writes above a breakdown row even when its last flush wrote no minute row.
/// </summary>
internal sealed partial class DuckDbMinuteCountWriter : IHourBreakdownWriter
{
    private const string BreakdownStagingSql = "CREATE TEMP TABLE hour_breakdowns_staging AS FROM hour_breakdowns LIMIT 0";

    // As for minute rows: only the highest staged version of a key is merged, and never over a higher stored one.
    private const string BreakdownMergeSql = """
        INSERT INTO hour_breakdowns
        SELECT * FROM hour_breakdowns_staging
        QUALIFY row_number() OVER (PARTITION BY ad_id, shard, hour, dimension, value ORDER BY version DESC) = 1
        ON CONFLICT (ad_id, shard, hour, dimension, value) DO UPDATE SET
            campaign_id = excluded.campaign_id,
            advertiser_id = excluded.advertiser_id,
            clicks = excluded.clicks,
            impressions = excluded.impressions,
            version = excluded.version
        WHERE excluded.version >= hour_breakdowns.version;
        INSERT INTO latest_versions
        SELECT CAST(ad_id AS VARCHAR) || '/' || shard, max(version) FROM hour_breakdowns_staging GROUP BY ALL
        ON CONFLICT (ad_shard) DO UPDATE SET version = greatest(latest_versions.version, excluded.version);
        DELETE FROM hour_breakdowns_staging;
        """;

    /// <summary>Completes when the rows are committed, or faults with the commit's exception.</summary>
    public Task WriteBreakdownsAsync(IReadOnlyList<HourBreakdownRow> rows, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (rows.Count == 0)
        {
            return Task.CompletedTask;
        }

        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_writes.Writer.TryWrite(new PendingWrite([], committed, [.. rows])))
        {
            throw new ObjectDisposedException(nameof(DuckDbAggregateStore));
        }

        return committed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stages and merges the group's breakdown rows, inside the commit's transaction.</summary>
    private void MergeBreakdowns(List<PendingWrite> group)
    {
        if (!group.Any(write => write.Breakdowns is { Length: > 0 }))
        {
            return;
        }

        using (var appender = _connection.CreateAppender("hour_breakdowns_staging"))
        {
            foreach (var row in group.Where(write => write.Breakdowns is not null).SelectMany(write => write.Breakdowns!))
            {
                appender.CreateRow()
                    .AppendValue(row.AdId)
                    .AppendValue(row.Shard)
                    .AppendValue(MinuteBucket.Truncate(row.Hour, Granularity.Hour).UtcDateTime)
                    .AppendValue(row.Dimension.ApiName())
                    .AppendValue(row.Value)
                    .AppendValue(row.CampaignId)
                    .AppendValue(row.AdvertiserId)
                    .AppendValue(row.Clicks)
                    .AppendValue(row.Impressions)
                    .AppendValue(row.Version)
                    .EndRow();
            }
        }

        using var merge = _connection.CreateCommand();
        merge.CommandText = BreakdownMergeSql;
        merge.ExecuteNonQuery();
    }
}
