using System.Buffers;
using System.Text.Json;

namespace Orleans.AdClicks.Storage.Kusto.Client;

/// <summary>
/// Items as MultiJSON for <see cref="KustoIngestClient.StreamMultiJsonAsync"/>: one JSON object a line, cut into
/// request bodies of at most a given size, made one at a time as they are enumerated.
/// </summary>
internal static class KustoMultiJson
{
    /// <summary>The bodies in item order, each with the range of <paramref name="items"/> it holds.</summary>
    /// <param name="typicalItemBytes">About what an item takes, to size a body's buffer once (a doubling copy of megabytes otherwise).</param>
    /// <param name="itemName">What an item is, for the error when one alone exceeds <paramref name="maxBytes"/>.</param>
    public static IEnumerable<(ReadOnlyMemory<byte> Json, int First, int Count)> Bodies<T>(
        IReadOnlyList<T> items, int maxBytes, int typicalItemBytes, string itemName, Action<Utf8JsonWriter, T> write)
    {
        var line = new ArrayBufferWriter<byte>(512);
        using var json = new Utf8JsonWriter(line);
        var body = NewBody(items.Count, maxBytes, typicalItemBytes);
        var first = 0;
        for (var i = 0; i < items.Count; i++)
        {
            line.ResetWrittenCount();
            json.Reset(line);
            write(json, items[i]);
            json.Flush();
            line.GetSpan(1)[0] = (byte)'\n';
            line.Advance(1);
            if (line.WrittenCount > maxBytes)
            {
                throw new InvalidOperationException($"A {itemName} takes {line.WrittenCount} bytes, more than a request's {maxBytes}.");
            }

            if (body.WrittenCount + line.WrittenCount > maxBytes)
            {
                yield return (body.WrittenMemory, first, i - first);
                body = NewBody(items.Count - i, maxBytes, typicalItemBytes);
                first = i;
            }

            body.Write(line.WrittenSpan);
        }

        if (body.WrittenCount > 0)
        {
            yield return (body.WrittenMemory, first, items.Count - first);
        }
    }

    // With a margin over the typical item, so a full body never grows its buffer.
    private static ArrayBufferWriter<byte> NewBody(int itemsLeft, int maxBytes, int typicalItemBytes) =>
        new((int)Math.Clamp((long)itemsLeft * (typicalItemBytes + 64), 1, maxBytes));
}
