using System.Net.Http.Json;
using System.Text.Json;

namespace Orleans.AdClicks.Benchmarks.Load;

/// <summary>
/// Prepares a click load through the real API: one advertiser, one campaign, some ads, and one
/// minted token per impression, written one per line for wrk/clicks.lua.
/// </summary>
public static class TokenMinter
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchmarkArgs.Parse(args);
        var api = options.String("--api", "http://127.0.0.1:5000");
        var adminKey = options.Required("--admin-key");
        var ads = options.Int("--ads", 100);
        var count = options.Int("--count", 100000);
        var output = options.String("--out", "tokens.txt");

        using var admin = Client(api, adminKey);
        var advertiser = await PostAsync(admin, "/api/advertisers", new { name = "Load test" });
        using var client = Client(api, advertiser.GetProperty("apiKey").GetString()!);
        var campaignId = (await PostAsync(client, "/api/campaigns", new { name = "Load test" })).GetProperty("id").GetGuid();
        var adIds = new List<Guid>();
        for (var i = 0; i < ads; i++)
        {
            adIds.Add((await PostAsync(client, $"/api/campaigns/{campaignId}/ads", new { name = $"ad {i}", targetUrl = "https://example.com/landing" })).GetProperty("id").GetGuid());
        }

        var tokens = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var impression = await PostAsync(client, $"/api/ads/{adIds[i % ads]}/impressions", null);
            tokens[i] = impression.GetProperty("token").GetString()!;
        });
        await File.WriteAllLinesAsync(output, tokens);
        Console.WriteLine($"{count} tokens for {ads} ads of campaign {campaignId} written to {output}");
        return 0;
    }

    private static HttpClient Client(string baseAddress, string apiKey)
    {
        var client = new HttpClient { BaseAddress = new Uri(baseAddress) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object? body)
    {
        using var response = body is null ? await client.PostAsync(path, null) : await client.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
