using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Webhooks;

/// <summary>The JSON body a delivery POSTs: built once when queued, so every retry sends (and signs) the same bytes.</summary>
public static class WebhookPayload
{
    public static string Body(WebhookEvent webhookEvent) => new JsonObject
    {
        ["id"] = webhookEvent.Id,
        ["type"] = webhookEvent.Type,
        ["occurredAt"] = webhookEvent.OccurredAt,
        ["advertiserId"] = webhookEvent.AdvertiserId,
        ["campaignId"] = webhookEvent.CampaignId,
        ["data"] = JsonNode.Parse(webhookEvent.Data),
    }.ToJsonString();

    /// <summary>An event's data from an object whose properties become camelCase fields.</summary>
    public static string Data(object fields) => JsonSerializer.Serialize(fields, JsonSerializerOptions.Web);
}
