using System.Net;
using System.Text;

namespace Orleans.AdClicks.Tests.Enrichment;

/// <summary>
/// Writes a tiny country database in MaxMind DB format 2.0 (binary search tree over IPv6, 24-bit records, IPv4
/// under ::/96; data section; metadata), so tests read a real file with the real DatabaseReader and none ships.
/// </summary>
internal sealed class MmdbWriter
{
    private readonly Node root = new();
    private readonly MemoryStream data = new();
    private readonly Dictionary<string, int> countries = [];

    /// <summary>Maps the network to <paramref name="isoCode"/>: {"country":{"iso_code":…}}.</summary>
    public MmdbWriter Add(string network, string isoCode)
    {
        var (address, prefix) = (IPAddress.Parse(network.Split('/')[0]), int.Parse(network.Split('/')[1]));
        var bytes = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? new byte[12].Concat(address.GetAddressBytes()).ToArray() : address.GetAddressBytes();
        prefix += address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 96 : 0;
        if (!countries.TryGetValue(isoCode, out var offset))
        {
            offset = (int)data.Length;
            countries[isoCode] = offset;
            Map(data, ("country", s => Map(s, ("iso_code", t => Text(t, isoCode)))));
        }

        var node = root;
        for (var bit = 0; bit < prefix - 1; bit++)
        {
            node = Bit(bytes, bit) ? node.Right ??= new Node() : node.Left ??= new Node();
        }

        if (Bit(bytes, prefix - 1))
        {
            node.RightData = offset;
        }
        else
        {
            node.LeftData = offset;
        }

        return this;
    }

    public void Save(string path)
    {
        var nodes = new List<Node>();
        var queue = new Queue<Node>([root]);
        while (queue.TryDequeue(out var node))
        {
            node.Index = nodes.Count;
            nodes.Add(node);
            if (node.Left is not null) { queue.Enqueue(node.Left); }
            if (node.Right is not null) { queue.Enqueue(node.Right); }
        }

        using var file = File.Create(path);
        foreach (var node in nodes)
        {
            Record(file, node.Left?.Index ?? Data(node.LeftData, nodes.Count));
            Record(file, node.Right?.Index ?? Data(node.RightData, nodes.Count));
        }

        file.Write(new byte[16]);
        data.Position = 0;
        data.CopyTo(file);
        file.Write([0xAB, 0xCD, 0xEF, .. "MaxMind.com"u8]);
        Map(file,
            ("node_count", s => Unsigned(s, 6, (ulong)nodes.Count)),
            ("record_size", s => Unsigned(s, 5, 24)),
            ("ip_version", s => Unsigned(s, 5, 6)),
            ("database_type", s => Text(s, "Test-Country")),
            ("languages", s => { s.WriteByte(1); s.WriteByte(11 - 7); Text(s, "en"); }),
            ("binary_format_major_version", s => Unsigned(s, 5, 2)),
            ("binary_format_minor_version", s => Unsigned(s, 5, 0)),
            ("build_epoch", s => { s.WriteByte(8); s.WriteByte(9 - 7); s.Write(BitConverter.GetBytes((ulong)1_700_000_000).Reverse().ToArray()); }),
            ("description", s => Map(s, ("en", t => Text(t, "test countries")))));
    }

    private static int Data(int? offset, int nodeCount) => offset is null ? nodeCount : nodeCount + 16 + offset.Value;

    private static bool Bit(byte[] bytes, int bit) => (bytes[bit / 8] & (0x80 >> (bit % 8))) != 0;

    private static void Record(Stream s, int value)
    {
        s.WriteByte((byte)(value >> 16));
        s.WriteByte((byte)(value >> 8));
        s.WriteByte((byte)value);
    }

    private static void Map(Stream s, params (string Key, Action<Stream> Value)[] entries)
    {
        s.WriteByte((byte)((7 << 5) | entries.Length));
        foreach (var (key, value) in entries)
        {
            Text(s, key);
            value(s);
        }
    }

    // Short strings only (under 29 bytes), which is all a test writes.
    private static void Text(Stream s, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > 28)
        {
            throw new ArgumentException($"'{text}' needs the extended size encoding, which this writer has not.", nameof(text));
        }

        s.WriteByte((byte)((2 << 5) | bytes.Length));
        s.Write(bytes);
    }

    private static void Unsigned(Stream s, int type, ulong value)
    {
        var bytes = BitConverter.GetBytes(value).Reverse().SkipWhile(b => b == 0).ToArray();
        s.WriteByte((byte)((type << 5) | bytes.Length));
        s.Write(bytes);
    }

    private sealed class Node
    {
        public Node? Left { get; set; }

        public Node? Right { get; set; }

        public int? LeftData { get; set; }

        public int? RightData { get; set; }

        public int Index { get; set; }
    }
}
