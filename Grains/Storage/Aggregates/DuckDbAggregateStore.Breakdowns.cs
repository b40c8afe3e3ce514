using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates.Queries;

namespace Orleans.AdClicks.Storage.Aggregates;

/// <summary>The hourly breakdowns of the embedded store: written by the file's one writer, read like the minute counts.</summary>
public sealed partial class DuckDbAggregateStore : IHourBreakdownWriter, IBreakdownQueries
{
    /// <inheritdoc />
    public Task WriteBreakdownsAsync(IReadOnlyList<HourBreakdownRow> rows, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _database.Writer.WriteBreakdownsAsync(rows, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<BreakdownTotal>> QueryBreakdownAsync(BreakdownQuery query, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var (sql, parameters) = DuckDbSqlRenderer.RenderBreakdown(query);

        // DuckDB.NET runs queries synchronously; off the caller's thread they do not stall a grain scheduler.
        return Task.Run<IReadOnlyList<BreakdownTotal>>(() =>
        {
            using var connection = _database.OpenConnection();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddRange(parameters);
            using var reader = command.ExecuteReader();
            var totals = new List<BreakdownTotal>();
            while (reader.Read())
            {
                totals.Add(new BreakdownTotal(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
            }

            return totals;
        }, cancellationToken);
    }
}
