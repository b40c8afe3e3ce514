using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Orleans.AdClicks.Storage.Kusto.Client;

/// <summary>
/// Streaming ingestion (learn.microsoft.com/azure/data-explorer/kusto/api/rest/streaming-ingest):
/// <c>POST {cluster}/v1/rest/ingest/{database}/{table}?streamFormat=MultiJSON&amp;mappingName={mapping}</c>, the
/// rows as UTF-8 JSON objects one after another, sent gzip-compressed (<c>Content-Encoding: gzip</c>); the mapping
/// is required for the JSON formats. A request carries at most 4 MB of data (here counted uncompressed, the safe
/// reading), and the table and the cluster must have streaming ingestion enabled. Requests, retries and errors as
/// <see cref="KustoQueryClient"/>'s: an ingestion retried after a lost answer may land twice, which is harmless
/// only for rows that a later read deduplicates (the aggregate rows are absolute and versioned).
/// </summary>
public sealed class KustoIngestClient
{
    /// <summary>The most data one streaming request may carry.</summary>
    public const int MaxRequestBytes = 4 * 1024 * 1024;

    private readonly KustoRequestSender _sender;

    public KustoIngestClient(HttpClient http, KustoConnection connection, KustoClientOptions? options = null, TimeProvider? timeProvider = null) =>
        _sender = new KustoRequestSender(http, connection, options, timeProvider);

    /// <summary>The cluster and database it ingests into.</summary>
    public KustoConnection Connection => _sender.Connection;

    /// <summary>Ingests <paramref name="multiJson"/> (uncompressed) into <paramref name="table"/> of <paramref name="database"/> through <paramref name="mappingName"/>.</summary>
    /// <exception cref="KustoException">The cluster refused the rows (a wrong mapping is a permanent 400) or kept failing.</exception>
    public Task StreamMultiJsonAsync(string database, string table, string mappingName, ReadOnlyMemory<byte> multiJson, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(mappingName);
        if (multiJson.Length is 0 or > MaxRequestBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(multiJson), multiJson.Length, $"A streaming ingestion request carries 1 to {MaxRequestBytes} bytes.");
        }

        // Compressed once, sent as often as the retries need.
        var gzipped = Gzip(multiJson.Span);
        var uri = $"v1/rest/ingest/{Uri.EscapeDataString(database)}/{Uri.EscapeDataString(table)}?streamFormat=MultiJSON&mappingName={Uri.EscapeDataString(mappingName)}";
        return _sender.SendAsync(uri, () => Content(gzipped), Accepted, cancellationToken);
    }

    /// <summary>The gzip body of a request (fastest level: the service decompresses, and the bytes here are a CPU cost on the silo).</summary>
    internal static byte[] Gzip(ReadOnlySpan<byte> data)
    {
        using var stream = new MemoryStream(data.Length / 4 + 64);
        using (var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return stream.ToArray();
    }

    private static ByteArrayContent Content(byte[] gzipped)
    {
        var content = new ByteArrayContent(gzipped);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }

    // A 2xx means the rows are stored; its body (a small v1 table about the ingestion) is not needed.
    private static bool Accepted(JsonElement? root, string requestId) => true;
}
