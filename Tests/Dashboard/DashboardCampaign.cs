namespace Orleans.AdClicks.Tests.Dashboard;

/// <summary>A campaign of a <see cref="DashboardAdvertiser"/> and its one ad (named "{Name} banner").</summary>
public sealed record DashboardCampaign(Guid Id, string Name, Guid AdId);
