using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Polly;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>
/// The raw click store on Azure Table Storage: the durable dedup registry and the source of truth.
/// </summary>
/// <remarks>
/// One table per UTC day of the token's issue time ("rawclicks20261128"), so a retry a day later still
/// meets its original, and retention drops whole tables. Within it, an ad is spread over
/// <see cref="AzureTableRawClickStoreOptions.PartitionsPerAd"/> partitions "{adId:N}-{bucket:D2}" by a hash
/// of the impression id (each partition takes ~2,000 entities/s), and the row key is the dedup key
/// (kind letter + impression id), so inserting a duplicate fails with 409. Partitions are spread over the
/// given accounts (~20,000 entities/s each) by a fixed hash of the partition key: the account list must not
/// change while its tables are kept.
/// An hour index ("rawclickshours20261128", see <see cref="RawClickHourIndex"/>) names the ad shards with billable
/// events or invalid clicks in each UTC hour, for reconciliation; it is written before the events it names.
/// The store starts an hourly timer (first run a minute after start) that drops tables past retention.
/// </remarks>
public sealed class AzureTableRawClickStore : IRawClickStore, IAsyncDisposable
{
    private static readonly TimeSpan FirstDropAfter = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan DropPeriod = TimeSpan.FromHours(1);

    // Issue and event times come from different machines' clocks.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private static readonly string[] CountColumns = [RawClickEntity.Kind, RawClickEntity.EventTime, RawClickEntity.Billable, RawClickEntity.InvalidReason, nameof(AdEvent.TokenExpiresAt)];
    private static readonly string[] BreakdownColumns =
        [RawClickEntity.Kind, RawClickEntity.EventTime, nameof(AdEvent.Device), nameof(AdEvent.Browser), nameof(AdEvent.Os), nameof(AdEvent.Country)];

    private readonly AzureTableRawClickStoreOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<AzureTableRawClickStore> _logger;
    private readonly RawClickLayout _layout;
    private readonly RawClickTables _tables;
    private readonly RawClickTransactionWriter _writer;
    private readonly ResiliencePipeline _pipeline;
    private readonly RecentSet<(AdEventKind Kind, Guid ImpressionId)> _recent;
    private readonly RawClickHourIndex _hourIndex;
    private readonly ITimer _dropTimer;

    public AzureTableRawClickStore(IReadOnlyList<TableServiceClient> accounts, AzureTableRawClickStoreOptions options, TimeProvider timeProvider, ILogger<AzureTableRawClickStore> logger)
    {
        if (accounts.Count == 0)
        {
            throw new ArgumentException("At least one storage account is needed.", nameof(accounts));
        }

        options.Validate();
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _layout = new RawClickLayout(options.TablePrefix, options.PartitionsPerAd, accounts.Count);
        _pipeline = RawClickResilience.Create(timeProvider, logger);
        _tables = new RawClickTables(accounts, _pipeline);
        _writer = new RawClickTransactionWriter(_tables, _pipeline, logger);
        _recent = new RecentSet<(AdEventKind, Guid)>(options.RecentIdsCapacity);
        _hourIndex = new RawClickHourIndex(_layout, _tables, _pipeline, options.IndexedAdHoursCapacity, logger);
        _dropTimer = timeProvider.CreateTimer(_ => _ = DropOnTimerAsync(), null, FirstDropAfter, DropPeriod);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AdEvent>> AppendNewAsync(AdKey key, IReadOnlyList<AdEvent> events, CancellationToken cancellationToken = default)
    {
        var seen = new HashSet<(AdEventKind, Guid)>();
        var candidates = new List<AdEvent>(events.Count);
        foreach (var e in events)
        {
            if (e.AdId != key.AdId)
            {
                throw new ArgumentException($"Event {e.ImpressionId} belongs to ad {e.AdId:N}, not to {key}.", nameof(events));
            }

            if (seen.Add((e.Kind, e.ImpressionId)) && !_recent.Contains((e.Kind, e.ImpressionId)))
            {
                candidates.Add(e);
            }
        }

        // Index first: a failure between the two leaves an index row too many, never an event it does not name.
        await _hourIndex.AddAsync(key, candidates, cancellationToken);

        var chunks = candidates
            .Select(e => (Partition: _layout.PartitionOf(e), Event: e))
            .GroupBy(x => x.Partition)
            .SelectMany(g => g.Chunk(RawClickTransactionWriter.MaxTransactionSize).Select(c => (g.Key, Entities: c.Select(x => RawClickEntity.From(x.Event, key.Shard, g.Key.PartitionKey)).ToList())));
        var inserted = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentTransactions, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(chunks, parallel, async (chunk, token) =>
        {
            foreach (var entity in await _writer.InsertNewAsync(chunk.Key, key.AdId, chunk.Entities, token))
            {
                inserted.TryAdd(entity.RowKey, 0);
            }
        });

        // Every candidate is in the table now: inserted by this call or found there.
        _recent.AddRange(candidates.Select(e => (e.Kind, e.ImpressionId)));
        return candidates.Where(e => inserted.ContainsKey(RawClickLayout.RowKey(e.Kind, e.ImpressionId))).ToList();
    }

    /// <inheritdoc />
    /// <remarks>
    /// A billable event is never later than its token's expiry, and an expired click counts only within
    /// <see cref="InvalidClickCounts.ExpiredClicksCountedFor"/> after it, so a counted event's token was issued at most
    /// TokenLifetime plus that before <paramref name="from"/>: those days' tables are read, every partition of the ad.
    /// That scans the ad's partitions of each day (filtered by shard, time and billable or click on the server):
    /// fine for one ad's recount; reconciliation recounts only the ads the hour index names for the hour.
    /// Invalid clicks are counted by their InvalidReason; an older entity that says only "not billable" is an expired token.
    /// </remarks>
    public async Task<IReadOnlyList<MinuteTally>> CountAsync(AdKey key, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        if (from >= to)
        {
            return [];
        }

        var first = _layout.TableName(DateOnly.FromDateTime((from - _options.TokenLifetime - InvalidClickCounts.ExpiredClicksCountedFor - ClockSkew).UtcDateTime));
        var last = _layout.TableName(DateOnly.FromDateTime((to + ClockSkew).UtcDateTime));
        // One range query per account and day table covers every partition of the ad there ("{adId}-00" to
        // "{adId}-{last}"): the buckets of one ad sit next to each other in key order, and no other ad's between.
        var lowest = RawClickLayout.PartitionKey(key.AdId, 0);
        var highest = RawClickLayout.PartitionKey(key.AdId, _layout.PartitionsPerAd - 1);
        var queries = new List<(int Account, string Table)>();
        foreach (var account in Enumerable.Range(0, _layout.PartitionsPerAd).Select(b => _layout.AccountOf(RawClickLayout.PartitionKey(key.AdId, b))).Distinct())
        {
            queries.AddRange((await _tables.ListAsync(account, first, last, cancellationToken)).Select(table => (account, table)));
        }

        var results = new ConcurrentBag<List<CountedRow>>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentTransactions, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(queries, parallel, async (query, token) =>
        {
            var table = _tables.Get(query.Account, query.Table);
            var filter = TableClient.CreateQueryFilter(
                $"PartitionKey ge {lowest} and PartitionKey le {highest} and Shard eq {key.Shard} and (Billable eq {true} or Kind eq {nameof(AdEventKind.Click)}) and EventTime ge {from} and EventTime lt {to}");
            results.Add(await _pipeline.ExecuteAsync(async t => await ReadAsync(table, filter, t), token));
        });

        return results.SelectMany(rows => rows)
            .Where(row => row.Reason == InvalidTrafficReason.None || row.CountsAsInvalidClick)
            .GroupBy(row => row.Minute)
            .OrderBy(minute => minute.Key)
            .Select(minute => new MinuteTally(
                minute.Key,
                minute.LongCount(row => row.Reason == InvalidTrafficReason.None && row.Kind == AdEventKind.Click),
                minute.LongCount(row => row.Reason == InvalidTrafficReason.None && row.Kind != AdEventKind.Click),
                minute.Where(row => row.Reason != InvalidTrafficReason.None).Aggregate(default(InvalidClickCounts), (counts, row) => counts.Add(row.Reason))))
            .ToList();
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AdKey>> ListActiveAdsAsync(DateTimeOffset hour, int slice, CancellationToken cancellationToken = default)
    {
        MinuteBucket.ThrowIfNotHourStart(hour);
        AdSlice.ThrowIfOutOfRange(slice);
        return _hourIndex.ListAsync(hour, slice, cancellationToken);
    }

    /// <summary>Drops every day table and hour index table older than RetentionDays in every account; returns how many it dropped.</summary>
    public async Task<int> DropExpiredTablesAsync(CancellationToken cancellationToken = default)
    {
        var today = DateOnly.FromDateTime(_timeProvider.GetUtcNow().UtcDateTime);
        var oldestKept = today.AddDays(-_options.RetentionDays);
        var dropped = 0;
        for (var account = 0; account < _tables.Accounts; account++)
        {
            // Two name ranges: the day tables' prefix is followed by digits, the index tables' by "hours".
            var names = await _tables.ListAsync(account, _layout.TableName(DateOnly.MinValue), _layout.TableName(oldestKept.AddDays(-1)), cancellationToken);
            names.AddRange(await _tables.ListAsync(account, _layout.HourTableName(DateOnly.MinValue), _layout.HourTableName(oldestKept.AddDays(-1)), cancellationToken));
            foreach (var name in names)
            {
                if ((_layout.TryParseDay(name, out var day) || _layout.TryParseHourDay(name, out day)) && day < oldestKept)
                {
                    await _tables.DeleteAsync(account, name, cancellationToken);
                    AzureTableRawClickStoreLog.Dropped(_logger, name, account, _options.RetentionDays);
                    dropped++;
                }
            }
        }

        return dropped;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Reads the billable rows of the hours as <see cref="CountAsync"/> reads minutes (the same day tables and range
    /// query of the ad's partitions), projecting only the kind, the event time and the four enriched fields.
    /// </remarks>
    public async Task<IReadOnlyList<BreakdownTally>> CountBreakdownsAsync(AdKey key, DateTimeOffset fromHour, DateTimeOffset toHour, CancellationToken cancellationToken = default)
    {
        MinuteBucket.ThrowIfNotHourStart(fromHour);
        MinuteBucket.ThrowIfNotHourStart(toHour);
        if (fromHour >= toHour)
        {
            return [];
        }

        var first = _layout.TableName(DateOnly.FromDateTime((fromHour - _options.TokenLifetime - ClockSkew).UtcDateTime));
        var last = _layout.TableName(DateOnly.FromDateTime((toHour + ClockSkew).UtcDateTime));
        var lowest = RawClickLayout.PartitionKey(key.AdId, 0);
        var highest = RawClickLayout.PartitionKey(key.AdId, _layout.PartitionsPerAd - 1);
        var queries = new List<(int Account, string Table)>();
        foreach (var account in Enumerable.Range(0, _layout.PartitionsPerAd).Select(b => _layout.AccountOf(RawClickLayout.PartitionKey(key.AdId, b))).Distinct())
        {
            queries.AddRange((await _tables.ListAsync(account, first, last, cancellationToken)).Select(table => (account, table)));
        }

        var results = new ConcurrentBag<List<AdEvent>>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentTransactions, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(queries, parallel, async (query, token) =>
        {
            var table = _tables.Get(query.Account, query.Table);
            var filter = TableClient.CreateQueryFilter(
                $"PartitionKey ge {lowest} and PartitionKey le {highest} and Shard eq {key.Shard} and Billable eq {true} and EventTime ge {fromHour} and EventTime lt {toHour}");
            results.Add(await _pipeline.ExecuteAsync(async t => await ReadBreakdownFieldsAsync(table, filter, key, t), token));
        });

        return results.SelectMany(rows => rows)
            .SelectMany(e => BreakdownValues.Dimensions.Select(dimension => (Hour: BreakdownValues.HourOf(e), Dimension: dimension, Value: BreakdownValues.Of(e, dimension), e.Kind)))
            .GroupBy(row => (row.Hour, row.Dimension, row.Value))
            .OrderBy(g => g.Key.Hour).ThenBy(g => g.Key.Dimension).ThenBy(g => g.Key.Value, StringComparer.Ordinal)
            .Select(g => new BreakdownTally(g.Key.Hour, g.Key.Dimension, g.Key.Value, g.LongCount(row => row.Kind == AdEventKind.Click), g.LongCount(row => row.Kind != AdEventKind.Click)))
            .ToList();
    }

    /// <summary>Stops the retention timer.</summary>
    public ValueTask DisposeAsync() => _dropTimer.DisposeAsync();

    private static async Task<List<CountedRow>> ReadAsync(TableClient table, string filter, CancellationToken cancellationToken)
    {
        var rows = new List<CountedRow>();
        try
        {
            await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: CountColumns, cancellationToken: cancellationToken))
            {
                var eventTime = RawClickEntity.EventTimeOf(entity);
                var kind = RawClickEntity.KindOf(entity);
                var reason = RawClickEntity.ReasonOf(entity);
                var countsAsInvalidClick = kind == AdEventKind.Click
                    && InvalidClickCounts.Counts(reason, eventTime, entity.GetDateTimeOffset(nameof(AdEvent.TokenExpiresAt)) ?? DateTimeOffset.MinValue);
                rows.Add(new CountedRow(MinuteBucket.Of(eventTime), kind, reason, countsAsInvalidClick));
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Dropped by retention since it was listed: nothing of it counts any more.
            rows.Clear();
        }

        return rows;
    }

    // Only what a breakdown reads is projected; the event carries it to BreakdownValues, as live counting does.
    private static async Task<List<AdEvent>> ReadBreakdownFieldsAsync(TableClient table, string filter, AdKey key, CancellationToken cancellationToken)
    {
        var rows = new List<AdEvent>();
        try
        {
            await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: BreakdownColumns, cancellationToken: cancellationToken))
            {
                var time = RawClickEntity.EventTimeOf(entity);
                rows.Add(new AdEvent(
                    RawClickEntity.KindOf(entity), Guid.Empty, key.AdId, Guid.Empty, time, time, time, true, null, null,
                    Device: entity.GetString(nameof(AdEvent.Device)), Browser: entity.GetString(nameof(AdEvent.Browser)),
                    Os: entity.GetString(nameof(AdEvent.Os)), Country: entity.GetString(nameof(AdEvent.Country))));
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Dropped by retention since it was listed: nothing of it counts any more.
            rows.Clear();
        }

        return rows;
    }

    /// <summary>What a count needs of one stored event.</summary>
    private readonly record struct CountedRow(DateTimeOffset Minute, AdEventKind Kind, InvalidTrafficReason Reason, bool CountsAsInvalidClick);

    private async Task DropOnTimerAsync()
    {
        try
        {
            await DropExpiredTablesAsync();
        }
        catch (Exception e)
        {
            AzureTableRawClickStoreLog.DropFailed(_logger, e);
        }
    }
}
