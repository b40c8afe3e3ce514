using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Api.Advertisers;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Api.Hosting;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Webhooks;

namespace Orleans.AdClicks.Api.Webhooks;

/// <summary>/api/webhooks: an advertiser's endpoints for events, and what was delivered to them.</summary>
public static class WebhooksApi
{
    /// <summary>Adds the webhook options the URL check reads (the silo adds the same, with the sender).</summary>
    public static IHostApplicationBuilder AddWebhooksApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddWebhooks(builder.Configuration);
        return builder;
    }

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/webhooks").RequireAuthorization().WithTags("Webhooks");
        api.MapPost("/", CreateAsync).WithName("CreateWebhook").WithSummary("Registers an https endpoint for events; the answer shows its signing secret, once.");
        api.MapGet("/", ListAsync).WithName("ListWebhooks").WithSummary("Lists the caller's webhooks (the admin names an advertiser), oldest first.");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetWebhook").WithSummary("Gets a webhook, without its secret.");
        api.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteWebhook").WithSummary("Deletes a webhook; what it had still to deliver is dropped.");
        api.MapGet("/{id:guid}/deliveries", ListDeliveriesAsync).WithName("ListWebhookDeliveries")
            .WithSummary("The webhook's pending deliveries, oldest first, then its last finished ones, newest first.");
        return app;
    }

    /// <summary>The webhook when it exists and the caller owns it; others' webhooks do not exist for the caller.</summary>
    private static async Task<WebhookInfo?> FindOwnedAsync(IGrainFactory grains, CurrentAdvertiser caller, Guid id)
    {
        var webhook = await grains.GetGrain<IWebhookGrain>(id).GetAsync();
        return webhook is not null && caller.Owns(webhook.AdvertiserId) ? webhook : null;
    }

    private static async Task<Results<Created<CreatedWebhookDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateWebhookRequest request, CurrentAdvertiser caller, IGrainFactory grains, IOptions<WebhookOptions> options, HttpResponse response)
    {
        var validation = new Validation();
        var url = WebhookValidation.Url(validation, "url", request.Url, options.Value.AllowLoopbackHttp);
        var events = WebhookValidation.Events(validation, "events", request.Events);
        var advertiserId = await validation.OwnerAsync(caller, request.AdvertiserId, grains, "registers a webhook");
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var id = Guid.NewGuid();
        if (await grains.GetGrain<IWebhookGrain>(id).CreateAsync(advertiserId!.Value, url, events) is not { } registration)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict, title: "Too many webhooks",
                detail: $"An advertiser has at most {options.Value.MaxWebhooksPerAdvertiser} webhooks; delete one first.");
        }

        // The secret is in this answer only: no cache may keep it.
        response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/webhooks/{id}", registration.ToDto());
    }

    private static async Task<Results<Ok<WebhookListDto>, NotFound, ValidationProblem>> ListAsync(string? advertiserId, CurrentAdvertiser caller, IGrainFactory grains)
    {
        var validation = new Validation();
        var named = validation.OptionalId("advertiserId", advertiserId);
        if (caller.IsAdmin && named is null && validation.IsValid)
        {
            validation.Add("advertiserId", "'advertiserId' is required when the admin lists webhooks.");
        }

        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var owner = named ?? caller.AdvertiserId!.Value;
        if (await AdvertisersApi.FindOwnedAsync(grains, caller, owner) is null)
        {
            return TypedResults.NotFound();
        }

        var ids = await grains.GetGrain<IAdvertiserWebhooksGrain>(owner).ListAsync();
        var items = (await Task.WhenAll(ids.Select(id => grains.GetGrain<IWebhookGrain>(id).GetAsync())))
            .OfType<WebhookInfo>()
            .Select(w => w.ToDto())
            .ToList();
        return TypedResults.Ok(new WebhookListDto(items));
    }

    private static async Task<Results<Ok<WebhookDto>, NotFound>> GetAsync(Guid id, CurrentAdvertiser caller, IGrainFactory grains) =>
        await FindOwnedAsync(grains, caller, id) is { } webhook ? TypedResults.Ok(webhook.ToDto()) : TypedResults.NotFound();

    private static async Task<Results<NoContent, NotFound>> DeleteAsync(Guid id, CurrentAdvertiser caller, IGrainFactory grains) =>
        await FindOwnedAsync(grains, caller, id) is not null && await grains.GetGrain<IWebhookGrain>(id).DeleteAsync()
            ? TypedResults.NoContent()
            : TypedResults.NotFound();

    private static async Task<Results<Ok<WebhookDeliveryListDto>, NotFound>> ListDeliveriesAsync(Guid id, CurrentAdvertiser caller, IGrainFactory grains)
    {
        if (await FindOwnedAsync(grains, caller, id) is null)
        {
            return TypedResults.NotFound();
        }

        var deliveries = await grains.GetGrain<IWebhookGrain>(id).ListDeliveriesAsync();
        return TypedResults.Ok(new WebhookDeliveryListDto([.. deliveries.Select(d => d.ToDto())]));
    }
}
