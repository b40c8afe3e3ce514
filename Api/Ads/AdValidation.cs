using Orleans.AdClicks.Api.Hosting;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Api.Ads;

/// <summary>Checks the fields an ad is created or updated with.</summary>
public static class AdValidation
{
    public static AdSettings Settings(Validation validation, AdRequest request)
    {
        var name = validation.Text("name", request.Name);
        var targetUrl = validation.HttpUrl("targetUrl", request.TargetUrl);
        AdCreative? creative = null;
        if (request.Creative is { } c)
        {
            var title = c.Title is null ? null : validation.Text("creative.title", c.Title);
            var imageUrl = c.ImageUrl is null ? null : validation.HttpUrl("creative.imageUrl", c.ImageUrl);
            creative = new AdCreative(title, imageUrl);
        }

        return new AdSettings(name, targetUrl, creative);
    }

    /// <summary>An ad status a filter names, or null (and a problem) when it names none.</summary>
    public static AdStatus? Status(Validation validation, string field, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (Enum.TryParse<AdStatus>(text, ignoreCase: true, out var status) && Enum.IsDefined(status) && !int.TryParse(text, out _))
        {
            return status;
        }

        validation.Add(field, $"'{field}' is active, paused or archived.");
        return null;
    }
}
