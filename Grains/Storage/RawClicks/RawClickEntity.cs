using Azure.Data.Tables;
using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>Maps raw events to table entities and back; "Timestamp" is Table Storage's own, so the event time is EventTime.</summary>
internal static class RawClickEntity
{
    public const string Kind = nameof(Kind);
    public const string Shard = nameof(Shard);
    public const string EventTime = nameof(EventTime);
    public const string Billable = nameof(Billable);

    /// <summary>The invalid-traffic reason as its number; absent in entities written before reasons.</summary>
    public const string InvalidReason = nameof(InvalidReason);

    /// <summary>Which insert attempt wrote the entity, so a retry can tell its own lost-answer write from a duplicate.</summary>
    public const string WriteId = nameof(WriteId);

    public static TableEntity From(AdEvent e, int shard, string partitionKey)
    {
        var entity = new TableEntity(partitionKey, RawClickLayout.RowKey(e.Kind, e.ImpressionId))
        {
            [Kind] = e.Kind.ToString(),
            [Shard] = shard,
            [nameof(AdEvent.AdId)] = e.AdId,
            [nameof(AdEvent.CampaignId)] = e.CampaignId,
            [EventTime] = e.Timestamp,
            [nameof(AdEvent.TokenIssuedAt)] = e.TokenIssuedAt,
            [nameof(AdEvent.TokenExpiresAt)] = e.TokenExpiresAt,
            [Billable] = e.Billable,
            [InvalidReason] = (int)e.ReasonOf(),
        };

        // Table Storage has no null property: an absent one reads back as null.
        if (e.UserAgent is not null)
        {
            entity[nameof(AdEvent.UserAgent)] = e.UserAgent;
        }

        if (e.ClientIp is not null)
        {
            entity[nameof(AdEvent.ClientIp)] = e.ClientIp;
        }

        SetIfPresent(entity, nameof(AdEvent.Device), e.Device);
        SetIfPresent(entity, nameof(AdEvent.Browser), e.Browser);
        SetIfPresent(entity, nameof(AdEvent.Os), e.Os);
        SetIfPresent(entity, nameof(AdEvent.Country), e.Country);

        return entity;
    }

    /// <summary>Why the entity's event is invalid traffic, None when billable; older entities say only "not billable".</summary>
    public static InvalidTrafficReason ReasonOf(TableEntity entity) =>
        InvalidTraffic.Of(entity.GetBoolean(Billable) == true, (InvalidTrafficReason)(entity.GetInt32(InvalidReason) ?? 0));

    private static void SetIfPresent(TableEntity entity, string name, string? value)
    {
        if (value is not null)
        {
            entity[name] = value;
        }
    }

    public static AdEventKind KindOf(TableEntity entity) => Enum.Parse<AdEventKind>(entity.GetString(Kind));

    public static DateTimeOffset EventTimeOf(TableEntity entity) =>
        entity.GetDateTimeOffset(EventTime) ?? throw new InvalidDataException($"Raw click {entity.PartitionKey}/{entity.RowKey} has no {EventTime}.");
}
