namespace Orleans.AdClicks.Events.Wire;

/// <summary>One refused event (or a whole refused message, <see cref="Index"/> -1), with what was wrong.</summary>
public readonly record struct AdEventRejection(AdEventRejectReason Reason, string Detail, int Index = -1)
{
    /// <summary>The reason as a metric tag value: malformed, unknown_version, missing_field, invalid_field, too_large, key_mismatch, unknown_ad.</summary>
    public string Tag => TagOf(Reason);

    /// <summary>The metric tag value of <paramref name="reason"/>.</summary>
    public static string TagOf(AdEventRejectReason reason) => reason switch
    {
        AdEventRejectReason.Malformed => "malformed",
        AdEventRejectReason.UnknownVersion => "unknown_version",
        AdEventRejectReason.MissingField => "missing_field",
        AdEventRejectReason.TooLarge => "too_large",
        AdEventRejectReason.KeyMismatch => "key_mismatch",
        AdEventRejectReason.UnknownAd => "unknown_ad",
        _ => "invalid_field",
    };
}
