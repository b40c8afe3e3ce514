namespace Orleans.AdClicks.Events.Wire;

/// <summary>
/// What a click log message held: the stream key it names (null when the message itself was refused),
/// the events that decoded, and what was refused. Good events are kept whatever their neighbours are.
/// </summary>
public sealed record AdEventBatchDecoding(string? StreamKey, IReadOnlyList<AdEvent> Events, IReadOnlyList<AdEventRejection> Rejections);
