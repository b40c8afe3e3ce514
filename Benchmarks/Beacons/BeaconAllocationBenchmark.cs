extern alias AdClicksApi;

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using AdClicksApi::Orleans.AdClicks.Api.Auth;
using AdClicksApi::Orleans.AdClicks.Api.Beacons;
using AdClicksApi::Orleans.AdClicks.Api.Tokens;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Tokens;

namespace Orleans.AdClicks.Benchmarks.Beacons;

/// <summary>
/// Bytes allocated per GET /c/{token}, in process over an in-memory TestServer client, for: a bare minimal-API 302
/// endpoint; the real Api's beacon with a click log that accepts at once (the request's own path: middleware, token,
/// target cache, the event); and the real Api whole (its click log, co-hosted silo, stream, counting grains, raw store
/// and DuckDB, all allocating in the same process for each click). Every request is a fresh token minted with the app's
/// signing key, over Zipf (s = 1) ads. Counted with GC.GetTotalAllocatedBytes(precise) over all threads; the client's
/// own allocations are in every row alike, so differences between rows are the servers'.
/// </summary>
public static class BeaconAllocationBenchmark
{
    private const string BenchKeyId = "bench";

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchmarkArgs.Parse(args);
        var requests = options.Int("--requests", 20_000);
        var warmup = options.Int("--warmup", 5_000);
        var adCount = options.Int("--ads", 1_000);
        var concurrency = options.Int("--concurrency", 8);
        var contentRoot = options.String("--content-root") ?? FindApiFolder();
        using var sampler = options.String("--types", "false") == "true" ? new AllocationSampler() : null;
        var types = new List<(string Server, IReadOnlyList<(string Type, double Share)> Top)>();

        Console.WriteLine($"{requests:N0} requests after {warmup:N0} warm-up, {concurrency} at a time, {adCount:N0} ads (Zipf), a fresh token each");
        Console.WriteLine();
        Console.WriteLine("| server | bytes per request | answers other than 302 |");
        Console.WriteLine("| --- | ---: | ---: |");

        await using (var bare = await BareServer.StartAsync())
        {
            // Tokens as long as the Api's (its routing and the client handle the same strings), signed with a key of its own.
            var key = new SigningKey(BenchKeyId, RandomNumberGenerator.GetBytes(32));
            var now = DateTimeOffset.UtcNow;
            var paths = Enumerable.Range(0, warmup + requests)
                .Select(_ => "/c/" + ClickTokenCodec.Encode(new ClickToken(key.Id, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), now, now.AddDays(1)), key))
                .ToArray();
            var (bytes, failures) = await MeasureAsync(bare.Client, paths, warmup, concurrency, idleRate: 0, settle: TimeSpan.Zero, sampler: sampler);
            types.Add(("bare", sampler?.Stop(15) ?? []));
            Console.WriteLine(FormattableString.Invariant($"| bare minimal-API 302 endpoint | {bytes:N0} | {failures} |"));
        }

        foreach (var instant in new[] { true, false })
        {
            var data = Path.Combine(Path.GetTempPath(), "adclicks-alloc-" + Guid.NewGuid().ToString("N"));
            try
            {
                await using var api = new Factory(data, contentRoot, instant);
                using var client = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
                var paths = await MintAsync(api, client, adCount, warmup + requests);

                // The pipeline's own background work (timers, pulling agents, flushes), measured idle after the warm-up.
                var idleRate = 0.0;
                if (!instant)
                {
                    await MeasureAsync(client, paths[..warmup], warmup, concurrency, 0, TimeSpan.Zero);
                    await Task.Delay(Settle);
                    var before = GC.GetTotalAllocatedBytes(precise: true);
                    await Task.Delay(Settle);
                    idleRate = (GC.GetTotalAllocatedBytes(precise: true) - before) / Settle.TotalSeconds;
                }

                var (bytes, failures) = await MeasureAsync(client, paths, warmup, concurrency, idleRate, instant ? TimeSpan.Zero : Settle, skip: instant ? 0 : warmup, sampler: sampler);
                types.Add((instant ? "Api, request path" : "Api, whole process", sampler?.Stop(15) ?? []));
                var name = instant ? "Api beacon, click log that accepts at once (the request's own path)" : "Api beacon, whole process: click log, stream, counting, raw store, DuckDB";
                Console.WriteLine(FormattableString.Invariant($"| {name} | {bytes:N0} | {failures} |"));
                if (!instant)
                {
                    Console.WriteLine(FormattableString.Invariant($"| (idle background of that process, subtracted above) | {idleRate:N0} B/s | |"));
                }
            }
            finally
            {
                TryDelete(data);
            }
        }

        foreach (var (server, top) in types.Where(t => t.Top.Count > 0))
        {
            Console.WriteLine();
            Console.WriteLine($"Most sampled allocations, {server} (share of AllocationTick samples):");
            foreach (var (type, share) in top)
            {
                Console.WriteLine(FormattableString.Invariant($"  {share,6:P1}  {type}"));
            }
        }

        return 0;
    }

    /// <summary>
    /// Sends paths[warmup..] (after paths[..warmup] unmeasured, unless <paramref name="skip"/> says they were sent already),
    /// then waits <paramref name="settle"/> for work the requests left behind; bytes per measured request, less the idle rate.
    /// </summary>
    private static async Task<(double Bytes, int Failures)> MeasureAsync(HttpClient client, string[] paths, int warmup, int concurrency, double idleRate, TimeSpan settle, int skip = 0, AllocationSampler? sampler = null)
    {
        var failures = 0;
        async Task SendAsync(ArraySegment<string> batch)
        {
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                for (var i = Interlocked.Increment(ref next); i < batch.Count; i = Interlocked.Increment(ref next))
                {
                    using var response = await client.GetAsync(batch[i]);
                    if (response.StatusCode != HttpStatusCode.Redirect)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            }));
        }

        if (skip == 0)
        {
            await SendAsync(new ArraySegment<string>(paths, 0, warmup));
        }

        failures = 0;
        var start = Math.Max(warmup, skip);
        var measured = paths.Length - start;
        GC.Collect();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        sampler?.Start();
        await SendAsync(new ArraySegment<string>(paths, start, measured));
        if (settle > TimeSpan.Zero)
        {
            await Task.Delay(settle);
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        return ((allocated - idleRate * elapsed) / measured, failures);
    }

    /// <summary>An advertiser, a campaign and its ads through the API; then one token per request, minted with the app's key.</summary>
    private static async Task<string[]> MintAsync(Factory api, HttpClient client, int adCount, int count)
    {
        var advertiser = await PostAsync(client, Factory.AdminKey, "/api/advertisers", new { name = "Allocations" });
        var apiKey = advertiser.GetProperty("apiKey").GetString()!;
        var campaign = (await PostAsync(client, apiKey, "/api/campaigns", new { name = "Allocations" })).GetProperty("id").GetGuid();
        var ads = new Guid[adCount];
        await Parallel.ForAsync(0, adCount, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            ads[i] = (await PostAsync(client, apiKey, $"/api/campaigns/{campaign}/ads", new { name = $"ad {i}", targetUrl = "https://example.com/landing" })).GetProperty("id").GetGuid());

        var tokens = api.Services.GetRequiredService<ClickTokens>();
        var zipf = new double[adCount];
        var sum = 0.0;
        for (var r = 0; r < adCount; r++)
        {
            sum += 1.0 / (r + 1);
            zipf[r] = sum;
        }

        var random = new Random(3);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var rank = Array.BinarySearch(zipf, random.NextDouble() * sum);
            return "/c/" + tokens.Mint(ads[rank < 0 ? ~rank : rank], campaign).Text;
        })];
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string apiKey, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, apiKey);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string FindApiFolder()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Api", "Api.csproj")))
            {
                return Path.Combine(dir.FullName, "Api");
            }
        }

        throw new InvalidOperationException("No Api/Api.csproj above the working directory: give --content-root.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }

    /// <summary>The bare endpoint of <see cref="Load.BaselineServer"/>, on a TestServer.</summary>
    private sealed class BareServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private BareServer(WebApplication app)
        {
            _app = app;
            Client = app.GetTestClient();
        }

        public HttpClient Client { get; }

        public static async Task<BareServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseTestServer();
            var app = builder.Build();
            app.MapGet("/c/{token}", (string token) => TypedResults.Redirect("https://example.com/landing"));
            await app.StartAsync();
            return new BareServer(app);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await _app.DisposeAsync();
        }
    }

    /// <summary>The real Api on a TestServer, embedded profile, limits lifted; optionally a click log that accepts at once.</summary>
    private sealed class Factory(string dataDirectory, string contentRoot, bool instantClickLog) : WebApplicationFactory<AdClicksApi::Program>
    {
        public static readonly string AdminKey = "admin_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseContentRoot(contentRoot);
            builder.UseSetting("AdClicks:DataDirectory", dataDirectory);
            builder.UseSetting("AdClicks:Cluster:SiloPort", FreePort().ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("AdClicks:Cluster:GatewayPort", FreePort().ToString(CultureInfo.InvariantCulture));
            builder.ConfigureLogging(logging => logging.ClearProviders());
            builder.UseSetting(AuthOptions.AdminKeyKey, AdminKey);
            builder.UseSetting(AuthOptions.ApiKeyMacKeyKey, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            builder.UseSetting("AdClicks:Tokens:SigningKeys:0", new SigningKey(BenchKeyId, RandomNumberGenerator.GetBytes(32)).Format());
            foreach (var limit in new[] { "ApiAddress", "Api", "Beacon", "Placement" })
            {
                builder.UseSetting($"AdClicks:RateLimits:{limit}PermitsPerSecond", "100000000");
                builder.UseSetting($"AdClicks:RateLimits:{limit}Burst", "100000000");
            }

            // One address clicks at once after placement: the delay and flood rules are off, the crawler rule runs.
            builder.UseSetting("AdClicks:InvalidTraffic:MinClickDelay", "00:00:00");
            builder.UseSetting("AdClicks:InvalidTraffic:AdClickLimit", "0");
            builder.UseSetting("AdClicks:InvalidTraffic:CampaignClickLimit", "0");

            if (instantClickLog)
            {
                builder.ConfigureTestServices(s => s.AddSingleton<IClickLog>(new InstantClickLog()));
            }
        }
    }

    private sealed class InstantClickLog : IClickLog
    {
        public Task AppendAsync(AdEvent adEvent, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
