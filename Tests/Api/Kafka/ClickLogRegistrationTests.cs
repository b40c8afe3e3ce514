using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.AdClicks.Api.Beacons;
using Orleans.AdClicks.Api.Beacons.EventHubs;
using Orleans.AdClicks.Api.Hosting;

namespace Orleans.AdClicks.Tests.Api.Kafka;

/// <summary>Which click log <c>AddClickLog</c> registers: Kafka only when Event Hubs is the click log's backend.</summary>
[Trait("Category", "EventHubs")]
public sealed class ClickLogRegistrationTests
{
    [Fact]
    public void AddClickLog_EventHubsConnectionSet_KafkaLogAndNoStreamLog()
    {
        var services = Registered(new()
        {
            ["ConnectionStrings:EventHubs"] = "contoso.servicebus.windows.net",
            ["ConnectionStrings:AzureStorage"] = "UseDevelopmentStorage=true",
        });

        Assert.Contains(services, d => d.ServiceType == typeof(KafkaClickLog));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(StreamClickLog));
    }

    [Fact]
    public void AddClickLog_Embedded_NothingOfKafka()
    {
        var services = Registered(new() { ["ConnectionStrings:EventHubs"] = "contoso.servicebus.windows.net", ["AdClicks:Backends:ClickLog"] = "Embedded" });

        Assert.Contains(services, d => d.ServiceType == typeof(StreamClickLog));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(KafkaClickLog));
    }

    private static IServiceCollection Registered(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddClickLog();
        return builder.Services;
    }
}
