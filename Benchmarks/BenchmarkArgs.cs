using System.Globalization;

namespace Orleans.AdClicks.Benchmarks;

/// <summary>A benchmark command's "--name value" arguments.</summary>
internal sealed class BenchmarkArgs
{
    private readonly Dictionary<string, string> _values;

    private BenchmarkArgs(Dictionary<string, string> values) => _values = values;

    public static BenchmarkArgs Parse(string[] args) =>
        new(args.Chunk(2).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0], pair => pair[1]));

    public bool Has(string name) => _values.ContainsKey(name);

    public string? String(string name) => _values.GetValueOrDefault(name);

    public string String(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public string Required(string name) => String(name) ?? throw new ArgumentException($"{name} is required");

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        _values.TryGetValue(name, out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
