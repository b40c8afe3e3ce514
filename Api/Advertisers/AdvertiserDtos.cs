namespace Orleans.AdClicks.Api.Advertisers;

public sealed record CreateAdvertiserRequest(string? Name);

/// <summary>The only answer that ever carries the advertiser's API key.</summary>
public sealed record AdvertiserCreatedDto(Guid Id, string Name, string ApiKey);

public sealed record AdvertiserDto(Guid Id, string Name, DateTimeOffset CreatedAt);

/// <summary>A page of advertisers; <see cref="Total"/> counts every advertiser.</summary>
public sealed record AdvertiserListDto(IReadOnlyList<AdvertiserDto> Items, int Page, int PageSize, long Total);
