namespace Orleans.AdClicks.Events.Wire;

/// <summary>Why an event on the wire was refused; the metric tag is <see cref="AdEventRejection.Tag"/>.</summary>
public enum AdEventRejectReason
{
    /// <summary>Not JSON, not an object, or a field of the wrong JSON type (a GUID or time that does not parse).</summary>
    Malformed,

    /// <summary>A version ("v") this consumer does not know; never guessed at.</summary>
    UnknownVersion,

    /// <summary>A required field is absent or null.</summary>
    MissingField,

    /// <summary>A field parses but its value is not allowed (an unknown kind, an ad other than the stream's).</summary>
    InvalidField,

    /// <summary>An Event Hubs record whose body is over the consumer's size limit; never parsed.</summary>
    TooLarge,

    /// <summary>An Event Hubs record whose key is an ad key of another ad than its event's.</summary>
    KeyMismatch,

    /// <summary>An event of an ad that has no definition (never created), from a producer that does not check ads.</summary>
    UnknownAd,
}
