namespace Orleans.AdClicks.Events.Wire;

/// <summary>One refused event (or a whole refused message, <see cref="Index"/> -1), with what was wrong.</summary>
public readonly record struct AdEventRejection(AdEventRejectReason Reason, string Detail, int Index = -1)
{
    /// <summary>The reason as a metric tag value: malformed, unknown_version, missing_field, invalid_field.</summary>
    public string Tag => Reason switch
    {
        AdEventRejectReason.Malformed => "malformed",
        AdEventRejectReason.UnknownVersion => "unknown_version",
        AdEventRejectReason.MissingField => "missing_field",
        _ => "invalid_field",
    };
}
