using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Webhooks;

namespace Orleans.AdClicks.Tests.Webhooks;

/// <summary>Deliveries reach public addresses only: a registered URL cannot point the silos at their own network.</summary>
public sealed class WebhookAddressesTests
{
    [Theory]
    [InlineData("93.184.216.34", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("::", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("::ffff:93.184.216.34", true)]
    public void MayConnect_PublicOnly(string address, bool expected)
    {
        Assert.Equal(expected, WebhookAddresses.MayConnect(IPAddress.Parse(address), allowLoopback: false));
    }

    [Fact]
    public void MayConnect_LoopbackWhenAllowed_ButNoOtherPrivateAddress()
    {
        Assert.True(WebhookAddresses.MayConnect(IPAddress.Loopback, allowLoopback: true));
        Assert.True(WebhookAddresses.MayConnect(IPAddress.IPv6Loopback, allowLoopback: true));
        Assert.False(WebhookAddresses.MayConnect(IPAddress.Parse("10.0.0.1"), allowLoopback: true));
    }

    [Theory]
    [InlineData("https://10.0.0.1/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://localhost:1/hook")]
    public async Task SendAsync_UrlOfAnInternalAddress_RefusedBeforeConnecting(string url)
    {
        await using var services = new ServiceCollection().AddWebhooks(new ConfigurationBuilder().Build()).BuildServiceProvider();
        var sender = services.GetRequiredService<WebhookSender>();

        var attempt = await sender.SendAsync(url, "whsec_test", Guid.NewGuid(), "campaign.ended", "{}");

        Assert.False(attempt.Succeeded);
        Assert.Null(attempt.StatusCode);
        Assert.Contains("resolves to no public address", attempt.Error, StringComparison.Ordinal);
    }
}
