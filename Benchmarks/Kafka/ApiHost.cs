extern alias AdClicksApi;

using System.Globalization;
using System.Runtime.InteropServices;
using AdClicksApi::Orleans.AdClicks.Api.Beacons.EventHubs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Tests.Infrastructure.Kafka;

namespace Orleans.AdClicks.Benchmarks.Kafka;

/// <summary>
/// The real Api (its Program, co-hosted silo, embedded stores) over Kestrel, with either click log: the embedded
/// Orleans stream, or the Kafka producer against librdkafka's mock cluster started in this process (3 brokers,
/// the topic with 32 partitions, replication 3). Runs from the repository's root until SIGTERM or Ctrl+C.
/// </summary>
public static class ApiHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchmarkArgs.Parse(args);
        var kafka = options.String("--click-log", "kafka") == "kafka";
        var port = options.Int("--port", 5200);
        var data = options.Required("--data");
        var partitions = options.Int("--partitions", 32);

        using var cluster = kafka ? new MockKafkaCluster(3) : null;
        var settings = new Dictionary<string, string>
        {
            ["AdClicks:DataDirectory"] = data,
            ["AdClicks:Cluster:SiloPort"] = options.String("--silo-port", "11211"),
            ["AdClicks:Cluster:GatewayPort"] = options.String("--gateway-port", "30100"),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var limit in new[] { "ApiAddress", "Api", "Beacon", "Placement" })
        {
            settings[$"AdClicks:RateLimits:{limit}PermitsPerSecond"] = "100000000";
            settings[$"AdClicks:RateLimits:{limit}Burst"] = "100000000";
        }

        // Load comes from one address at once after placement, so the delay and flood rules are off and every
        // click stays billable (the counts are checked exactly); the crawler rule runs, its cost measured.
        settings["AdClicks:InvalidTraffic:MinClickDelay"] = "00:00:00";
        settings["AdClicks:InvalidTraffic:AdClickLimit"] = "0";
        settings["AdClicks:InvalidTraffic:CampaignClickLimit"] = "0";

        if (cluster is not null)
        {
            cluster.CreateTopic("clicks", partitions, replicationFactor: 3);
            foreach (var (key, value) in cluster.ProducerSettings())
            {
                settings[key] = value;
            }
        }

        await using var api = new Factory(settings, cluster is not null, options.String("--content-root") ?? FindApiFolder());
        api.UseKestrel(port);
        api.StartServer();
        Console.WriteLine($"Api on http://127.0.0.1:{port}, click log {(kafka ? $"Kafka (mock cluster {cluster!.BootstrapServers}, {partitions} partitions)" : "embedded")}");

        var stop = new TaskCompletionSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
        await stop.Task;
        return 0;
    }

    /// <summary>The Api project's folder (its appsettings.json), above the working directory.</summary>
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

    private sealed class Factory(Dictionary<string, string> settings, bool kafka, string contentRoot) : WebApplicationFactory<AdClicksApi::Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");

            // The factory's guess from the assembly name is no folder here.
            builder.UseContentRoot(contentRoot);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            if (kafka)
            {
                // The silo keeps its embedded stream; the beacons' click log is the producer (the mock cluster is no namespace).
                builder.ConfigureTestServices(s => s.AddKafkaClickLog(_ => EventHubsConnection.Parse("benchmark",
                    "Endpoint=sb://mock.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=bm90LWEta2V5")));
            }
        }
    }
}
