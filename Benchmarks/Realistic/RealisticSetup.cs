using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Orleans.AdClicks.Tokens;

namespace Orleans.AdClicks.Benchmarks.Realistic;

/// <summary>
/// Prepares the realistic load before it runs: through the real API one advertiser with a few campaigns and many ads,
/// and a probe advertiser with a few ads (each has at most one probe click outstanding, so its count tells which); then, offline with the Api's signing key, the request file that wrk replays:
/// one token per line, each a fresh impression of an ad drawn by Zipf, or (a set fraction) a retry of a token a little
/// earlier in the file. Beside it, the origin of each line (the line whose token it repeats, or itself), so the check
/// can tell the distinct tokens among any lines sent.
/// </summary>
public static class RealisticSetup
{
    /// <summary>A retry repeats one of this many lines before it: a browser or proxy retries soon.</summary>
    private const int RetryWindow = 1_000;

    private const int Block = 1 << 16;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchmarkArgs.Parse(args);
        var api = options.String("--api", "http://127.0.0.1:5000");
        var adminKey = options.Required("--admin-key");
        var signingKey = SigningKey.Parse(options.Required("--signing-key"));
        var adCount = options.Int("--ads", 5_000);
        var campaignCount = options.Int("--campaigns", 5);
        var requests = options.Int("--requests", 2_000_000);
        var zipf = options.Double("--zipf", 1.0);
        var duplicates = options.Double("--duplicates", 0.1);
        var probeAdCount = options.Int("--probe-ads", 8);
        var threads = options.Int("--threads", 2);
        var directory = options.Required("--out");

        var watch = Stopwatch.StartNew();
        using var admin = RealisticHttp.Client(api, adminKey);
        var load = await CreateAdvertiserAsync(admin, "Realistic load");
        using var client = RealisticHttp.Client(api, load.ApiKey);
        var campaigns = new Guid[campaignCount];
        for (var i = 0; i < campaignCount; i++)
        {
            campaigns[i] = await CreateAsync(client, "/api/campaigns", new { name = $"Realistic load {i}" });
        }

        var ads = new Guid[adCount];
        await Parallel.ForAsync(0, adCount, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            ads[i] = await CreateAsync(client, $"/api/campaigns/{campaigns[i % campaignCount]}/ads", new { name = $"ad {i}", targetUrl = "https://example.com/landing" }));

        var probe = await CreateAdvertiserAsync(admin, "Realistic load probe");
        using var probeClient = RealisticHttp.Client(api, probe.ApiKey);
        var probeCampaign = await CreateAsync(probeClient, "/api/campaigns", new { name = "Probe" });
        var probeAds = new Guid[probeAdCount];
        for (var i = 0; i < probeAdCount; i++)
        {
            probeAds[i] = await CreateAsync(probeClient, $"/api/campaigns/{probeCampaign}/ads", new { name = $"probe {i}", targetUrl = "https://example.com/probe" });
        }

        var created = watch.Elapsed;

        watch.Restart();
        var minter = new ClickTokenMinter(signingKey, TimeSpan.FromDays(1));
        var fresh = WriteRequests(directory, threads, requests, duplicates,
            new ZipfSampler(adCount, zipf), rank => (ads[rank], campaigns[rank % campaignCount]), minter);
        var written = watch.Elapsed;

        await File.WriteAllTextAsync(Path.Combine(directory, "setup.env"), string.Create(CultureInfo.InvariantCulture, $"""
            ADVERTISER={load.Id}
            ADVERTISER_KEY={load.ApiKey}
            PROBE_KEY={probe.ApiKey}
            PROBE_ADS={string.Join(',', probeAds)}
            PROBE_CAMPAIGN={probeCampaign}

            """));
        var hottest = new ZipfSampler(adCount, zipf).Share(0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{adCount:N0} ads in {campaignCount} campaigns of advertiser {load.Id} created in {created.TotalSeconds:F1} s; "
            + $"{requests:N0} requests ({fresh:N0} fresh tokens, {requests - fresh:N0} retries) minted offline and written in {written.TotalSeconds:F1} s; "
            + $"Zipf s = {zipf}: the hottest ad takes {hottest:P1} of the fresh clicks"));
        return 0;
    }

    /// <summary>
    /// Writes the request file, split by wrk thread (line n to requests.{n % threads}.txt, so each thread reads only its own),
    /// and the origin file (one little-endian int per line); returns the fresh tokens.
    /// </summary>
    private static int WriteRequests(
        string directory, int threads, int count, double duplicates, ZipfSampler zipf, Func<int, (Guid Ad, Guid Campaign)> adOf, ClickTokenMinter minter)
    {
        var random = new Random(14);
        var origins = new int[count];
        var fresh = 0;
        for (var line = 0; line < count; line++)
        {
            // A retry repeats an earlier line's token (a repeat of a retry is one of its origin), kept within the window.
            var retried = line > 0 && random.NextDouble() < duplicates ? origins[line - 1 - random.Next(Math.Min(line, RetryWindow))] : line;
            origins[line] = retried >= line - RetryWindow ? retried : line;
            fresh += origins[line] == line ? 1 : 0;
        }

        var ranks = new int[count];
        for (var line = 0; line < count; line++)
        {
            ranks[line] = origins[line] == line ? zipf.Next(random) : -1;
        }

        using (var origin = new BinaryWriter(File.Create(Path.Combine(directory, "requests.origin"))))
        {
            foreach (var value in origins)
            {
                origin.Write(value);
            }
        }

        // Minted a block at a time, in parallel; a retry's origin is at most RetryWindow lines back, so in this block or the one before.
        var writers = Enumerable.Range(0, threads)
            .Select(thread => new StreamWriter(RequestFile(directory, thread), append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 20))
            .ToArray();
        var previous = new string[Block];
        var current = new string[Block];
        for (var start = 0; start < count; start += Block)
        {
            var end = Math.Min(count, start + Block);
            Parallel.For(start, end, line =>
            {
                if (ranks[line] >= 0)
                {
                    var (ad, campaign) = adOf(ranks[line]);
                    current[line - start] = minter.Mint(ad, campaign).Text;
                }
            });
            for (var line = start; line < end; line++)
            {
                var origin = origins[line];
                var writer = writers[line % threads];
                writer.Write(origin >= start ? current[origin - start] : previous[origin - start + Block]);
                writer.Write('\n');
            }

            (previous, current) = (current, previous);
        }

        foreach (var writer in writers)
        {
            writer.Dispose();
        }

        return fresh;
    }

    /// <summary>The lines of the request file that wrk's thread <paramref name="thread"/> sends: line n is line n / threads of file n % threads.</summary>
    public static string RequestFile(string directory, int thread) => Path.Combine(directory, $"requests.{thread}.txt");

    private sealed record Advertiser(Guid Id, string ApiKey);

    private static async Task<Advertiser> CreateAdvertiserAsync(HttpClient admin, string name)
    {
        var advertiser = await PostAsync(admin, "/api/advertisers", new { name });
        return new Advertiser(advertiser.GetProperty("id").GetGuid(), advertiser.GetProperty("apiKey").GetString()!);
    }

    private static async Task<Guid> CreateAsync(HttpClient client, string path, object body) =>
        (await PostAsync(client, path, body)).GetProperty("id").GetGuid();

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
