using Orleans.AdClicks.Api.Hosting;
using Orleans.AdClicks.Api.Webhooks;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>The URL rule: https only, http to loopback only behind AdClicks:Webhooks:AllowLoopbackHttp.</summary>
public sealed class WebhookValidationTests
{
    [Theory]
    [InlineData("https://hooks.example.com/x", false, true)]
    [InlineData("http://127.0.0.1:5000/x", false, false)]
    [InlineData("http://localhost:5000/x", false, false)]
    [InlineData("http://127.0.0.1:5000/x", true, true)]
    [InlineData("http://localhost:5000/x", true, true)]
    [InlineData("http://[::1]:5000/x", true, true)]
    [InlineData("http://hooks.example.com/x", true, false)]
    [InlineData("http://10.0.0.1/x", true, false)]
    public void Url_SchemeAndHost_AcceptedOnlyByTheRule(string url, bool allowLoopbackHttp, bool accepted)
    {
        var validation = new Validation();

        WebhookValidation.Url(validation, "url", url, allowLoopbackHttp);

        Assert.Equal(accepted, validation.IsValid);
        Assert.True(accepted || validation.Errors.ContainsKey("url"));
    }

    [Fact]
    public void Events_RepeatedAndOutOfOrder_EachOnceInTheKnownOrder()
    {
        var validation = new Validation();

        var events = WebhookValidation.Events(validation, "events", ["campaign.daily_cap_reached", "campaign.budget_spent", "campaign.daily_cap_reached"]);

        Assert.True(validation.IsValid);
        Assert.Equal(["campaign.budget_spent", "campaign.daily_cap_reached"], events);
    }
}
