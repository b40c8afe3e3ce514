using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.AdClicks.Api.Analytics;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Api.Hosting;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Reconciliation;

namespace Orleans.AdClicks.Api.Reconciliation;

/// <summary>/api/reconciliation: the hourly recount's reports, and running an hour now (admin).</summary>
public static class ReconciliationApi
{
    /// <summary>The widest range of hours one report query may ask for: a month.</summary>
    public const int MaxHours = 31 * 24;

    public static IEndpointRouteBuilder MapReconciliationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/reconciliation").RequireAuthorization().WithTags("Reconciliation");
        api.MapGet("/reports", ReportsAsync).WithName("ReconciliationReports")
            .WithSummary("Reports of the runs of the hours in [from, to) (default: the last 24 hours); an advertiser sees its own ads' lines.");
        api.MapPost("/runs", RunAsync).RequireAuthorization(AuthExtensions.AdminPolicy).WithName("RunReconciliation")
            .WithSummary("Reconciles one ended hour now; answers 202 with the run's report so far.");
        return app;
    }

    private static async Task<Results<Ok<ReconciliationReportsDto>, ValidationProblem>> ReportsAsync(
        string? from, string? to, CurrentAdvertiser caller, IGrainFactory grains, TimeProvider time)
    {
        var validation = new Validation();
        var range = AnalyticsRange.Parse(from, to, "hour", time.GetUtcNow(), validation, maxBuckets: MaxHours);
        if (range is null)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var hours = await grains.GetGrain<IReconciliationGrain>(0).ListHoursAsync(range.From, range.To);
        var reports = await Task.WhenAll(hours.Select(h => grains.GetGrain<IReconciliationRunGrain>(ReconciliationHour.Key(h)).GetReportsAsync()));
        return TypedResults.Ok(new ReconciliationReportsDto([.. reports.SelectMany(r => r).Select(r => ToDto(r, caller))]));
    }

    private static async Task<Results<Accepted<ReconciliationReportDto>, ValidationProblem>> RunAsync(
        string? hour, CurrentAdvertiser caller, IGrainFactory grains, TimeProvider time)
    {
        if (!DateTimeOffset.TryParse(hour, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var start))
        {
            return Invalid("'hour' is required: the ISO 8601 start of a UTC hour, e.g. 2026-11-28T09:00:00Z.");
        }

        if (!MinuteBucket.IsHourStart(start))
        {
            return Invalid($"'hour' must start a UTC hour (minutes and seconds zero), not {start:O}.");
        }

        if (start.AddHours(1) > time.GetUtcNow())
        {
            return Invalid($"The hour {start:O} has not ended yet.");
        }

        var report = await grains.GetGrain<IReconciliationGrain>(0).RunNowAsync(start);
        return TypedResults.Accepted($"/api/reconciliation/reports?from={UtcText(start)}&to={UtcText(start.AddHours(1))}", ToDto(report, caller));
    }

    private static string UtcText(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static ValidationProblem Invalid(string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["hour"] = [message] });

    private static ReconciliationReportDto ToDto(ReconciliationReport report, CurrentAdvertiser caller)
    {
        var lines = report.Mismatches.Where(m => caller.Owns(m.AdvertiserId)).ToList();
        return new ReconciliationReportDto(
            report.RunId,
            report.Hour,
            report.CompletedAt is null ? "running" : "completed",
            report.StartedAt,
            report.CompletedAt,
            (report.CompletedAt - report.StartedAt)?.TotalSeconds,
            report.SlicesDone,
            AdSlice.Count,
            caller.IsAdmin ? report.AdsChecked : null,
            caller.IsAdmin ? report.EventsRecounted : null,
            caller.IsAdmin ? report.MismatchCount : lines.Count,
            caller.IsAdmin ? report.RowsRepaired : lines.DistinctBy(m => (m.AdId, m.Shard, m.Minute)).Count(),
            [.. lines.Select(m => new MismatchDto(m.AdId, m.Shard, m.CampaignId, m.Minute, m.KindName, m.Expected, m.Found))],
            report.MismatchCount > report.Mismatches.Count,
            caller.IsAdmin ? report.LastError : null);
    }
}
