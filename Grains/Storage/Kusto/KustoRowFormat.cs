using System.Text.Json;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.Kusto.Client;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>
/// What <see cref="KustoRowWriter{TRow, TPosition}"/> needs to know of one kind of versioned row: the table and mapping
/// it is ingested through, which ad shard and which position in that shard (a minute; an hour, dimension and value)
/// a row is, its version, and its MultiJSON line, whose property names are the mapping's paths.
/// </summary>
/// <typeparam name="TRow">The row.</typeparam>
/// <typeparam name="TPosition">What, beside its ad shard, tells a row from the shard's others: a newer version replaces an older.</typeparam>
internal abstract class KustoRowFormat<TRow, TPosition>
    where TPosition : notnull
{
    /// <summary>The table the rows are ingested into.</summary>
    public abstract string Table { get; }

    /// <summary>The JSON ingestion mapping they are ingested through.</summary>
    public abstract string JsonMapping { get; }

    /// <summary>What a row is, for logs and errors ("minute row").</summary>
    public abstract string RowName { get; }

    /// <summary>What happens to rows a stopping silo could not ingest, for the log that says so.</summary>
    public abstract string LeftPendingRemedy { get; }

    /// <summary>About what a row takes as JSON, to size a request's buffer once.</summary>
    protected abstract int TypicalRowBytes { get; }

    public abstract AdKey Key(TRow row);

    public abstract TPosition Position(TRow row);

    public abstract long Version(TRow row);

    protected abstract void Write(Utf8JsonWriter json, TRow row, DateTime writtenAt);

    /// <summary>The rows in order, in bodies of at most <paramref name="maxBytes"/> each, made one at a time as they are enumerated.</summary>
    public IEnumerable<Batch> Batches(TRow[] rows, DateTimeOffset writtenAt, int maxBytes)
    {
        var written = writtenAt.UtcDateTime;
        return KustoMultiJson.Bodies(rows, maxBytes, TypicalRowBytes, RowName, (json, row) => Write(json, row, written))
            .Select(body => new Batch(body.Json, new ArraySegment<TRow>(rows, body.First, body.Count)));
    }

    /// <summary>One request's body and the rows in it.</summary>
    public sealed record Batch(ReadOnlyMemory<byte> Json, IReadOnlyList<TRow> Rows);
}
