using System.Globalization;
using System.Net;
using System.Text.Json;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.Aggregates.Queries;
using Orleans.AdClicks.Storage.Kusto.Client;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>
/// The aggregate store's read side on Azure Data Explorer: each read is an <see cref="AggregateQuery"/> rendered by
/// <see cref="KqlRenderer"/> and run by <see cref="KustoQueryClient"/>; results are read from the primary table by
/// column name. A null count (a sum over nothing) is 0, a null campaign or advertiser is <see cref="Guid.Empty"/>.
/// </summary>
public sealed class KustoAggregateQueries(KustoQueryClient client, string database, KustoAggregateQueriesOptions? options = null) : IAggregateQueries
{
    private readonly KustoAggregateQueriesOptions _options = options ?? new KustoAggregateQueriesOptions();

    /// <inheritdoc />
    public async Task<IReadOnlyList<BucketCount>> QuerySeriesAsync(AnalyticsTenant tenant, SeriesScope scope, DateTimeOffset from, DateTimeOffset to, Granularity granularity, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(AggregateQuery.Series(tenant, scope, from, to, granularity), _options.Analytics, cancellationToken).ConfigureAwait(false);
        var (start, clicks, impressions) = (result.Ordinal("Start"), result.Ordinal("Clicks"), result.Ordinal("Impressions"));
        var invalid = InvalidOrdinals(result);
        return [.. result.Rows.Select(row => new BucketCount(RequiredTime(row[start], "Start", result), Long(row[clicks]), Long(row[impressions]), Invalid(row, invalid)))];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AdTotal>> QueryTopAdsAsync(AnalyticsTenant tenant, TopAdsQuery query, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(AggregateQuery.TopAds(tenant, query), _options.Analytics, cancellationToken).ConfigureAwait(false);
        var (ad, campaign, clicks, impressions) = (result.Ordinal("AdId"), result.Ordinal("CampaignId"), result.Ordinal("Clicks"), result.Ordinal("Impressions"));
        var invalid = InvalidOrdinals(result);
        return [.. result.Rows.Select(row => new AdTotal(RequiredGuid(row[ad], "AdId", result), Guid(row[campaign]), Long(row[clicks]), Long(row[impressions]), Invalid(row, invalid)))];
    }

    /// <inheritdoc />
    public async Task<long?> ReadLatestVersionAsync(AdKey key, CancellationToken cancellationToken = default)
    {
        // max() over no rows is one row with a null cell.
        var result = await RunAsync(AggregateQuery.LatestVersion(key), _options.Analytics, cancellationToken).ConfigureAwait(false);
        var version = result.Ordinal("Version");
        return result.Rows.Count == 0 || result.Rows[0][version].ValueKind == JsonValueKind.Null ? null : Long(result.Rows[0][version]);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MinuteCountRow>> ReadHourAsync(DateTimeOffset hour, int slice, CancellationToken cancellationToken = default)
    {
        // A whole slice-hour at 2 million ads (~470,000 rows, ~90 MB of JSON) is above the server's result size cap,
        // so it is read in pieces (see KustoAggregateQueriesOptions.HourRead), one after another: a slice worker
        // holds one piece's answer at a time besides the rows so far, and a run already reads a few slices at once.
        // Pieces in order keep the slice's order; an ad's rows all come from one piece, so each ad is read at one moment.
        var rows = new List<MinuteCountRow>();
        for (var piece = 0; piece < AggregateQuery.HourPieces; piece++)
        {
            var result = await RunAsync(AggregateQuery.HourPiece(hour, slice, piece), _options.HourRead, cancellationToken).ConfigureAwait(false);
            var (ad, shard, campaign, advertiser) = (result.Ordinal("AdId"), result.Ordinal("Shard"), result.Ordinal("CampaignId"), result.Ordinal("AdvertiserId"));
            var (minute, clicks, impressions, version) = (result.Ordinal("Minute"), result.Ordinal("Clicks"), result.Ordinal("Impressions"), result.Ordinal("Version"));
            var invalid = InvalidOrdinals(result);
            rows.AddRange(result.Rows.Select(row => new MinuteCountRow(
                RequiredGuid(row[ad], "AdId", result), (int)Long(row[shard]), Guid(row[campaign]), Guid(row[advertiser]),
                RequiredTime(row[minute], "Minute", result), Long(row[clicks]), Long(row[impressions]), Long(row[version]), Invalid(row, invalid))));
        }

        return rows;
    }

    private Task<KustoQueryResult> RunAsync(AggregateQuery query, KustoQueryOptions limits, CancellationToken cancellationToken)
    {
        var (kql, parameters) = KqlRenderer.Render(query);
        return client.QueryAsync(database, kql, parameters, limits, cancellationToken);
    }

    private static int[] InvalidOrdinals(KustoQueryResult result) =>
        [.. KustoMinuteCountFormat.InvalidColumns.Select(result.Ordinal)];

    // A row written before the invalid-click columns existed reads null in them: 0.
    private static InvalidClickCounts Invalid(IReadOnlyList<JsonElement> row, int[] ordinals) =>
        new(Long(row[ordinals[0]]), Long(row[ordinals[1]]), Long(row[ordinals[2]]), Long(row[ordinals[3]]), Long(row[ordinals[4]]));

    // ADX writes long and int as JSON numbers; a long beyond 2^53 may come as a string from some gateways; a sum over nothing is null.
    internal static long Long(JsonElement cell) => cell.ValueKind switch
    {
        JsonValueKind.Number => cell.GetInt64(),
        JsonValueKind.String => long.Parse(cell.GetString()!, CultureInfo.InvariantCulture),
        _ => 0,
    };

    private static Guid Guid(JsonElement cell) => cell.ValueKind == JsonValueKind.String ? System.Guid.Parse(cell.GetString()!) : System.Guid.Empty;

    private static Guid RequiredGuid(JsonElement cell, string column, KustoQueryResult result) =>
        cell.ValueKind == JsonValueKind.String ? System.Guid.Parse(cell.GetString()!) : throw NullCell(column, result);

    // ADX writes datetime as ISO 8601 UTC text, e.g. 2026-01-01T10:00:00Z.
    private static DateTimeOffset RequiredTime(JsonElement cell, string column, KustoQueryResult result) =>
        cell.ValueKind == JsonValueKind.String
            ? DateTimeOffset.Parse(cell.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : throw NullCell(column, result);

    internal static KustoException NullCell(string column, KustoQueryResult result) =>
        new($"The result has a row without {column}: the query does not match infra/kusto/schema.kql.", null, HttpStatusCode.OK, true, result.RequestId);
}
