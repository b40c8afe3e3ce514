using Microsoft.Extensions.Configuration;
using Orleans.AdClicks.Webhooks;

namespace Orleans.AdClicks.Tests.Webhooks;

/// <summary>The backoff between attempts, and the settings startup refuses.</summary>
public sealed class WebhookOptionsTests
{
    [Fact]
    public void RetryDelay_EachFailure_DoublesUpToTheCap()
    {
        var options = new WebhookOptions { FirstRetryDelay = TimeSpan.FromSeconds(10), MaxRetryDelay = TimeSpan.FromSeconds(60) };

        var delays = Enumerable.Range(1, 6).Select(options.RetryDelay).ToList();

        Assert.Equal([10, 20, 40, 60, 60, 60], delays.Select(d => d.TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(60), options.RetryDelay(1_000));
    }

    [Theory]
    [InlineData("MaxAttempts", "0")]
    [InlineData("FirstRetryDelay", "00:00:00")]
    [InlineData("MaxRetryDelay", "00:00:01")]
    [InlineData("Timeout", "00:00:00")]
    [InlineData("KeptDeliveries", "0")]
    public void From_OutOfRange_Refused(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"{WebhookOptions.Section}:{key}"] = value }).Build();

        Assert.Throws<ArgumentException>(() => WebhookOptions.From(configuration));
    }

    [Fact]
    public void From_Nothing_DefaultsHttpsOnly()
    {
        var options = WebhookOptions.From(new ConfigurationBuilder().Build());

        Assert.False(options.AllowLoopbackHttp);
        Assert.Equal(8, options.MaxAttempts);
    }
}
