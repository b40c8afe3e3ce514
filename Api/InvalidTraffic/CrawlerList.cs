using System.Text.Json;
using System.Text.RegularExpressions;
using BitFaster.Caching.Lru;

namespace Orleans.AdClicks.Api.InvalidTraffic;

/// <summary>
/// One load of the crawler list: its patterns as one regular expression, and the verdicts already reached
/// per user agent. A browser's user agent is matched once; after that a beacon pays a dictionary read.
/// </summary>
public sealed class CrawlerList
{
    // A pathological backtracking pattern cannot hold a beacon: past this the user agent is taken as no crawler.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private const string WarmUpUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private const string AutomataSizeKey = "REGEX_NONBACKTRACKING_MAX_AUTOMATA_SIZE";

    private readonly Regex[] _matchers;
    private readonly FastConcurrentLru<string, bool> _verdicts;

    private CrawlerList(Regex[] matchers, int patterns, IReadOnlyList<string> rejected, int cacheSize)
    {
        _matchers = matchers;
        Patterns = patterns;
        Rejected = rejected;
        _verdicts = new FastConcurrentLru<string, bool>(Environment.ProcessorCount, cacheSize, StringComparer.Ordinal);
    }

    /// <summary>Patterns in use.</summary>
    public int Patterns { get; }

    /// <summary>Patterns of the file that .NET's regular expressions do not compile, left out.</summary>
    public IReadOnlyList<string> Rejected { get; }

    /// <summary>Reads the list at <paramref name="path"/>: a JSON array of objects with a "pattern" each.</summary>
    /// <exception cref="InvalidDataException">The file is not such a list.</exception>
    public static CrawlerList Load(string path, int cacheSize)
    {
        List<string> patterns = [];
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                patterns.Add(entry.GetProperty("pattern").GetString() ?? throw new InvalidDataException("A pattern is null."));
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new InvalidDataException($"The crawler list {path} is not a JSON array of {{\"pattern\": \"...\"}} objects: {ex.Message}", ex);
        }

        return FromPatterns(patterns, cacheSize);
    }

    /// <summary>A list of <paramref name="patterns"/>; those that do not compile are rejected, not fatal.</summary>
    public static CrawlerList FromPatterns(IEnumerable<string> patterns, int cacheSize)
    {
        List<string> linear = [];
        List<string> backtracking = [];
        List<string> rejected = [];
        foreach (var pattern in patterns)
        {
            try
            {
                // Compiled alone first: a PCRE-ism .NET refuses costs its own pattern, not the whole list.
                _ = new Regex(pattern, RegexOptions.CultureInvariant);
            }
            catch (ArgumentException)
            {
                rejected.Add(pattern);
                continue;
            }

            try
            {
                _ = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
                linear.Add(pattern);
            }
            catch (NotSupportedException)
            {
                // Lookarounds and backreferences need the backtracking engine.
                backtracking.Add(pattern);
            }
        }

        Regex[] matchers = [.. new[] { Linear(linear), Alternation(backtracking, RegexOptions.None) }.OfType<Regex>()];
        foreach (var matcher in matchers)
        {
            // The non-backtracking engine builds its automaton lazily; the first match pays ~100 ms, here, not in a beacon.
            matcher.IsMatch(WarmUpUserAgent);
        }

        return new CrawlerList(matchers, linear.Count + backtracking.Count, rejected, cacheSize);
    }

    /// <summary>
    /// All patterns as one alternation in the non-backtracking engine: one pass over the user agent, about a
    /// microsecond once warm, where the backtracking engine tries every branch at every position (milliseconds).
    /// </summary>
    private static Regex? Linear(List<string> patterns)
    {
        // The engine refuses automata past 10,000 nodes by default and the shipped list needs about 91,000.
        if (AppContext.GetData(AutomataSizeKey) is null)
        {
            AppContext.SetData(AutomataSizeKey, 1_000_000);
        }

        try
        {
            return Alternation(patterns, RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            return Alternation(patterns, RegexOptions.None);
        }
    }

    private static Regex? Alternation(List<string> patterns, RegexOptions engine) => patterns.Count == 0 ? null :
        new Regex(string.Join('|', patterns.Select(p => $"(?:{p})")), RegexOptions.CultureInvariant | engine, MatchTimeout);

    /// <summary>Whether <paramref name="userAgent"/> is a known crawler.</summary>
    public bool IsCrawler(string? userAgent)
    {
        if (userAgent is null || _matchers.Length == 0)
        {
            return false;
        }

        if (_verdicts.TryGet(userAgent, out var verdict))
        {
            return verdict;
        }

        try
        {
            verdict = _matchers.Any(m => m.IsMatch(userAgent));
        }
        catch (RegexMatchTimeoutException)
        {
            verdict = false;
        }

        _verdicts.AddOrUpdate(userAgent, verdict);
        return verdict;
    }
}
