using Orleans.AdClicks.Api.Ads;
using Orleans.AdClicks.Api.Advertisers;
using Orleans.AdClicks.Api.Analytics;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Api.Beacons;
using Orleans.AdClicks.Api.Campaigns;
using Orleans.AdClicks.Api.Dashboard;
using Orleans.AdClicks.Api.Hosting;
using Orleans.AdClicks.Api.Reconciliation;
using Orleans.AdClicks.Api.Webhooks;
using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAdClicksDefaults();
builder.AddApiKeyAuth();
builder.AddAdClicksOrleans();
builder.AddClickLog();
builder.AddBoundedShutdown();
builder.AddAnalyticsApi();
builder.AddBreakdownsApi();
builder.AddWebhooksApi();
builder.AddAdClicksRateLimits();
builder.AddAdClicksOpenApi();

var app = builder.Build();

app.UseAdClicksDefaults();
app.MapDefaultEndpoints();
app.MapBeacons();
app.MapMeApi();
app.MapAdvertisersApi();
app.MapCampaignsApi();
app.MapAdsApi();
app.MapAnalyticsApi();
app.MapBreakdownsApi();
app.MapReconciliationApi();
app.MapWebhooksApi();
app.MapAdClicksOpenApi();
app.MapDashboard();

app.Run();

/// <summary>Visible to the HTTP tests' WebApplicationFactory.</summary>
public partial class Program;
