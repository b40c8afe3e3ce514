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
}
